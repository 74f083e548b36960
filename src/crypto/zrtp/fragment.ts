// ZRTP fragmentation as bzrtp does it (packetParser.c; not in RFC 6189): a message too large for
// the path MTU (a KEM Commit or DHPart1) goes out in fragments, each its own packet whose first
// byte is 0x11 (RFC 7983 §7 gives ZRTP 16-19) and whose 20-byte header adds, after sequence,
// magic cookie and SSRC, the message Id, the message's total length, this fragment's offset and
// its length (all 16-bit, lengths and offset in 32-bit words). The CRC covers the whole fragment
// packet as it covers an ordinary one (packet.ts). Fragments carry no sequence check: they may
// arrive in any order; one reassembly per stream, a newer message Id starts over.
import { crc32c } from './crc32c';
import { readU32be } from './bytes';
import { MAX_PACKET_LENGTH, PACKET_HEADER_LENGTH, ZRTP_MAGIC_COOKIE, encodePacket } from './packet';

export const FRAGMENT_HEADER_LENGTH = 20;
const CRC_LENGTH = 4;
/** bzrtp's BZRTP_DEFAULT_MTU and BZRTP_MINIMUM_MTU. */
export const DEFAULT_MTU = 1452;
export const MINIMUM_MTU = 600;
/** Largest message we reassemble: one that would fit an unfragmented packet of the largest size we accept. */
export const MAX_MESSAGE_LENGTH = MAX_PACKET_LENGTH - PACKET_HEADER_LENGTH - CRC_LENGTH;

export interface Fragment {
  readonly sequence: number;
  readonly ssrc: number;
  readonly messageId: number;
  /** In bytes (the wire has words). */
  readonly totalLength: number;
  readonly offset: number;
  readonly data: Uint8Array;
}

export type FragmentError = 'too-short' | 'too-long' | 'not-fragment' | 'bad-crc' | 'bad-length';

export function isFragment(data: Uint8Array): boolean {
  return data.length >= 8 && data[0] === 0x11 && readU32be(data, 4) === ZRTP_MAGIC_COOKIE;
}

function readCrc(data: Uint8Array, offset: number): number {
  return (data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24)) >>> 0;
}

const u16 = (d: Uint8Array, at: number) => (d[at] << 8) | d[at + 1];

export function parseFragment(data: Uint8Array): { ok: true; fragment: Fragment } | { ok: false; error: FragmentError } {
  if (data.length < FRAGMENT_HEADER_LENGTH + 4 + CRC_LENGTH) return { ok: false, error: 'too-short' };
  if (data.length > MAX_PACKET_LENGTH) return { ok: false, error: 'too-long' };
  if (!isFragment(data)) return { ok: false, error: 'not-fragment' };
  const crcAt = data.length - CRC_LENGTH;
  if (crc32c(data, 0, crcAt) !== readCrc(data, crcAt)) return { ok: false, error: 'bad-crc' };
  const totalLength = 4 * u16(data, 14);
  const offset = 4 * u16(data, 16);
  const length = 4 * u16(data, 18);
  if (length === 0 || length !== crcAt - FRAGMENT_HEADER_LENGTH || offset + length > totalLength || totalLength > MAX_MESSAGE_LENGTH) return { ok: false, error: 'bad-length' };
  return {
    ok: true,
    fragment: { sequence: u16(data, 2), ssrc: readU32be(data, 8), messageId: u16(data, 12), totalLength, offset, data: data.slice(FRAGMENT_HEADER_LENGTH, crcAt) },
  };
}

/** The largest piece of a message one fragment carries at this MTU (bzrtp: mtu − 24). */
export function fragmentPayloadLength(mtu: number): number {
  return (Math.max(mtu, MINIMUM_MTU) - FRAGMENT_HEADER_LENGTH - CRC_LENGTH) & ~3;
}

/**
 * [offset, length] of each fragment, or undefined when `message` fits one packet at this MTU
 * (bzrtp fragments when mtu < length + 16, in pieces of mtu − 24).
 */
export function fragmentPacketsNeeded(message: Uint8Array, mtu: number): [number, number][] | undefined {
  if (message.length + PACKET_HEADER_LENGTH + CRC_LENGTH <= Math.max(mtu, MINIMUM_MTU)) return undefined;
  const step = fragmentPayloadLength(mtu);
  const pieces: [number, number][] = [];
  for (let offset = 0; offset < message.length; offset += step) pieces.push([offset, Math.min(step, message.length - offset)]);
  return pieces;
}

/** One fragment packet; `message.length` and `offset` are multiples of 4 (ZRTP messages are words). */
export function encodeFragment(sequence: number, ssrc: number, messageId: number, message: Uint8Array, offset: number, length: number): Uint8Array {
  // The ordinary packet's framing, then the first byte and the four extra header fields.
  const body = new Uint8Array(8 + length);
  const words = [messageId, message.length / 4, offset / 4, length / 4];
  words.forEach((w, i) => {
    body[2 * i] = (w >> 8) & 0xff;
    body[2 * i + 1] = w & 0xff;
  });
  body.set(message.subarray(offset, offset + length), 8);
  const out = encodePacket(sequence, ssrc, body);
  out[0] = 0x11;
  new DataView(out.buffer).setUint32(out.length - CRC_LENGTH, crc32c(out, 0, out.length - CRC_LENGTH), true);
  return out;
}

/**
 * Reassembles one message at a time (bzrtp keeps one per channel): a fragment of an older message
 * Id is dropped, a newer one starts over, a repeated offset is ignored. Coverage is tracked per
 * word, so overlapping fragments cannot fake a complete message.
 */
export class FragmentReassembler {
  private current: { id: number; buffer: Uint8Array; covered: Uint8Array; missing: number } | undefined;
  private lastCompleted: number | undefined;

  /** The whole message once its last fragment is in, else undefined. */
  accept(f: Fragment): Uint8Array | undefined {
    const c = this.current;
    if (c && f.messageId < c.id) return undefined;
    if (!c || f.messageId > c.id || c.buffer.length !== f.totalLength) {
      if (!c && this.lastCompleted !== undefined && f.messageId < this.lastCompleted) return undefined;
      this.current = { id: f.messageId, buffer: new Uint8Array(f.totalLength), covered: new Uint8Array(f.totalLength / 4), missing: f.totalLength / 4 };
    }
    const r = this.current as NonNullable<typeof this.current>;
    for (let w = f.offset / 4; w < (f.offset + f.data.length) / 4; w++) {
      if (!r.covered[w]) {
        r.covered[w] = 1;
        r.missing--;
      }
    }
    r.buffer.set(f.data, f.offset);
    if (r.missing > 0) return undefined;
    this.current = undefined;
    this.lastCompleted = r.id;
    const m = r.buffer;
    // The message's own length word must agree with the fragments' total (§5.1.1).
    if (m[0] !== 0x50 || m[1] !== 0x5a || ((m[2] << 8) | m[3]) * 4 !== m.length) return undefined;
    return m;
  }
}
