// MESSAGE-INTEGRITY (RFC 8489 §14.5), MESSAGE-INTEGRITY-SHA256 (§14.6) and FINGERPRINT (§14.7):
// signing on serialize and checking on receive. The HMAC covers the message up to the attribute,
// with the header length rewritten as if the attribute were the last one.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AttributeType, HEADER_LENGTH, getAttribute, writeMessage } from './message';
import type { StunMessage, StunMessageInit } from './message';

/** RFC 8489 §14.7: CRC-32 of the message XOR'ed with this, so STUN is told from other CRC'd data. */
export const FINGERPRINT_XOR = 0x5354554e;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as in ISO/IEC 13239 / ITU-T V.42, the one RFC 8489 §14.7 names. */
export function crc32(data: Uint8Array, start = 0, end = data.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** RFC 8489 §9.2.2: long-term key = MD5(username ":" realm ":" OpaqueString(password)). */
export function longTermKey(username: string, realm: string, password: string): Uint8Array {
  return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest();
}

/** RFC 8489 §9.1.1: the short-term key is the (OpaqueString-processed) password itself. */
export function shortTermKey(password: string): Uint8Array {
  return new TextEncoder().encode(password);
}

export interface SerializeOptions {
  /** Key for MESSAGE-INTEGRITY (HMAC-SHA1). */
  readonly integrity?: Uint8Array;
  /** Key for MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, full 32 bytes). */
  readonly integritySha256?: Uint8Array;
  readonly fingerprint?: boolean;
}

/** Serializes and, in RFC order (§14.5), appends MESSAGE-INTEGRITY, -SHA256 and FINGERPRINT. */
export function serializeSigned(init: StunMessageInit, options: SerializeOptions): Uint8Array {
  const extra = (options.integrity ? 24 : 0) + (options.integritySha256 ? 36 : 0) + (options.fingerprint ? 8 : 0);
  const { buffer, end } = writeMessage(init, extra);
  const view = new DataView(buffer.buffer);
  let pos = end;
  const sign = (type: number, algorithm: 'sha1' | 'sha256', key: Uint8Array, size: number): void => {
    view.setUint16(2, pos + 4 + size - HEADER_LENGTH);
    const mac = createHmac(algorithm, key).update(buffer.subarray(0, pos)).digest();
    view.setUint16(pos, type);
    view.setUint16(pos + 2, size);
    buffer.set(mac, pos + 4);
    pos += 4 + size;
  };
  if (options.integrity) sign(AttributeType.MessageIntegrity, 'sha1', options.integrity, 20);
  if (options.integritySha256) sign(AttributeType.MessageIntegritySha256, 'sha256', options.integritySha256, 32);
  if (options.fingerprint) {
    view.setUint16(2, pos + 8 - HEADER_LENGTH);
    view.setUint16(pos, AttributeType.Fingerprint);
    view.setUint16(pos + 2, 4);
    view.setUint32(pos + 4, (crc32(buffer, 0, pos) ^ FINGERPRINT_XOR) >>> 0);
    pos += 8;
  }
  return buffer;
}

export type IntegrityResult = 'valid' | 'invalid' | 'absent';

function checkHmac(message: StunMessage, type: number, algorithm: 'sha1' | 'sha256', key: Uint8Array): IntegrityResult {
  const attribute = getAttribute(message, type);
  if (!attribute) return 'absent';
  const size = attribute.value.length;
  // §14.5: exactly 20 bytes; §14.6: 16 to 32 bytes in multiples of 4 (truncation).
  const sizeOk = algorithm === 'sha1' ? size === 20 : size >= 16 && size <= 32 && size % 4 === 0;
  if (!sizeOk) return 'invalid';
  const lengthField = new Uint8Array(2);
  new DataView(lengthField.buffer).setUint16(0, attribute.offset + 4 + size - HEADER_LENGTH);
  const mac = createHmac(algorithm, key)
    .update(message.raw.subarray(0, 2))
    .update(lengthField)
    .update(message.raw.subarray(4, attribute.offset))
    .digest()
    .subarray(0, size);
  return timingSafeEqual(mac, attribute.value) ? 'valid' : 'invalid';
}

/** RFC 8489 §14.5. */
export function checkMessageIntegrity(message: StunMessage, key: Uint8Array): IntegrityResult {
  return checkHmac(message, AttributeType.MessageIntegrity, 'sha1', key);
}

/** RFC 8489 §14.6. */
export function checkMessageIntegritySha256(message: StunMessage, key: Uint8Array): IntegrityResult {
  return checkHmac(message, AttributeType.MessageIntegritySha256, 'sha256', key);
}

/** RFC 8489 §14.7: the parser already guarantees FINGERPRINT is last, so the CRC covers all before it. */
export function checkFingerprint(message: StunMessage): IntegrityResult {
  const attribute = getAttribute(message, AttributeType.Fingerprint);
  if (!attribute) return 'absent';
  if (attribute.value.length !== 4) return 'invalid';
  const v = attribute.value;
  const got = ((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]) >>> 0;
  return got === (crc32(message.raw, 0, attribute.offset) ^ FINGERPRINT_XOR) >>> 0 ? 'valid' : 'invalid';
}
