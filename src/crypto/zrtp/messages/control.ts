// The short control messages (RFC 6189 §5.3, §5.8-§5.16): the bare ACKs, Error (§5.9) with its
// 32-bit code, GoClear (§5.11) with its clear_mac, SASrelay (§5.13) and Ping/PingACK (§5.15-16).
import { concatBytes, readU32be, u32be, ascii } from '../bytes';
import { Reader, fail, frame, messageType } from './codec';
import type { DecodeResult, MessageTypeBlock } from './codec';

export type BareAck = 'HelloACK' | 'Conf2ACK' | 'ErrorACK' | 'ClearACK' | 'RelayACK';

export function encodeBareAck(type: BareAck): Uint8Array {
  return frame(type, new Uint8Array(0));
}

export function decodeBareAck(raw: Uint8Array): DecodeResult<BareAck> {
  const type = messageType(raw);
  if (type !== 'HelloACK' && type !== 'Conf2ACK' && type !== 'ErrorACK' && type !== 'ClearACK' && type !== 'RelayACK') return fail('not an ACK');
  if (raw.length !== 12) return fail('ACK with a body');
  return { ok: true, message: type };
}

export function encodeError(code: number): Uint8Array {
  return frame('Error   ', u32be(code));
}

export function decodeError(raw: Uint8Array): DecodeResult<number> {
  if (messageType(raw) !== 'Error   ' || raw.length !== 16) return fail('malformed Error');
  return { ok: true, message: readU32be(raw, 12) };
}

export function encodeGoClear(clearMac: Uint8Array): Uint8Array {
  return frame('GoClear ', clearMac);
}

export function decodeGoClear(raw: Uint8Array): DecodeResult<Uint8Array> {
  if (messageType(raw) !== 'GoClear ' || raw.length !== 20) return fail('malformed GoClear');
  return { ok: true, message: raw.slice(12) };
}

export interface SasRelay {
  readonly mac: Uint8Array;
  readonly iv: Uint8Array;
  readonly encrypted: Uint8Array;
}

export function decodeSasRelay(raw: Uint8Array): DecodeResult<SasRelay> {
  if (messageType(raw) !== 'SASrelay') return fail('not a SASrelay');
  const r = new Reader(raw);
  const mac = r.bytes(8);
  const iv = r.bytes(16);
  // Encrypted: flags word, rendering scheme, trusted SAS hash (8 words), optional signature.
  if (!mac || !iv || r.remaining < 40) return fail('SASrelay too short');
  return { ok: true, message: { mac, iv, encrypted: r.bytes(r.remaining) as Uint8Array } };
}

export interface Ping {
  readonly version: string;
  readonly endpointHash: Uint8Array;
}

export interface PingAck {
  readonly version: string;
  readonly senderEndpointHash: Uint8Array;
  readonly receivedEndpointHash: Uint8Array;
  readonly ssrc: number;
}

export function encodePing(p: Ping): Uint8Array {
  return frame('Ping    ', concatBytes(ascii(p.version), p.endpointHash));
}

export function decodePing(raw: Uint8Array): DecodeResult<Ping> {
  if (messageType(raw) !== 'Ping    ' || raw.length !== 24) return fail('malformed Ping');
  const r = new Reader(raw);
  return { ok: true, message: { version: r.text(4) as string, endpointHash: r.bytes(8) as Uint8Array } };
}

export function encodePingAck(p: PingAck): Uint8Array {
  return frame('PingACK ', concatBytes(ascii(p.version), p.senderEndpointHash, p.receivedEndpointHash, u32be(p.ssrc)));
}

export function decodePingAck(raw: Uint8Array): DecodeResult<PingAck> {
  if (messageType(raw) !== 'PingACK ' || raw.length !== 36) return fail('malformed PingACK');
  const r = new Reader(raw);
  const version = r.text(4) as string;
  const senderEndpointHash = r.bytes(8) as Uint8Array;
  const receivedEndpointHash = r.bytes(8) as Uint8Array;
  return { ok: true, message: { version, senderEndpointHash, receivedEndpointHash, ssrc: readU32be(raw, 32) } };
}

export type { MessageTypeBlock };
