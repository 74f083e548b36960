import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { COMMAND_NAMES, EVENT_TYPES, MEDIA_FRAME_HEADER_BYTES, type ApiEvent, type CommandArgs, type CommandName, type MediaFrame, type Request, type ServerMessage } from './api';
import { decodeClientMessage, decodeMediaFrame, decodeServerMessage, encodeClientMessage, encodeMediaFrame, encodeServerMessage } from './wire';

const SAMPLE_ARGS: { [C in CommandName]: CommandArgs<C> } = {
  ping: {},
  getState: {},
  register: {},
  unregister: {},
  call: { uri: 'sip:bob@127.0.0.1:5070' },
  answer: { callId: 1, video: true },
  reject: { callId: 1, code: 486 },
  hangup: { callId: 2 },
  hold: { callId: 2, on: true },
  transfer: { callId: 2, to: 'sip:carol@127.0.0.1:5070' },
  transferAttended: { callId: 2, targetCallId: 3 },
  mute: { callId: 2, on: false },
  sendDtmf: { callId: 2, digits: '12#*A' },
  addVideo: { callId: 3 },
  removeVideo: { callId: 3 },
  setSasVerified: { callId: 3, verified: true },
  getSettings: {},
  updateSettings: { patch: { mediaSecurity: 'allow-sdes', zrtp: { sasType: 'B256' } } },
  resetZrtpCache: {},
  getHistory: {},
  clearHistory: {},
  listContacts: {},
  saveContact: { contact: { name: 'Bob', address: 'sip:bob@127.0.0.1:5070', notes: 'from work' } },
  deleteContact: { id: 'c0ffee' },
  listDevices: {},
  requestKeyframeFromPeer: { callId: 4 },
};

const call = {
  callId: 7,
  direction: 'outgoing' as const,
  state: 'connected' as const,
  remoteUri: 'sip:bob@127.0.0.1',
  remoteName: 'Bob',
  startedAt: 1,
  connectedAt: 2,
  held: false,
  remoteHeld: false,
  muted: false,
  video: { local: 'adding' as const, remote: 'off' as const, declinedByPeer: false },
};
const SAMPLE_EVENTS: { [T in ApiEvent['type']]: Extract<ApiEvent, { type: T }> } = {
  callState: { type: 'callState', call },
  security: {
    type: 'security',
    security: {
      callId: 7,
      mode: 'zrtp',
      state: 'sas-ready',
      sas: 'k2xq',
      sasType: 'B32',
      verified: false,
      label: 'end-to-end encrypted',
      peerZid: '00112233445566778899aabb',
      details: { keyAgreement: 'X255', cipher: 'AES1', hash: 'S256', authTag: 'HS80', sasType: 'B32', srtpSuite: 'AES_CM_128_HMAC_SHA1_80' },
      perStream: { audio: { state: 'secure', multistream: false } },
      warnings: [{ kind: 'policy-refused', message: 'a server tried to switch ZRTP to SDES', sipStatus: 488 }],
    },
  },
  stats: {
    type: 'stats',
    stats: { callId: 7, at: 5, streams: [{ stream: 'audio', codec: 'pcmu', sendBitrate: 64000, recvBitrate: 64000, packetsSent: 50, packetsReceived: 49, packetsLost: 1, fractionLost: 0.02, jitterMs: 3, rttMs: 1, protectFailures: 0, dropped: { auth: 1 } }] },
  },
  registration: { type: 'registration', registration: { state: 'failed', address: 'sip:a@b', sipStatus: 403, reason: 'Forbidden' } },
  listening: { type: 'listening', listening: { addresses: ['sip:alice@[2001:db8::5]:5062'], udp: 5062, tcp: 5062, tls: null, notes: ['no TLS listener (no certificate configured)'] } },
  settings: { type: 'settings', settings: { account: { displayName: '', address: '', username: '', server: '', transport: 'udp', directIpOnly: true, hasPassword: false, passwordLocation: 'file' }, mediaSecurity: 'zrtp-required', zrtp: { keyAgreement: ['X255'], sasType: 'B32', cacheExpirySeconds: 0 }, audioCodecs: ['pcmu'], videoCodecs: ['vp8'], devices: { microphoneId: 'a', speakerId: 'b', cameraId: 'c' }, sipPort: 0, callWaiting: false, autoAnswer: false, doNotDisturb: false, mediaTimeoutSeconds: 30, ice: { enabled: true, stunServers: ['stun.example.org'], turnServers: [{ server: 'turn.example.org', username: 'u', hasPassword: true }] } } },
  history: { type: 'history', history: [{ id: 'h1', callId: 7, direction: 'incoming', remoteUri: 'sip:x@y', remoteName: '', startedAt: 1, durationSeconds: 0, missed: true, endReason: 'cancelled', verified: false, video: false }] },
  contacts: {
    type: 'contacts',
    contacts: [{ id: 'c1', name: 'Bob', address: 'sip:bob@127.0.0.1', notes: '', createdAt: 1, updatedAt: 2, security: { level: 'verified', verifiedAt: 2, verifiedSas: 'k4tz' } }],
  },
  peerWantsKeyframe: { type: 'peerWantsKeyframe', callId: 7 },
  dtmf: { type: 'dtmf', callId: 7, digit: '5' },
  protectionLowered: { type: 'protectionLowered', changes: [{ setting: 'mediaSecurity', from: 'zrtp-required', to: 'allow-unencrypted' }, { setting: 'autoAnswer', from: false, to: true }] },
  path: { type: 'path', callId: 7, stream: 'audio', kind: 'relay', rttMs: 12.5, local: 'relay 127.0.0.1:49152', remote: 'host 127.0.0.1:40000' },
  error: { type: 'error', scope: 'registration', message: 'registration failed: 403 Forbidden', code: 'network' },
};

