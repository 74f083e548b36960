// Confirm1 / Confirm2 (RFC 6189 §5.7) on the wire: confirm_mac, CFB IV, then the encrypted
// part (H0, signature length, flags, cache expiration, optional signature). The encrypted part
// is opened by ../confirm.ts once the keys exist.
import { concatBytes } from '../bytes';
import { Reader, fail, frame, messageType } from './codec';
import type { DecodeResult } from './codec';

export interface ConfirmWire {
  readonly part: 1 | 2;
  readonly confirmMac: Uint8Array;
  readonly iv: Uint8Array;
  readonly encrypted: Uint8Array;
  readonly raw: Uint8Array;
}

/** H0 (32) + signature length/flags word (4) + cache expiration (4). */
export const CONFIRM_PLAIN_MIN = 40;
/** A signature is at most 511 words (9-bit length). */
const CONFIRM_PLAIN_MAX = CONFIRM_PLAIN_MIN + 511 * 4;

export function encodeConfirmWire(part: 1 | 2, confirmMac: Uint8Array, iv: Uint8Array, encrypted: Uint8Array): Uint8Array {
  return frame(part === 1 ? 'Confirm1' : 'Confirm2', concatBytes(confirmMac, iv, encrypted));
}

export function decodeConfirmWire(raw: Uint8Array): DecodeResult<ConfirmWire> {
  const type = messageType(raw);
  if (type !== 'Confirm1' && type !== 'Confirm2') return fail('not a Confirm');
  const r = new Reader(raw);
  const confirmMac = r.bytes(8);
  const iv = r.bytes(16);
  if (!confirmMac || !iv) return fail('Confirm too short');
  if (r.remaining < CONFIRM_PLAIN_MIN || r.remaining > CONFIRM_PLAIN_MAX) return fail('Confirm encrypted part length out of range');
  const encrypted = r.bytes(r.remaining) as Uint8Array;
  return { ok: true, message: { part: type === 'Confirm1' ? 1 : 2, confirmMac, iv, encrypted, raw } };
}
