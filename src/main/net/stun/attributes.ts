// Typed values of the attributes Vouch reads and writes (RFC 8489 §14, RFC 8445 §16.1). Decoders
// take an attribute value that came off the wire and return undefined when it is malformed.
import { MAGIC_COOKIE } from './message';

export interface TransportAddress {
  readonly family: 'IPv4' | 'IPv6';
  readonly address: string;
  readonly port: number;
}

const FAMILY_IPV4 = 0x01;
const FAMILY_IPV6 = 0x02;

function ipv4ToBytes(address: string): Uint8Array | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return undefined;
    const n = Number(parts[i]);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function ipv6ToBytes(address: string): Uint8Array | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(all[i])) return undefined;
    const n = parseInt(all[i], 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  }
  return out;
}

/** RFC 5952 text form: lower case, leading zeros dropped, the longest run of zero groups as "::". */
function ipv6ToString(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[2 * i] << 8) | b[2 * i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

/** RFC 8489 §14.1 MAPPED-ADDRESS (and the layout XOR-MAPPED-ADDRESS shares). */
export function decodeMappedAddress(value: Uint8Array): TransportAddress | undefined {
  if (value.length < 4) return undefined;
  const port = (value[2] << 8) | value[3];
  if (value[1] === FAMILY_IPV4 && value.length === 8) {
    return {
      family: 'IPv4',
      address: Array.from(value.subarray(4, 8)).join('.'),
      port,
    };
  }
  if (value[1] === FAMILY_IPV6 && value.length === 20) {
    return {
      family: 'IPv6',
      address: ipv6ToString(value.subarray(4, 20)),
      port,
    };
  }
  return undefined;
}

export function encodeMappedAddress(a: TransportAddress): Uint8Array {
  const ip = a.family === 'IPv4' ? ipv4ToBytes(a.address) : ipv6ToBytes(a.address);
  if (!ip) throw new RangeError(`not an ${a.family} address: ${a.address}`);
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 0xffff) throw new RangeError(`bad port ${a.port}`);
  const out = new Uint8Array(4 + ip.length);
  out[1] = a.family === 'IPv4' ? FAMILY_IPV4 : FAMILY_IPV6;
  out[2] = a.port >> 8;
  out[3] = a.port & 0xff;
  out.set(ip, 4);
  return out;
}

/** RFC 8489 §14.2: port XOR the cookie's top 16 bits, address XOR cookie (‖ transaction id for IPv6). */
function xorAddress(value: Uint8Array, transactionId: Uint8Array): Uint8Array {
  const out = value.slice();
  const pad = new Uint8Array(16);
  new DataView(pad.buffer).setUint32(0, MAGIC_COOKIE);
  pad.set(transactionId.subarray(0, 12), 4);
  out[2] ^= pad[0];
  out[3] ^= pad[1];
  for (let i = 4; i < out.length && i - 4 < 16; i++) out[i] ^= pad[i - 4];
  return out;
}

export function decodeXorMappedAddress(value: Uint8Array, transactionId: Uint8Array): TransportAddress | undefined {
  if (value.length !== 8 && value.length !== 20) return undefined;
  return decodeMappedAddress(xorAddress(value, transactionId));
}

export function encodeXorMappedAddress(a: TransportAddress, transactionId: Uint8Array): Uint8Array {
  return xorAddress(encodeMappedAddress(a), transactionId);
}

export interface ErrorCode {
  readonly code: number;
  readonly reason: string;
}

/** RFC 8489 §14.8: class (3..6) in bits 8-10, number (0..99) in the low byte, UTF-8 reason. */
export function decodeErrorCode(value: Uint8Array): ErrorCode | undefined {
  if (value.length < 4 || value.length > 4 + 763) return undefined;
  const cls = value[2] & 0x07;
  const number = value[3];
  if (cls < 3 || cls > 6 || number > 99) return undefined;
  return {
    code: cls * 100 + number,
    reason: new TextDecoder().decode(value.subarray(4)),
  };
}

export function encodeErrorCode(e: ErrorCode): Uint8Array {
  if (!Number.isInteger(e.code) || e.code < 300 || e.code > 699) throw new RangeError(`bad STUN error code ${e.code}`);
  const reason = new TextEncoder().encode(e.reason);
  const out = new Uint8Array(4 + reason.length);
  out[2] = Math.floor(e.code / 100);
  out[3] = e.code % 100;
  out.set(reason, 4);
  return out;
}

/** RFC 8489 §14.9: a list of 16-bit attribute types. */
export function decodeUnknownAttributes(value: Uint8Array): number[] | undefined {
  if (value.length % 2 !== 0) return undefined;
  const out: number[] = [];
  for (let i = 0; i < value.length; i += 2) out.push((value[i] << 8) | value[i + 1]);
  return out;
}

