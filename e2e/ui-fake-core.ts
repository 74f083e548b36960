// A scripted stand-in for AppCore behind the browser shell's wire protocol, for the UI specs that
// need calls before the real call stack lands: it serves the built renderer, answers commands
// with a fixed call script, emits the events a real call would, and loops the page's own media
// frames back to it (so the page decodes and plays what it encoded). It checks nothing about
// SIP or ZRTP: those are tested against real peers elsewhere.
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiError, ApiEvent, AppStateSnapshot, CallInfo, CommandName, ContactWithSecurity, HistoryEntry, MediaFrame, PublicSettings, Request, Response, SecurityInfo, SecurityWarning } from '../src/shared/api';
import { decodeClientMessage, decodeMediaFrame, encodeMediaFrame, encodeServerMessage } from '../src/shared/wire';
import { staticHandler } from '../src/main/browser-shell/static-files';
import { publicSettings } from '../src/renderer/state/fixtures';

export interface FakeCore {
  url: string;
  commands: { command: CommandName; args: unknown }[];
  /** Frames the page sent, per stream, and how many of the video ones were keyframes. */
  frames: { audio: number; video: number; videoKeyframes: number; codecs: Set<string> };
  /** Warnings the next call's security events carry (cache mismatch, new identity). */
  nextCallWarnings: SecurityWarning[];
  /** The audio codec the stats say was negotiated (the renderer follows it). */
  audioCodec: 'opus' | 'pcmu' | 'pcma';
  /** When set, the `call` command fails with this typed error. */
  callError: ApiError | null;
  /** First run: the snapshot asks for the account setup until settings are saved. */
  needsSetup: boolean;
  /** What getHistory and listContacts answer (fixed values, for the screenshot specs). */
  history: HistoryEntry[];
  contacts: ContactWithSecurity[];
  /** The speaker the settings name ('' = the fixtures' system default). */
  speakerId: string;
  emit(event: ApiEvent): void;
  currentCall(): CallInfo | null;
  stop(): Promise<void>;
}

/** The event of a call ringing in from `name` (Carol by default), as the core emits it. */
export function incomingCallEvent(callId: number, name = 'Carol', uri = 'sip:carol@127.0.0.1'): ApiEvent {
  return {
    type: 'callState',
    call: { callId, direction: 'incoming', state: 'incoming', remoteUri: uri, remoteName: name, startedAt: Date.now(), held: false, remoteHeld: false, muted: false, video: { local: 'off', remote: 'off', declinedByPeer: false } },
  };
}

/** The renderer tests' settings, but with no SIP username (a direct-IP-only account). */
function settings(speakerId = ''): PublicSettings {
  const base = publicSettings();
  return { ...base, account: { ...base.account, username: '' }, ...(speakerId ? { devices: { ...base.devices, speakerId } } : {}) };
}

