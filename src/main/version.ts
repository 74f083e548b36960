// The version every front end reports (`vouch --version`, the app frame). Kept in step with
// package.json by a unit test.
export const VOUCH_VERSION = '0.1.0';
