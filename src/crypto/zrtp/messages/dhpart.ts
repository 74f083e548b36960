// DHPart1 / DHPart2 (RFC 6189 §5.5, §5.6): H1, the four 64-bit secret IDs, the public value,
// and the MAC keyed with H0.
import { concatBytes } from '../bytes';
import { implicitMac } from '../hash-chain';
import { Reader, fail, frame, messageType } from './codec';
import type { DecodeResult } from './codec';

export interface DHPart {
  readonly part: 1 | 2;
  readonly h1: Uint8Array;
  readonly rs1Id: Uint8Array;
  readonly rs2Id: Uint8Array;
  readonly auxSecretId: Uint8Array;
  readonly pbxSecretId: Uint8Array;
  readonly pv: Uint8Array;
  readonly mac: Uint8Array;
  readonly raw: Uint8Array;
}

export type DHPartFields = Omit<DHPart, 'mac' | 'raw'>;

/** Largest public value we read: X3M3's cipher text, 56 + 1568 bytes (DH3k's pv is 384). */
const MAX_PV_LENGTH = 56 + 1568;

export function encodeDHPart(d: DHPartFields, h0: Uint8Array): Uint8Array {
  const body = concatBytes(d.h1, d.rs1Id, d.rs2Id, d.auxSecretId, d.pbxSecretId, d.pv, new Uint8Array(8));
  const message = frame(d.part === 1 ? 'DHPart1 ' : 'DHPart2 ', body);
  message.set(implicitMac(h0, message.subarray(0, message.length - 8)), message.length - 8);
  return message;
}

export function decodeDHPart(raw: Uint8Array): DecodeResult<DHPart> {
  const type = messageType(raw);
  if (type !== 'DHPart1 ' && type !== 'DHPart2 ') return fail('not a DHPart');
  const r = new Reader(raw);
  const h1 = r.bytes(32);
  const ids = [r.bytes(8), r.bytes(8), r.bytes(8), r.bytes(8)];
  if (!h1 || ids.some((i) => !i)) return fail('DHPart too short');
  const pvLength = r.remaining - 8;
  if (pvLength <= 0 || pvLength > MAX_PV_LENGTH) return fail('DHPart public value length out of range');
  const [rs1Id, rs2Id, auxSecretId, pbxSecretId] = ids as Uint8Array[];
  const pv = r.bytes(pvLength) as Uint8Array;
  const mac = r.bytes(8) as Uint8Array;
  return { ok: true, message: { part: type === 'DHPart1 ' ? 1 : 2, h1, rs1Id, rs2Id, auxSecretId, pbxSecretId, pv, mac, raw } };
}
