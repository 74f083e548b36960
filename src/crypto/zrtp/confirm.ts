// The encrypted part of Confirm1/Confirm2 (RFC 6189 §5.7): AES-CFB with zrtpkey, then the
// confirm_mac = HMAC(mackey, encrypted part) truncated to 64 bits. Flags: E (PBX enrollment),
// V (SAS verified), A (allow clear), D (disclosure). AES-CFB is injected (ZrtpPrimitives).
import { concatBytes, equalBytes, readU32be, u32be } from './bytes';
import { CONFIRM_PLAIN_MIN } from './messages/confirm';
import type { HashSuite } from './algorithms';
import type { ZrtpPrimitives } from './primitives';

export interface ConfirmFlags {
  readonly enrollment: boolean;
  readonly verified: boolean;
  readonly allowClear: boolean;
  readonly disclosure: boolean;
}

export interface ConfirmBody {
  readonly h0: Uint8Array;
  readonly flags: ConfirmFlags;
  /** Seconds the peer wants the new rs1 kept; 0 means do not cache, 0xFFFFFFFF forever (§4.9). */
  readonly cacheExpiration: number;
}

export { CACHE_FOREVER, cacheExpirationFor } from './cache-expiration';

export function sealConfirm(p: ZrtpPrimitives, suite: HashSuite, zrtpKey: Uint8Array, macKey: Uint8Array, iv: Uint8Array, body: ConfirmBody): { confirmMac: Uint8Array; encrypted: Uint8Array } {
  const f = body.flags;
  const word = new Uint8Array(4);
  word[3] = (f.enrollment ? 8 : 0) | (f.verified ? 4 : 0) | (f.allowClear ? 2 : 0) | (f.disclosure ? 1 : 0);
  const plain = concatBytes(body.h0, word, u32be(body.cacheExpiration));
  const encrypted = p.aesCfb(zrtpKey, iv, plain, 'encrypt');
  return { confirmMac: suite.hmac(macKey, encrypted).slice(0, 8), encrypted };
}

export type OpenResult = { ok: true; body: ConfirmBody } | { ok: false; error: 'bad-mac' | 'malformed' };

/** Checks confirm_mac first (§4.6: a bad MAC is Error 0x70), then decrypts. */
export function openConfirm(p: ZrtpPrimitives, suite: HashSuite, zrtpKey: Uint8Array, macKey: Uint8Array, confirmMac: Uint8Array, iv: Uint8Array, encrypted: Uint8Array): OpenResult {
  if (!equalBytes(suite.hmac(macKey, encrypted).slice(0, 8), confirmMac)) return { ok: false, error: 'bad-mac' };
  const plain = p.aesCfb(zrtpKey, iv, encrypted, 'decrypt');
  if (plain.length < CONFIRM_PLAIN_MIN) return { ok: false, error: 'malformed' };
  const signatureWords = ((plain[33] & 1) << 8) | plain[34];
  if (plain.length !== CONFIRM_PLAIN_MIN + 4 * signatureWords) return { ok: false, error: 'malformed' };
  const flags = plain[35];
  return {
    ok: true,
    body: {
      h0: plain.slice(0, 32),
      flags: { enrollment: (flags & 8) !== 0, verified: (flags & 4) !== 0, allowClear: (flags & 2) !== 0, disclosure: (flags & 1) !== 0 },
      cacheExpiration: readU32be(plain, 36),
    },
  };
}
