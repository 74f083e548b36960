// Decodes any ZRTP message into a tagged union; never throws.
import { messageType } from './codec';
import { decodeHello } from './hello';
import { decodeCommit } from './commit';
import { decodeDHPart } from './dhpart';
import { decodeConfirmWire } from './confirm';
import { decodeBareAck, decodeError, decodeGoClear, decodePing, decodePingAck, decodeSasRelay } from './control';
import type { Hello } from './hello';
import type { Commit } from './commit';
import type { DHPart } from './dhpart';
import type { ConfirmWire } from './confirm';
import type { BareAck, Ping, PingAck, SasRelay } from './control';

export type ZrtpMessage =
  | { type: 'Hello'; hello: Hello }
  | { type: 'Commit'; commit: Commit }
  | { type: 'DHPart'; dhPart: DHPart }
  | { type: 'Confirm'; confirm: ConfirmWire }
  | { type: 'Ack'; ack: BareAck }
  | { type: 'Error'; code: number }
  | { type: 'GoClear'; clearMac: Uint8Array }
  | { type: 'SASrelay'; relay: SasRelay }
  | { type: 'Ping'; ping: Ping }
  | { type: 'PingACK'; pingAck: PingAck };

export type MessageResult = { ok: true; message: ZrtpMessage } | { ok: false; error: string };

export function decodeMessage(raw: Uint8Array): MessageResult {
  const t = messageType(raw);
  if (!t) return { ok: false, error: 'unknown message type' };
  switch (t) {
    case 'Hello   ': {
      const r = decodeHello(raw);
      return r.ok ? { ok: true, message: { type: 'Hello', hello: r.message } } : r;
    }
    case 'Commit  ': {
      const r = decodeCommit(raw);
      return r.ok ? { ok: true, message: { type: 'Commit', commit: r.message } } : r;
    }
    case 'DHPart1 ':
    case 'DHPart2 ': {
      const r = decodeDHPart(raw);
      return r.ok ? { ok: true, message: { type: 'DHPart', dhPart: r.message } } : r;
    }
    case 'Confirm1':
    case 'Confirm2': {
      const r = decodeConfirmWire(raw);
      return r.ok ? { ok: true, message: { type: 'Confirm', confirm: r.message } } : r;
    }
    case 'Error   ': {
      const r = decodeError(raw);
      return r.ok ? { ok: true, message: { type: 'Error', code: r.message } } : r;
    }
    case 'GoClear ': {
      const r = decodeGoClear(raw);
      return r.ok ? { ok: true, message: { type: 'GoClear', clearMac: r.message } } : r;
    }
    case 'SASrelay': {
      const r = decodeSasRelay(raw);
      return r.ok ? { ok: true, message: { type: 'SASrelay', relay: r.message } } : r;
    }
    case 'Ping    ': {
      const r = decodePing(raw);
      return r.ok ? { ok: true, message: { type: 'Ping', ping: r.message } } : r;
    }
    case 'PingACK ': {
      const r = decodePingAck(raw);
      return r.ok ? { ok: true, message: { type: 'PingACK', pingAck: r.message } } : r;
    }
    default: {
      const r = decodeBareAck(raw);
      return r.ok ? { ok: true, message: { type: 'Ack', ack: r.message } } : r;
    }
  }
}

export { encodeHello } from './hello';
export { encodeCommit } from './commit';
export { encodeDHPart } from './dhpart';
export { encodeConfirmWire } from './confirm';
export { encodeBareAck, encodeError, encodeGoClear, encodePing, encodePingAck } from './control';
export type { Hello, HelloFields } from './hello';
export type { Commit, CommitFields } from './commit';
export type { DHPart, DHPartFields } from './dhpart';
export type { ConfirmWire } from './confirm';
export type { BareAck, Ping, PingAck, SasRelay } from './control';
