// The wire codec of the API: JSON text for requests, responses and events; a 16-byte binary
// header for media frames. Used by the browser shell (WebSocket) and the Electron preload alike.
// Input from the other side is hostile until checked: decode never throws, it returns a typed
// error, and sizes are bounded.

import {
  COMMAND_NAMES,
  EVENT_TYPES,
  MEDIA_FRAME_HEADER_BYTES,
  MEDIA_FRAME_MAGIC,
  MEDIA_FRAME_MAX_PAYLOAD,
  type ClientMessage,
  type Codec,
  type CommandName,
  type MediaFrame,
  type ServerMessage,
  type StreamKind,
} from './api';

export const MAX_TEXT_MESSAGE_BYTES = 256 * 1024;

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: string };

const fail = <T>(error: string): DecodeResult<T> => ({ ok: false, error });

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(text: string): DecodeResult<unknown> {
  if (text.length > MAX_TEXT_MESSAGE_BYTES) return fail('message too large');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return fail('not JSON');
  }
}

type ArgCheck = (args: Record<string, unknown>) => string | undefined;

const isCallId = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) > 0;
const needCallId: ArgCheck = (a) => (isCallId(a.callId) ? undefined : 'callId must be a positive integer');
const needBool =
  (name: string): ArgCheck =>
  (a) =>
    typeof a[name] === 'boolean' ? undefined : `${name} must be a boolean`;
const optBool =
  (name: string): ArgCheck =>
  (a) =>
    a[name] === undefined || typeof a[name] === 'boolean' ? undefined : `${name} must be a boolean`;
const both =
  (...checks: ArgCheck[]): ArgCheck =>
  (a) => {
    for (const c of checks) {
      const e = c(a);
      if (e) return e;
    }
    return undefined;
  };
const none: ArgCheck = () => undefined;

/** Shape checks of each command's arguments; AppCore checks meaning (known call, valid setting). */
const ARG_CHECKS: Record<CommandName, ArgCheck> = {
  ping: none,
  getState: none,
  register: none,
  unregister: none,
  call: both(
    (a) => (typeof a.uri === 'string' && a.uri.length > 0 && a.uri.length <= 512 ? undefined : 'uri must be a non-empty string (at most 512 characters)'),
    optBool('video'),
  ),
  answer: both(needCallId, optBool('video')),
  reject: both(needCallId, (a) =>
    a.code === undefined || (Number.isInteger(a.code) && (a.code as number) >= 400 && (a.code as number) <= 699) ? undefined : 'code must be a SIP status 400-699',
  ),
  hangup: needCallId,
  hold: both(needCallId, needBool('on')),
  transfer: both(needCallId, (a) => (typeof a.to === 'string' && a.to.length > 0 && a.to.length <= 512 ? undefined : 'to must be a non-empty string (at most 512 characters)')),
  transferAttended: both(needCallId, (a) => (isCallId(a.targetCallId) ? undefined : 'targetCallId must be a positive integer')),
  mute: both(needCallId, needBool('on')),
  sendDtmf: both(needCallId, (a) =>
    typeof a.digits === 'string' && /^[0-9*#A-Da-d]{1,32}$/.test(a.digits) ? undefined : 'digits must be 1-32 of 0-9 * # A-D',
  ),
  addVideo: needCallId,
  removeVideo: needCallId,
  setSasVerified: both(needCallId, needBool('verified')),
  getSettings: none,
  updateSettings: (a) => (isObject(a.patch) ? undefined : 'patch must be an object'),
  resetZrtpCache: none,
  getHistory: none,
  clearHistory: none,
  listContacts: none,
  saveContact: (a) => (isObject(a.contact) ? undefined : 'contact must be an object'),
  deleteContact: (a) => (typeof a.id === 'string' && a.id.length > 0 && a.id.length <= 64 ? undefined : 'id must be a non-empty string (at most 64 characters)'),
  listDevices: none,
  requestKeyframeFromPeer: needCallId,
};

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

export function decodeClientMessage(text: string): DecodeResult<ClientMessage> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  if (!isObject(m) || m.kind !== 'request') return fail('not a request');
  if (!Number.isSafeInteger(m.id) || (m.id as number) < 0) return fail('id must be a non-negative integer');
  if (typeof m.command !== 'string' || !(COMMAND_NAMES as readonly string[]).includes(m.command)) {
    return fail(`unknown command ${JSON.stringify(String(m.command).slice(0, 40))}`);
  }
  const args = m.args === undefined ? {} : m.args;
  if (!isObject(args)) return fail('args must be an object');
  const argError = ARG_CHECKS[m.command as CommandName](args);
  if (argError) return fail(`${m.command}: ${argError}`);
  return { ok: true, value: { kind: 'request', id: m.id as number, command: m.command as CommandName, args } as ClientMessage };
}

