// Hello (RFC 6189 §5.2): version, client identifier, H3, ZID, flags and the algorithm lists.
import { ascii, concatBytes } from '../bytes';
import { implicitMac } from '../hash-chain';
import { Reader, fail, frame, messageType } from './codec';
import type { DecodeResult } from './codec';

export interface Hello {
  readonly version: string;
  readonly clientId: string;
  readonly h3: Uint8Array;
  readonly zid: Uint8Array;
  /** S: signature capable, M: trusted MiTM (PBX), P: passive. */
  readonly signatureCapable: boolean;
  readonly mitm: boolean;
  readonly passive: boolean;
  readonly hashes: readonly string[];
  readonly ciphers: readonly string[];
  readonly authTags: readonly string[];
  readonly keyAgreements: readonly string[];
  readonly sasTypes: readonly string[];
  readonly mac: Uint8Array;
  readonly raw: Uint8Array;
}

export type HelloFields = Omit<Hello, 'mac' | 'raw'>;

const MAX_LIST = 7;

/** Builds the Hello; its MAC is keyed with H2 (§9). */
export function encodeHello(h: HelloFields, h2: Uint8Array): Uint8Array {
  const lists = [h.hashes, h.ciphers, h.authTags, h.keyAgreements, h.sasTypes];
  if (lists.some((l) => l.length > MAX_LIST)) throw new RangeError('Hello: at most 7 algorithms per list');
  const flags = new Uint8Array(4);
  flags[0] = (h.signatureCapable ? 0x40 : 0) | (h.mitm ? 0x20 : 0) | (h.passive ? 0x10 : 0);
  flags[1] = h.hashes.length;
  flags[2] = (h.ciphers.length << 4) | h.authTags.length;
  flags[3] = (h.keyAgreements.length << 4) | h.sasTypes.length;
  const body = concatBytes(
    ascii(h.version.padEnd(4).slice(0, 4)),
    ascii(h.clientId.padEnd(16).slice(0, 16)),
    h.h3,
    h.zid,
    flags,
    ...lists.flat().map((a) => ascii(a.padEnd(4).slice(0, 4))),
    new Uint8Array(8),
  );
  const message = frame('Hello   ', body);
  message.set(implicitMac(h2, message.subarray(0, message.length - 8)), message.length - 8);
  return message;
}

export function decodeHello(raw: Uint8Array): DecodeResult<Hello> {
  if (messageType(raw) !== 'Hello   ') return fail('not a Hello');
  const r = new Reader(raw);
  const version = r.text(4);
  const clientId = r.text(16);
  const h3 = r.bytes(32);
  const zid = r.bytes(12);
  const flags = r.bytes(4);
  if (!version || clientId === undefined || !h3 || !zid || !flags) return fail('Hello too short');
  const counts = [flags[1] & 0x0f, flags[2] >> 4, flags[2] & 0x0f, flags[3] >> 4, flags[3] & 0x0f];
  if (counts.some((c) => c > MAX_LIST)) return fail('Hello list count over 7');
  const total = counts.reduce((a, b) => a + b, 0);
  if (r.remaining !== total * 4 + 8) return fail('Hello length does not match its counts');
  // Names are 4 characters, space padded ("B32 "); the padding is not part of the name.
  const lists = counts.map((c) => Array.from({ length: c }, () => (r.text(4) as string).trimEnd()));
  const mac = r.bytes(8) as Uint8Array;
  return {
    ok: true,
    message: {
      version,
      clientId,
      h3,
      zid,
      signatureCapable: (flags[0] & 0x40) !== 0,
      mitm: (flags[0] & 0x20) !== 0,
      passive: (flags[0] & 0x10) !== 0,
      hashes: lists[0],
      ciphers: lists[1],
      authTags: lists[2],
      keyAgreements: lists[3],
      sasTypes: lists[4],
      mac,
      raw,
    },
  };
}