export function encodeUnknownAttributes(types: readonly number[]): Uint8Array {
  const out = new Uint8Array(types.length * 2);
  types.forEach((t, i) => {
    out[2 * i] = (t >> 8) & 0xff;
    out[2 * i + 1] = t & 0xff;
  });
  return out;
}

/**
 * USERNAME (§14.3, < 513 bytes), REALM (§14.9, < 763 bytes), NONCE (§14.10, < 763 bytes) and
 * SOFTWARE (§14.14, < 763 bytes) are UTF-8 text with a byte bound.
 */
export const TEXT_LIMIT = {
  username: 513,
  realm: 763,
  nonce: 763,
  software: 763,
} as const;

export function decodeText(value: Uint8Array, limit: number): string | undefined {
  if (value.length > limit) return undefined;
  return new TextDecoder().decode(value);
}

export function encodeText(text: string, limit: number): Uint8Array {
  const out = new TextEncoder().encode(text);
  if (out.length > limit) throw new RangeError(`STUN text attribute longer than ${limit} bytes`);
  return out;
}

/** RFC 8445 §16.1 PRIORITY: a 32-bit unsigned integer. */
export function decodePriority(value: Uint8Array): number | undefined {
  if (value.length !== 4) return undefined;
  return ((value[0] << 24) | (value[1] << 16) | (value[2] << 8) | value[3]) >>> 0;
}

export function encodePriority(priority: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, priority);
  return out;
}

/** RFC 8445 §16.1 ICE-CONTROLLED / ICE-CONTROLLING: a 64-bit tie-breaker. USE-CANDIDATE is empty. */
export function decodeTieBreaker(value: Uint8Array): bigint | undefined {
  if (value.length !== 8) return undefined;
  return new DataView(value.buffer, value.byteOffset, 8).getBigUint64(0);
}

export function encodeTieBreaker(tieBreaker: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, tieBreaker));
  return out;
}

// TURN attributes (RFC 8656 §18). XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS share the
// XOR-MAPPED-ADDRESS layout (§18.3, §18.5): use decodeXorMappedAddress/encodeXorMappedAddress.

/** RFC 8656 §18.2 LIFETIME: seconds, a 32-bit unsigned integer. */
export function decodeLifetime(value: Uint8Array): number | undefined {
  return decodePriority(value);
}

export function encodeLifetime(seconds: number): Uint8Array {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff) throw new RangeError(`bad TURN lifetime ${seconds}`);
  return encodePriority(seconds);
}

/** RFC 8656 §12: channel numbers 0x4000 through 0x4FFF; others are not channels. */
export const CHANNEL_MIN = 0x4000;
export const CHANNEL_MAX = 0x4fff;

/** RFC 8656 §18.1 CHANNEL-NUMBER: the 16-bit number, then 16 RFFU bits. */
export function decodeChannelNumber(value: Uint8Array): number | undefined {
  if (value.length !== 4) return undefined;
  const n = (value[0] << 8) | value[1];
  return n >= CHANNEL_MIN && n <= CHANNEL_MAX ? n : undefined;
}

export function encodeChannelNumber(channel: number): Uint8Array {
  if (!Number.isInteger(channel) || channel < CHANNEL_MIN || channel > CHANNEL_MAX) throw new RangeError(`bad TURN channel ${channel}`);
  return Uint8Array.of(channel >> 8, channel & 0xff, 0, 0);
}

/** IANA protocol numbers REQUESTED-TRANSPORT carries (RFC 8656 §18.7): 17 is UDP, the only one RFC 8656 defines. */
export const TRANSPORT_UDP = 17;

/** RFC 8656 §18.7 REQUESTED-TRANSPORT: the protocol number, then 24 RFFU bits. */
export function decodeRequestedTransport(value: Uint8Array): number | undefined {
  return value.length === 4 ? value[0] : undefined;
}

export function encodeRequestedTransport(protocol: number): Uint8Array {
  if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255) throw new RangeError(`bad protocol number ${protocol}`);
  return Uint8Array.of(protocol, 0, 0, 0);
}

/** RFC 8656 §18.10 REQUESTED-ADDRESS-FAMILY (and §18.11 ADDITIONAL-ADDRESS-FAMILY): family, then 24 RFFU bits. */
export function decodeAddressFamily(value: Uint8Array): 'IPv4' | 'IPv6' | undefined {
  if (value.length !== 4) return undefined;
  return value[0] === FAMILY_IPV4 ? 'IPv4' : value[0] === FAMILY_IPV6 ? 'IPv6' : undefined;
}

export function encodeAddressFamily(family: 'IPv4' | 'IPv6'): Uint8Array {
  return Uint8Array.of(family === 'IPv4' ? FAMILY_IPV4 : FAMILY_IPV6, 0, 0, 0);
}