export function encodeServerMessage(message: ServerMessage): string {
  return JSON.stringify(message);
}

/** The client trusts its own AppCore, but still never throws on a garbled message. */
export function decodeServerMessage(text: string): DecodeResult<ServerMessage> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  if (!isObject(m)) return fail('not an object');
  if (m.kind === 'response') {
    if (!Number.isSafeInteger(m.id)) return fail('response without id');
    if (m.ok === true) return { ok: true, value: m as unknown as ServerMessage };
    if (m.ok === false && isObject(m.error) && typeof m.error.code === 'string' && typeof m.error.message === 'string') {
      return { ok: true, value: m as unknown as ServerMessage };
    }
    return fail('malformed response');
  }
  if (m.kind === 'event' && isObject(m.event) && (EVENT_TYPES as readonly string[]).includes(m.event.type as string)) {
    return { ok: true, value: m as unknown as ServerMessage };
  }
  return fail('not a response or event');
}

// ---------------------------------------------------------------------------------------------
// Binary media frames
// byte 0 magic 'V', 1 reserved (0; it once told frames from keyframe requests, which are now a
// command and an event), 2 stream, 3 flags (bit 0 keyframe, bit 1 lost), 4-7 callId, 8-11 timestamp,
// 12 codec, 13-15 payload length (24 bits), then the payload.

const STREAMS: readonly StreamKind[] = ['audio', 'video'];
const CODECS: readonly Codec[] = ['opus', 'pcmu', 'pcma', 'vp8'];

/**
 * The frame as one binary message. A frame with `headroom` gets its header written in front of
 * its payload, in its own buffer, and goes out without a copy; any other is copied once.
 */
export function encodeMediaFrame(frame: MediaFrame): Uint8Array<ArrayBuffer> {
  const { header, payload } = frame;
  const inPlace = frame.headroom === true && payload.byteOffset >= MEDIA_FRAME_HEADER_BYTES;
  const out = inPlace
    ? new Uint8Array(payload.buffer as ArrayBuffer, payload.byteOffset - MEDIA_FRAME_HEADER_BYTES, MEDIA_FRAME_HEADER_BYTES + payload.length)
    : new Uint8Array(MEDIA_FRAME_HEADER_BYTES + payload.length);
  const dv = new DataView(out.buffer, out.byteOffset, MEDIA_FRAME_HEADER_BYTES);
  out[0] = MEDIA_FRAME_MAGIC;
  out[1] = 0;
  out[2] = STREAMS.indexOf(header.stream);
  out[3] = (header.keyframe ? 1 : 0) | (header.lost ? 2 : 0);
  dv.setUint32(4, header.callId >>> 0);
  dv.setUint32(8, header.timestamp >>> 0);
  out[12] = CODECS.indexOf(header.codec);
  out[13] = (payload.length >>> 16) & 0xff;
  out[14] = (payload.length >>> 8) & 0xff;
  out[15] = payload.length & 0xff;
  if (!inPlace) out.set(payload, MEDIA_FRAME_HEADER_BYTES);
  return out;
}

export function decodeMediaFrame(data: Uint8Array): DecodeResult<MediaFrame> {
  if (data.length < MEDIA_FRAME_HEADER_BYTES) return fail('media frame too short');
  if (data[0] !== MEDIA_FRAME_MAGIC) return fail('bad media frame magic');
  if (data[1] !== 0) return fail('bad media frame reserved byte');
  const stream = STREAMS[data[2]];
  const codec = CODECS[data[12]];
  if (!stream || !codec) return fail('bad media frame stream or codec');
  if (data[3] > 3) return fail('bad media frame flags');
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const callId = dv.getUint32(4);
  if (callId === 0) return fail('media frame without callId');
  const length = (data[13] << 16) | (data[14] << 8) | data[15];
  if (length > MEDIA_FRAME_MAX_PAYLOAD) return fail('media frame payload too large');
  if (length !== data.length - MEDIA_FRAME_HEADER_BYTES) return fail('media frame length mismatch');
  return {
    ok: true,
    value: {
      header: { callId, stream, codec, timestamp: dv.getUint32(8), keyframe: (data[3] & 1) === 1, ...((data[3] & 2) === 2 ? { lost: true } : {}) },
      payload: data.subarray(MEDIA_FRAME_HEADER_BYTES),
    },
  };
}
