// ZRTP packet framing (RFC 6189 §5): a 12-byte header (0x10 0x00, sequence number, magic
// cookie 'ZRTP', SSRC), one ZRTP message, then a CRC-32C over everything before it. The CRC is
// stored the way SCTP stores it (RFC 3309 / RFC 4960 Appendix B): the reflected CRC register,
// least significant byte first. bzrtp and ZRTPCPP put it on the wire so (checked against
// linphonec), which is what "network byte order" of the reflected value amounts to.
import { crc32c } from './crc32c';
import { readU32be } from './bytes';

export const ZRTP_MAGIC_COOKIE = 0x5a525450;
export const PACKET_HEADER_LENGTH = 12;
const CRC_LENGTH = 4;
/** Smallest message: preamble/length word + 2-word type block. */
const MIN_MESSAGE_LENGTH = 12;
/** Largest ZRTP packet we accept (bzrtp uses 3072; a DH3k DHPart is 480 bytes). */
export const MAX_PACKET_LENGTH = 3072;

export interface ZrtpPacket {
  readonly sequence: number;
  readonly ssrc: number;
  /** The ZRTP message (preamble through last word, no header, no CRC). */
  readonly message: Uint8Array;
}

export type PacketError = 'too-short' | 'too-long' | 'not-zrtp' | 'bad-crc' | 'bad-length';

export type PacketResult = { ok: true; packet: ZrtpPacket } | { ok: false; error: PacketError };

/** True when the first bytes look like ZRTP (RFC 6189 §5 / RFC 7983: first byte 0x10, magic cookie). */
export function looksLikeZrtp(data: Uint8Array): boolean {
  return data.length >= 8 && data[0] === 0x10 && readU32be(data, 4) === ZRTP_MAGIC_COOKIE;
}

export function parsePacket(data: Uint8Array): PacketResult {
  if (data.length < PACKET_HEADER_LENGTH + MIN_MESSAGE_LENGTH + CRC_LENGTH) return { ok: false, error: 'too-short' };
  if (data.length > MAX_PACKET_LENGTH) return { ok: false, error: 'too-long' };
  if (!looksLikeZrtp(data)) return { ok: false, error: 'not-zrtp' };
  const crcAt = data.length - CRC_LENGTH;
  if (crc32c(data, 0, crcAt) !== readCrc(data, crcAt)) return { ok: false, error: 'bad-crc' };
  const message = data.slice(PACKET_HEADER_LENGTH, crcAt);
  // The message length word (§5.1.1) must cover exactly what lies between header and CRC.
  if (message[0] !== 0x50 || message[1] !== 0x5a || ((message[2] << 8) | message[3]) * 4 !== message.length) {
    return { ok: false, error: 'bad-length' };
  }
  return { ok: true, packet: { sequence: (data[2] << 8) | data[3], ssrc: readU32be(data, 8), message } };
}

/** The message's 8-character type block (§5.1.1, e.g. `Hello   `), or undefined when `data` is not a well-formed ZRTP packet. */
export function messageTypeOf(data: Uint8Array): string | undefined {
  const parsed = parsePacket(data);
  if (!parsed.ok) return undefined;
  let type = '';
  for (let i = 4; i < 12; i++) type += String.fromCharCode(parsed.packet.message[i]);
  return type;
}

export function encodePacket(sequence: number, ssrc: number, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(PACKET_HEADER_LENGTH + message.length + CRC_LENGTH);
  const view = new DataView(out.buffer);
  out[0] = 0x10;
  view.setUint16(2, sequence & 0xffff);
  view.setUint32(4, ZRTP_MAGIC_COOKIE);
  view.setUint32(8, ssrc >>> 0);
  out.set(message, PACKET_HEADER_LENGTH);
  view.setUint32(out.length - CRC_LENGTH, crc32c(out, 0, out.length - CRC_LENGTH), true);
  return out;
}

function readCrc(data: Uint8Array, offset: number): number {
  return (data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24)) >>> 0;
}