export async function startFakeCore(): Promise<FakeCore> {
  const sockets = new Set<WebSocket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let call: CallInfo | null = null;
  let security: SecurityInfo | null = null;
  let nextCallId = 1;
  let statsTimer: ReturnType<typeof setInterval> | null = null;
  let sent = { audio: 0, video: 0 };

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const emit = (event: ApiEvent) => {
    for (const ws of sockets) ws.send(encodeServerMessage({ kind: 'event', event }));
  };
  const updateCall = (patch: Partial<CallInfo>) => {
    if (!call) return;
    call = { ...call, ...patch, video: { ...call.video, ...(patch.video ?? {}) } };
    emit({ type: 'callState', call });
    if (call.state === 'ended') {
      call = null;
      security = null;
      if (statsTimer) clearInterval(statsTimer);
      statsTimer = null;
    }
  };
  const updateSecurity = (patch: Partial<SecurityInfo>) => {
    if (!security) return;
    security = { ...security, ...patch };
    emit({ type: 'security', security });
  };

  const core: FakeCore = {
    url: '',
    commands: [],
    frames: { audio: 0, video: 0, videoKeyframes: 0, codecs: new Set() },
    nextCallWarnings: [],
    audioCodec: 'opus',
    callError: null,
    needsSetup: false,
    history: [],
    contacts: [],
    speakerId: '',
    emit: (event) => {
      // Calls the test injects (an incoming call) become the scripted call, so answering connects it.
      if (event.type === 'callState' && event.call.state !== 'ended') call = event.call;
      emit(event);
    },
    currentCall: () => call,
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      if (statsTimer) clearInterval(statsTimer);
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  function connect(callId: number) {
    // As AppCore does once the stream starts: the negotiated codec the renderer must encode for.
    updateCall({ state: 'connected', connectedAt: Date.now(), codecs: { audio: core.audioCodec } });
    security = {
      callId,
      mode: 'zrtp',
      state: 'securing',
      sas: '',
      sasType: '',
      verified: false,
      label: 'end-to-end encrypted',
      peerZid: '',
      details: { keyAgreement: '', cipher: '', hash: '', authTag: '', sasType: '', srtpSuite: '' },
      perStream: { audio: { state: 'securing', multistream: false } },
      warnings: [],
    };
    emit({ type: 'security', security });
    const warnings = core.nextCallWarnings;
    core.nextCallWarnings = [];
    later(300, () =>
      updateSecurity({
        state: 'sas-ready',
        sas: 'k7xq',
        sasType: 'B32',
        peerZid: '0123456789abcdef01234567',
        details: { keyAgreement: 'X255', cipher: 'AES1', hash: 'S256', authTag: 'HS80', sasType: 'B32', srtpSuite: 'AES_CM_128_HMAC_SHA1_80' },
        perStream: { audio: { state: 'sas-ready', multistream: false } },
        warnings,
      }),
    );
    sent = { audio: 0, video: 0 };
    let previous = { audio: 0, video: 0 };
    statsTimer = setInterval(() => {
      if (!call) return;
      const streams = (['audio', 'video'] as const)
        .filter((s) => s === 'audio' || call!.video.local === 'on')
        .map((stream) => ({
          stream,
          codec: stream === 'audio' ? core.audioCodec : 'vp8',
          sendBitrate: (sent[stream] - previous[stream]) * 8 * 2,
          recvBitrate: (sent[stream] - previous[stream]) * 8 * 2,
          packetsSent: 100,
          packetsReceived: 99,
          packetsLost: 1,
          fractionLost: stream === 'video' ? 0.2 : 0.01,
          jitterMs: 2.5,
          rttMs: 1,
          protectFailures: 0,
          dropped: {},
        }));
      previous = { ...sent };
      emit({ type: 'stats', stats: { callId, at: Date.now(), streams } });
    }, 500);
  }

  function handle(req: Request): unknown {
    core.commands.push({ command: req.command, args: req.args });
    const args = req.args as Record<string, unknown>;
    switch (req.command) {
      case 'ping':
        return { roundTripMs: 0.5, workerThreadId: 1, workerPid: process.pid };
      case 'getState': {
        const snapshot: AppStateSnapshot = {
          version: 'fake',
          apiVersion: 1,
          dataDir: '/nonexistent',
          settings: settings(core.speakerId),
          registration: { state: 'unregistered', address: '' },
          calls: call ? [call] : [],
          security: security ? [security] : [],
          needsSetup: core.needsSetup,
          zid: '000000000000000000000000',
        };
        return snapshot;
      }
      case 'getSettings':
        return settings(core.speakerId);
      case 'getHistory':
        return core.history;
      case 'listContacts':
        return core.contacts;
      case 'updateSettings':
        core.needsSetup = false;
        return settings(core.speakerId);
      case 'call': {
        const callId = nextCallId++;
        call = {
          callId,
          direction: 'outgoing',
          state: 'calling',
          remoteUri: String(args.uri),
          remoteName: 'Bob',
          startedAt: Date.now(),
          held: false,
          remoteHeld: false,
          muted: false,
          video: { local: 'off', remote: 'off', declinedByPeer: false },
        };
        later(10, () => emit({ type: 'callState', call: call! }));
        later(200, () => updateCall({ state: 'ringing' }));
        later(400, () => connect(callId));
        return { callId };
      }
      case 'answer':
        later(10, () => connect(Number(args.callId)));
        return null;
      case 'setSasVerified':
        if (args.verified) later(10, () => updateSecurity({ state: 'secure', verified: true, warnings: [], perStream: { audio: { state: 'secure', multistream: false } } }));
        // As AppCore does: "Doesn't match" ends the call.
        else later(10, () => updateCall({ state: 'ended', endedAt: Date.now(), endReason: 'sas-mismatch' }));
        return null;
      case 'hangup':
        later(10, () => updateCall({ state: 'ended', endedAt: Date.now(), endReason: 'local-hangup' }));
        return null;
      case 'mute':
        later(10, () => updateCall({ muted: Boolean(args.on) }));
        return null;
      case 'hold':
        later(10, () => updateCall({ held: Boolean(args.on), state: args.on ? 'held' : 'connected' }));
        return null;
      case 'addVideo':
        later(10, () => updateCall({ video: { local: 'adding', remote: 'off', declinedByPeer: false } }));
        later(600, () => {
          updateCall({ video: { local: 'on', remote: 'on', declinedByPeer: false } });
          updateSecurity({ perStream: { ...security!.perStream, video: { state: 'secure', multistream: true } } });
        });
        return null;
      case 'removeVideo':
        later(10, () => updateCall({ video: { local: 'off', remote: 'off', declinedByPeer: false } }));
        return null;
      default:
        return null;
    }
  }

  const server: Server = createServer(staticHandler(resolve('out/renderer'), () => core.url.replace(/^http/, 'ws').replace(/\/$/, '')));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 << 20 });
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws)));
  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      const bytes = data as Buffer;
      if (isBinary) {
        const f = decodeMediaFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        if (!f.ok) return;
        const frame: MediaFrame = f.value;
        const stream = frame.header.stream;
        core.frames[stream]++;
        core.frames.codecs.add(frame.header.codec);
        if (stream === 'video' && frame.header.keyframe) core.frames.videoKeyframes++;
        sent[stream] += frame.payload.length;
        ws.send(encodeMediaFrame(frame));
        return;
      }
      const m = decodeClientMessage(bytes.toString('utf8'));
      if (!m.ok) return;
      const res: Response =
        m.value.command === 'call' && core.callError
          ? { kind: 'response', id: m.value.id, ok: false, error: core.callError }
          : ({ kind: 'response', id: m.value.id, ok: true, result: handle(m.value) } as Response);
      ws.send(encodeServerMessage(res));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  core.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return core;
}
