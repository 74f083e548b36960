// The Confirm message's cache expiration interval (RFC 6189 §5.7, §4.9), on its own so that the
// main process, which only turns the user's setting into it, loads none of the ZRTP engine's
// ciphers (confirm.ts re-exports it for the engine).

export const CACHE_FOREVER = 0xffffffff;

/**
 * The Confirm's cache expiration interval for a lifetime in whole seconds where 0 means no limit
 * (the user's setting): forever (§4.9), else the seconds, kept below the "forever" value.
 */
export function cacheExpirationFor(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return CACHE_FOREVER;
  // Rounded up: a fraction of a second must not become 0, which means "do not cache".
  return Math.min(Math.ceil(seconds), CACHE_FOREVER - 1);
}