describe('wire codec', () => {
  it.each(COMMAND_NAMES.map((c) => [c]))('round-trips the %s request', (command) => {
    const req = { kind: 'request', id: 42, command, args: SAMPLE_ARGS[command] } as Request;
    const back = decodeClientMessage(encodeClientMessage(req));
    expect(back).toEqual({ ok: true, value: req });
  });

  it.each(EVENT_TYPES.map((t) => [t]))('round-trips the %s event', (type) => {
    const msg: ServerMessage = { kind: 'event', event: SAMPLE_EVENTS[type] };
    expect(decodeServerMessage(encodeServerMessage(msg))).toEqual({ ok: true, value: msg });
  });

  it('round-trips ok and error responses', () => {
    const ok: ServerMessage = { kind: 'response', id: 3, ok: true, result: { roundTripMs: 0.5, workerThreadId: 1, workerPid: 9 } };
    const err: ServerMessage = { kind: 'response', id: 4, ok: false, error: { code: 'invalid-setting', message: 'account.server: must be host or host:port', field: 'account.server' } };
    expect(decodeServerMessage(encodeServerMessage(ok))).toEqual({ ok: true, value: ok });
    expect(decodeServerMessage(encodeServerMessage(err))).toEqual({ ok: true, value: err });
  });

  it('round-trips media frames in both directions', () => {
    const frames: MediaFrame[] = [
      { header: { callId: 1, stream: 'video', codec: 'vp8', timestamp: 0xfffffff0, keyframe: true }, payload: new Uint8Array([0x10, 2, 3]) },
      { header: { callId: 99, stream: 'audio', codec: 'pcmu', timestamp: 160, keyframe: false }, payload: new Uint8Array(160).fill(0xff) },
      { header: { callId: 5, stream: 'video', codec: 'vp8', timestamp: 0, keyframe: false }, payload: new Uint8Array(0) },
      // A lost Opus frame sent with the packet after it, and one with nothing after it yet.
      { header: { callId: 7, stream: 'audio', codec: 'opus', timestamp: 1920, keyframe: false, lost: true }, payload: new Uint8Array([0x78, 1, 2]) },
      { header: { callId: 7, stream: 'audio', codec: 'opus', timestamp: 2880, keyframe: false, lost: true }, payload: new Uint8Array(0) },
    ];
    for (const f of frames) {
      const d = decodeMediaFrame(encodeMediaFrame(f));
      expect(d.ok).toBe(true);
      if (d.ok) {
        expect(d.value.header).toEqual(f.header);
        expect([...d.value.payload]).toEqual([...f.payload]);
      }
    }
  });

  it('writes the header in place in front of a payload with headroom, and copies one without', () => {
    const header = { callId: 9, stream: 'video', codec: 'vp8', timestamp: 3000, keyframe: false } as const;
    const buffer = new Uint8Array(MEDIA_FRAME_HEADER_BYTES + 4);
    buffer.set([1, 2, 3, 4], MEDIA_FRAME_HEADER_BYTES);
    const payload = buffer.subarray(MEDIA_FRAME_HEADER_BYTES);
    const inPlace = encodeMediaFrame({ header, payload, headroom: true });
    expect(inPlace.buffer).toBe(buffer.buffer);
    const copied = encodeMediaFrame({ header, payload });
    expect(copied.buffer).not.toBe(buffer.buffer);
    expect(copied).toEqual(inPlace);
    const d = decodeMediaFrame(inPlace);
    expect(d.ok && d.value).toEqual({ header, payload: new Uint8Array([1, 2, 3, 4]) });
  });

  it('refuses a media frame whose reserved byte is set (the old keyframe-request kind is no frame)', () => {
    const bytes = encodeMediaFrame({ header: { callId: 5, stream: 'video', codec: 'vp8', timestamp: 0, keyframe: false }, payload: new Uint8Array(0) });
    expect(decodeMediaFrame(bytes).ok).toBe(true);
    bytes[1] = 1;
    expect(decodeMediaFrame(bytes)).toEqual({ ok: false, error: 'bad media frame reserved byte' });
  });

  it('keeps keyframe (bit 0) and lost (bit 1) apart in the flags byte, and refuses unknown flags', () => {
    const bytes = encodeMediaFrame({ header: { callId: 5, stream: 'audio', codec: 'pcmu', timestamp: 0, keyframe: false, lost: true }, payload: new Uint8Array(0) });
    expect(bytes[3]).toBe(2);
    const d = decodeMediaFrame(bytes);
    expect(d.ok && d.value.header).toMatchObject({ keyframe: false, lost: true });
    bytes[3] = 4;
    expect(decodeMediaFrame(bytes)).toEqual({ ok: false, error: 'bad media frame flags' });
  });

  it('refuses requests with bad shapes, naming the problem', () => {
    expect(decodeClientMessage('{')).toEqual({ ok: false, error: 'not JSON' });
    expect(decodeClientMessage(JSON.stringify({ kind: 'request', id: 1, command: 'format-disk', args: {} })).ok).toBe(false);
    const r = decodeClientMessage(JSON.stringify({ kind: 'request', id: 1, command: 'hangup', args: { callId: 'x' } }));
    expect(r).toEqual({ ok: false, error: 'hangup: callId must be a positive integer' });
    expect(decodeClientMessage(JSON.stringify({ kind: 'request', id: 1, command: 'requestKeyframeFromPeer', args: {} }))).toEqual({
      ok: false,
      error: 'requestKeyframeFromPeer: callId must be a positive integer',
    });
    expect(decodeClientMessage(JSON.stringify({ kind: 'request', id: 1, command: 'sendDtmf', args: { callId: 1, digits: '1;rm' } })).ok).toBe(false);
    expect(decodeClientMessage('x'.repeat(300_000)).ok).toBe(false);
  });

  it('never throws on random text or bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        decodeClientMessage(s);
        decodeServerMessage(s);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        decodeClientMessage(JSON.stringify(v));
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const r = decodeMediaFrame(b);
        if (r.ok) expect(encodeMediaFrame(r.value)).toEqual(b);
      }),
    );
  });
});
