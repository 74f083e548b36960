// Which settings changes lower a user's protection, so AppCore can say so whoever made them (a
// window, a script holding the token, the CLI): media security moving towards plain RTP, and
// auto-answer turning on (a caller gets through with no one at the screen).

import type { MediaSecurityPolicy, ProtectionChange, Settings } from '../../shared/api';

const STRENGTH: Record<MediaSecurityPolicy, number> = { 'zrtp-required': 2, 'allow-sdes': 1, 'allow-unencrypted': 0 };

export function loweredProtection(before: Settings, after: Settings): ProtectionChange[] {
  const changes: ProtectionChange[] = [];
  if (STRENGTH[after.mediaSecurity] < STRENGTH[before.mediaSecurity]) changes.push({ setting: 'mediaSecurity', from: before.mediaSecurity, to: after.mediaSecurity });
  if (after.autoAnswer && !before.autoAnswer) changes.push({ setting: 'autoAnswer', from: false, to: true });
  return changes;
}
