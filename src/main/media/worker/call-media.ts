// Everything per packet of one call, in its media worker: the streams (audio, then video), their
// ZRTP sessions (the video one in multistream mode from the audio one's ZRTPSess, RFC 6189
// §4.4.3), the SRTP keys they export, and the reports main needs. Main drives it with
// worker-protocol messages; nothing here blocks main.

import { randomBytes } from 'node:crypto';
import type { RemoteInfo } from 'node:dgram';
import type { StreamKind } from '../../../shared/api';
import { ZrtpEngine, SUPPORTED, messageTypeOf, type AlgorithmPreferences, type ZrtpEvent } from '../../../crypto/zrtp';
import { suiteForZrtp, type SrtpPrimitives } from '../../../crypto/srtp';
import { RtpStream } from './rtp-stream';
import { ZrtpDriver } from './zrtp-driver';
import { LivenessWatch } from './liveness-watch';
import { WorkerZrtpCache, toHex, fromHex } from './zrtp-cache-copy';
import { openSink, openSource, type PostedFrame } from './stream-io';
import { IceTransport } from './ice-transport';
import { stockKeyPair, takeKeyPairs } from './key-pair-stock';
import { nodeZrtpPrimitives } from '../zrtp-node';
import type { LocalIceParams, MainToWorker, StreamStart, WorkerToMain, ZrtpPreferences, ZrtpReport } from '../worker-protocol';

type Init = Extract<MainToWorker, { type: 'init' }>;
type OpenStream = Extract<MainToWorker, { type: 'openStream' }>;
type Prepare = Extract<MainToWorker, { type: 'prepare' }>;
type StreamOpened = Extract<WorkerToMain, { type: 'streamOpened' }>;

interface StreamSlot {
  stream: RtpStream;
  /** ICE on the stream's socket, when main asked for candidates (ice-transport.ts). */
  ice?: IceTransport;
  driver?: ZrtpDriver;
  /** A later stream's engine, made at open for its a=zrtp-hash, waiting for its multistream parent. */
  engine?: ZrtpEngine;
  start?: StreamStart;
  /** A peer a=zrtp-hash that arrived before the engine existed. */
  pendingHelloHash?: string;
  /** ZRTP packets that arrived before the engine existed (video, before audio is secure). */
  early: { packet: Uint8Array; from: RemoteInfo }[];
  /** A Hello was seen and reported to main. */
  helloSeen?: boolean;
}

/**
 * Five requests per check and a short last wait: a pair is given up after ~9.5 s instead of
 * RFC 8489's ~39.5 s, so "no path" reaches the user while they still wait for the call.
 */
const ICE_CHECK_TUNING = { checkRc: 5, checkRm: 4 };
/** A restart's gathering, before the re-offer goes out without what is still missing. */
const ICE_GATHER_TIMEOUT_MS = 1500;

function localIce(ice: IceTransport): LocalIceParams {
  return { ufrag: ice.ufrag, pwd: ice.pwd, candidates: ice.candidates(), defaultCandidate: ice.defaultCandidate() };
}

/** The default of Settings.mediaTimeoutSeconds, for an init that names none. */
const DEFAULT_MEDIA_TIMEOUT_MS = 30_000;

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

function pick<T extends string>(wanted: readonly string[] | undefined, supported: readonly T[]): T[] {
  if (!wanted || wanted.length === 0) return [...supported];
  const out = wanted.filter((w): w is T => (supported as readonly string[]).includes(w));
  return out.length ? out : [...supported];
}

export function zrtpPreferences(p: ZrtpPreferences): AlgorithmPreferences {
  const keyAgreements = pick(p.keyAgreements, SUPPORTED.keyAgreements);
  // Mult is how every stream after the first is keyed (§4.4.3): always offered.
  if (!keyAgreements.includes('Mult')) keyAgreements.push('Mult');
  return {
    hashes: pick(p.hashes, SUPPORTED.hashes),
    ciphers: pick(p.ciphers, SUPPORTED.ciphers),
    authTags: pick(p.authTags, SUPPORTED.authTags),
    keyAgreements,
    sasTypes: pick(p.sasTypes, SUPPORTED.sasTypes),
  };
}

export class CallMedia {
  private init: Init | undefined;
  private cache: WorkerZrtpCache | undefined;
  private preferences: AlgorithmPreferences = SUPPORTED;
  private readonly slots = new Map<StreamKind, StreamSlot>();
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  /** Ends a call whose peer vanished: no authenticated media for the timeout (media-liveness.ts). */
  private liveness: LivenessWatch | undefined;
  private closed = false;
  /** The audio stream opened ahead of a call ('prepare'), until a call's init takes or closes it. */
  private prepared: { slot: StreamSlot; opened: StreamOpened } | undefined;
  /** No call's init has come for the prepared stream yet: its engine must not start on an empty cache. */
  private preparedIdle = false;
  /** Opening it: messages that come meanwhile wait, in order. */
  private preparing: Promise<void> | undefined;

  constructor(
    private readonly post: (m: WorkerToMain, transfer?: ArrayBuffer[]) => void,
    private readonly primitives: SrtpPrimitives | undefined,
  ) {}

  async handle(m: MainToWorker): Promise<void> {
    // Whether the spare's prepare worked or not, what came meanwhile (a call's init) still runs.
    if (this.preparing) return this.preparing.catch(() => undefined).then(() => this.handle(m));
    switch (m.type) {
      case 'prepare':
        this.preparing = this.prepare(m).finally(() => (this.preparing = undefined));
        return this.preparing;
      case 'init': {
        const prepared = this.prepared;
        this.init = m;
        this.preferences = zrtpPreferences(m.preferences);
        if (prepared && m.prepared && this.cache) {
          // The prepared engine holds this cache: it gets the call's entries (it had none), then
          // the ZRTP packets that came before them.
          this.cache.load(m.cache);
          this.preparedIdle = false;
          for (const e of prepared.slot.early.splice(0)) this.onZrtpPacket(prepared.slot, e.packet, e.from);
        } else {
          this.prepared = undefined;
          if (prepared) void this.closeStream('audio');
          this.cache = new WorkerZrtpCache(m.cache, (peerZid, entry) => this.post({ type: 'cacheUpdate', peerZid, entry }));
        }
        this.statsTimer = setInterval(() => this.postStats(), 1000);
        this.liveness?.close();
        this.liveness = new LivenessWatch(m.mediaTimeoutMs ?? DEFAULT_MEDIA_TIMEOUT_MS, m.host, () => [...this.slots.values()].map((s) => s.stream), (a) => this.post(a));
        return;
      }
      case 'openStream':
        if (m.prepared && m.stream === 'audio' && this.prepared) return this.takePrepared(m.ice);
        return this.openStream(m.stream, m.rtcpMux, m.port, m.ice);
      case 'iceRemote':
        this.slots.get(m.stream)?.ice?.setRemote(m.ice);
        return;
      case 'iceRestart': {
        const ice = this.slots.get(m.stream)?.ice;
        if (!ice) return;
        await ice.restartLocal(m.hosts, ICE_GATHER_TIMEOUT_MS, m.regather);
        this.post({ type: 'iceRestarted', stream: m.stream, ice: localIce(ice) });
        return;
      }
      case 'startStream':
        return this.startStream(m);
      case 'updateStream':
        this.slots.get(m.stream)?.stream.setDirection(m.direction);
        return;
      case 'rekeyStream': {
        const slot = this.slots.get(m.stream);
        if (!slot) return;
        slot.driver?.dispose();
        slot.driver = undefined;
        slot.stream.rekey(m.security);
        return;
      }
      case 'closeStream':
        return this.closeStream(m.stream);
      case 'setSasVerified':
        this.slots.get('audio')?.driver?.engine.setSasVerified(m.verified);
        return;
      case 'sendDtmf':
        this.slots.get('audio')?.stream.sender.sendDtmf(m.digits);
        return;
      case 'mute': {
        const a = this.slots.get('audio');
        if (a) a.stream.sender.muted = m.on;
        return;
      }
      case 'requestKeyframeFromPeer':
        this.slots.get(m.stream)?.stream.receiver.requestKeyframe();
        return;
      case 'frame':
        this.slots.get(m.stream)?.stream.sender.sendFrame({ data: m.payload, offset: 0, length: m.payload.length, timestamp: m.timestamp, keyframe: m.keyframe });
        return;
      case 'hangup':
        await this.close();
        this.post({ type: 'closed' });
        return;
      default:
        return;
    }
  }

  /**
   * Opens the next call's audio stream while the worker waits for the call (issue 23), as a
   * callee's with the given ZID, preferences and host: a call whose init matches takes it, and
   * its 200 then waits for no socket, engine or message from here. The cache stays empty until
   * then. Another key pair is made for a call that does not take it (an outgoing one).
   */
  private async prepare(m: Prepare): Promise<void> {
    if (this.init || this.prepared || this.closed) return;
    const init: Init = { type: 'init', callId: 0, zid: m.zid, cache: {}, preferences: m.preferences, cacheExpiration: m.cacheExpiration, role: 'callee', host: m.host };
    this.init = init;
    this.preferences = zrtpPreferences(m.preferences);
    this.cache = new WorkerZrtpCache({}, (peerZid, entry) => this.post({ type: 'cacheUpdate', peerZid, entry }));
    let opened: StreamOpened;
    try {
      opened = await this.openSlot('audio', false);
    } catch (e) {
      // Nothing prepared is left behind: the call that takes this worker opens its own stream.
      this.cache = undefined;
      this.preferences = SUPPORTED;
      await this.closeStream('audio');
      throw e;
    } finally {
      this.init = undefined;
    }
    this.prepared = { slot: this.slots.get('audio')!, opened };
    this.preparedIdle = true;
    if (opened.helloHash) this.post({ type: 'prepared', rtpPort: opened.rtpPort, rtcpPort: opened.rtcpPort, helloHash: opened.helloHash });
    // Not on the way of a call that comes now: its init does not wait for this.
    setImmediate(() => stockKeyPair(this.preferences));
  }

  /** The call takes the prepared audio stream; with ICE its candidates are gathered now. */
  private async takePrepared(ice: OpenStream['ice']): Promise<void> {
    const { slot, opened } = this.prepared!;
    this.prepared = undefined;
    if (!ice) return;
    slot.ice = await this.openIce('audio', slot, ice, opened.rtpPort);
    this.post({ ...opened, ice: localIce(slot.ice) });
  }

  private async openStream(kind: StreamKind, rtcpMux: boolean, port?: number, ice?: OpenStream['ice']): Promise<void> {
    this.post(await this.openSlot(kind, rtcpMux, port, ice));
  }

  private async openSlot(kind: StreamKind, rtcpMux: boolean, port?: number, ice?: OpenStream['ice']): Promise<StreamOpened> {
    if (!this.init) throw new Error('init first');
    const old = this.slots.get(kind);
    if (old) await this.closeStream(kind);
    const slot: StreamSlot = { stream: undefined as unknown as RtpStream, early: [] };
    const stream = new RtpStream(
      kind,
      {
        zrtp: (packet, from) => {
          this.noteHello(kind, slot, packet);
          this.onZrtpPacket(slot, packet, from);
        },
        firstFrame: () => this.post({ type: 'firstFrame', stream: kind, at: performance.now() }),
        dtmf: (digit) => this.post({ type: 'dtmf', digit }),
        keyframeRequested: () => {
          if (slot.start?.source.kind === 'frames') this.post({ type: 'peerWantsKeyframe', stream: kind });
        },
        remoteBye: () => this.post({ type: 'remoteBye', stream: kind }),
        log: (message) => this.post({ type: 'log', level: 'info', message }),
      },
      this.primitives,
      random,
      `vouch-${this.init.zid.slice(0, 8)}@${this.init.host}`,
    );
    slot.stream = stream;
    this.slots.set(kind, slot);
    const ports = await stream.open(this.init.host, rtcpMux, port);
    if (ice) slot.ice = await this.openIce(kind, slot, ice, ports.rtpPort);
    this.createEngine(kind, slot);
    return { type: 'streamOpened', stream: kind, rtpPort: ports.rtpPort, rtcpPort: ports.rtcpPort, helloHash: (slot.driver?.engine ?? slot.engine)?.helloHash(), ice: slot.ice && localIce(slot.ice) };
  }

  /**
   * Gathers the stream's candidates before its SDP goes out. ZRTP starts on the first pair whose
   * check succeeds (no wait for nomination); a later selected pair only moves the path.
   */
  private async openIce(kind: StreamKind, slot: StreamSlot, ice: NonNullable<OpenStream['ice']>, rtpPort: number): Promise<IceTransport> {
    const transport = new IceTransport(slot.stream.path.rtpSocket, { address: this.init!.host, port: rtpPort }, ice.servers, ice.controlling, {
      path: (to, pair, pathKind, selected) => {
        slot.stream.path.useIcePath(to);
        const show = (c: { address: string; port: number; type: string }) => `${c.type} ${c.address}:${c.port}`;
        this.post({ type: 'icePath', stream: kind, kind: pathKind, selected, local: show(pair.local), remote: show(pair.remote), rttMs: pair.rttMs });
        this.startZrtpWhenRouted(slot);
      },
      failed: (reason) => {
        // ICE found no pair, but the SDP's path carried the peer's ZRTP: the call has a path.
        if (reason === 'no-path' && slot.helloSeen) {
          this.post({ type: 'log', level: 'info', message: `${kind}: ICE found no pair; media stays on the SDP's path` });
          return;
        }
        this.post({ type: 'iceFailed', stream: kind, reason });
      },
      consentLost: () => {
        slot.stream.path.dropIcePath();
        this.post({ type: 'iceConsentLost', stream: kind });
      },
      log: (message) => this.post({ type: 'log', level: 'info', message: `${kind}: ${message}` }),
    }, { ...ICE_CHECK_TUNING, hosts: ice.hosts });
    slot.stream.path.attachIce(transport);
    await transport.gathered(ice.gatherTimeoutMs);
    return transport;
  }

  /**
   * ZRTP (when this stream is keyed by it) starts at once on the SDP's path — a peer's public
   * address from the registrar often works before any ICE check has — and moves to ICE's first
   * working pair when there is one (its retransmissions follow the path).
   */
  private startZrtpWhenRouted(slot: StreamSlot): void {
    if (slot.start?.security.mode !== 'zrtp') return;
    slot.driver?.start();
  }

  /**
   * The first stream runs a DH exchange; later streams use multistream mode from its ZRTPSess
   * (§4.4.3), so they wait until the first one is secure. A later stream opened before that (video
   * in a peer's first offer, as linphonec -V sends it) gets its engine at once, so its Hello hash
   * goes into our SDP (§8.1), and its parent when the first stream is secure.
   */
  private createEngine(kind: StreamKind, slot: StreamSlot): void {
    if (slot.driver || !this.init || !this.cache) return;
    const first = kind === 'audio' ? undefined : this.slots.get('audio')?.driver?.engine;
    const multistream = first ? first.multistreamParent() : undefined;
    if (kind !== 'audio' && !multistream) {
      slot.engine ??= this.newEngine(slot, undefined);
      return;
    }
    const waiting = slot.engine;
    const engine = waiting && multistream && waiting.setMultistreamParent(multistream) ? waiting : this.newEngine(slot, multistream);
    slot.engine = undefined;
    slot.driver = new ZrtpDriver(engine, {
      send: (p) => slot.stream.path.sendZrtp(p),
      event: (e) => this.onZrtpEvent(kind, slot, e),
      now: () => performance.now(),
    });
    if (slot.pendingHelloHash) slot.driver.setPeerHelloHash(slot.pendingHelloHash);
    this.startZrtpWhenRouted(slot);
    for (const e of slot.early.splice(0)) this.onZrtpPacket(slot, e.packet, e.from);
  }

  private newEngine(slot: StreamSlot, multistream: ReturnType<ZrtpEngine['multistreamParent']>): ZrtpEngine {
    return new ZrtpEngine({
      zid: fromHex(this.init!.zid)!,
      ssrc: slot.stream.ssrc,
      random,
      cache: this.cache!,
      // node:crypto's curves and AES-CFB: noble's are never loaded in the worker (issue 23).
      primitives: nodeZrtpPrimitives,
      preferences: this.preferences,
      clientId: 'Vouch 0.1',
      multistream,
      // The pair made while the worker was idle (key-pair-stock.ts): none for a Mult stream.
      keyPairs: multistream ? undefined : takeKeyPairs(this.preferences),
      // The callee leaves the Commit to the caller (the P flag, RFC 6189 §5.2): no commit
      // contention, one round trip less, and the caller's algorithm preferences decide.
      passive: this.init!.role === 'callee',
      // How long the peer should keep this session's rs1: the user's cache expiry (§4.9).
      cacheExpiration: this.init!.cacheExpiration,
    });
  }

  /**
   * Main must know the peer speaks ZRTP even when its handshake then stalls (someone on the path
   * dropping Commit): such a call ends instead of falling back to SDES or plain RTP. Any
   * well-formed Hello counts, whether or not the engine accepts it.
   */
  private noteHello(kind: StreamKind, slot: StreamSlot, packet: Uint8Array): void {
    if (slot.helloSeen || messageTypeOf(packet) !== 'Hello   ') return;
    slot.helloSeen = true;
    this.post({ type: 'zrtp', stream: kind, report: { kind: 'helloSeen' } });
  }

  private onZrtpPacket(slot: StreamSlot, packet: Uint8Array, from: RemoteInfo): void {
    if (!slot.driver || (this.preparedIdle && slot === this.prepared?.slot)) {
      if (slot.early.length < 16) slot.early.push({ packet: new Uint8Array(packet), from });
      return;
    }
    // Symmetric: before SDP tells us where the peer is (caller, before the 200 OK), answer the
    // address its Hello came from, and start our side of the exchange.
    slot.stream.path.learnRemoteFromZrtp(from);
    if (!slot.driver.isStarted) slot.driver.start();
    slot.driver.input(packet);
  }

  private async startStream(m: StreamStart): Promise<void> {
    const slot = this.slots.get(m.stream);
    if (!slot) throw new Error(`stream ${m.stream} is not open`);
    slot.start = m;
    const post = (f: PostedFrame) =>
      this.post({ type: 'frame', stream: m.stream, codec: m.codec.name, timestamp: f.timestamp, keyframe: f.keyframe, ...(f.lost ? { lost: true } : {}), payload: f.payload }, [f.payload.buffer as ArrayBuffer]);
    const source = openSource(m.source, m.codec.name);
    const sink = openSink(m.sink, m.stream, m.codec.name, post);
    if (typeof source === 'string' || typeof sink === 'string') {
      this.post({ type: 'streamError', stream: m.stream, message: typeof source === 'string' ? source : (sink as string) });
      return;
    }
    slot.stream.start(m, source, sink);
    if (m.ice) slot.ice?.setRemote(m.ice);
    if (m.security.mode === 'zrtp') {
      if (m.security.peerHelloHash) {
        if (slot.driver) slot.driver.setPeerHelloHash(m.security.peerHelloHash);
        else slot.pendingHelloHash = m.security.peerHelloHash;
      }
      this.startZrtpWhenRouted(slot);
    }
  }

  private onZrtpEvent(kind: StreamKind, slot: StreamSlot, e: ZrtpEvent): void {
    const report = (r: ZrtpReport) => this.post({ type: 'zrtp', stream: kind, report: r });
    switch (e.type) {
      case 'peerZid':
        report({ kind: 'peerZid', peerZid: toHex(e.peerZid), clientId: e.clientId });
        return;
      case 'sasReady':
        report({ kind: 'sasReady', sas: e.sas, sasType: e.sasType, verified: e.verified });
        return;
      case 'secure': {
        const suite = suiteForZrtp(e.cipher, e.authTag);
        // ZRTP's HS32 gives SRTCP a 32-bit tag too (bzrtp, checked on the wire with linphonec);
        // SDES keeps RFC 3711's 80-bit SRTCP tag for the _32 suites.
        slot.stream.setKeys(suite, e.keys.local, e.keys.remote, e.authTag === 'HS32' ? 4 : undefined);
        // The SRTP sessions derived their own keys from these masters: nothing needs them now.
        for (const k of [e.keys.local, e.keys.remote]) {
          k.masterKey.fill(0);
          k.masterSalt.fill(0);
        }
        report({
          kind: 'secure',
          sas: e.sas,
          sasType: e.sasType,
          cipher: e.cipher,
          authTag: e.authTag,
          hash: e.hash,
          keyAgreement: e.keyAgreement,
          srtpSuite: suite,
          peerZid: toHex(e.peerZid),
          verified: e.verified,
          cacheMismatch: e.cacheMismatch,
          multistream: e.multistream,
          helloHashMatched: e.helloHashMatched,
          at: performance.now(),
        });
        // The first stream is secure: streams waiting for multistream can start now.
        if (kind === 'audio') for (const [k, s] of this.slots) if (k !== 'audio') this.createEngine(k, s);
        return;
      }
      case 'cacheMismatch':
        report({ kind: 'cacheMismatch', peerZid: toHex(e.peerZid) });
        return;
      case 'helloHashMismatch':
        report({ kind: 'helloHashMismatch', expected: e.expected, received: e.received });
        return;
      case 'error':
        // Nothing of the peer's reached us, and ICE has no pair: there is no path, and that is
        // what the user must hear, not only that ZRTP got no answer.
        if (!e.sentByPeer && slot.ice && slot.start?.ice && !slot.helloSeen && !slot.stream.path.icePathSet) this.post({ type: 'iceFailed', stream: kind, reason: 'no-path' });
        report({ kind: 'error', code: e.code, reason: e.reason, sentByPeer: e.sentByPeer });
        return;
      case 'rejected':
        return;
    }
  }

  /** Secrets the streams' ZRTP sessions still hold (the wipe test reads them; empty after close). */
  heldZrtpSecrets(): Uint8Array[] {
    return [...this.slots.values()].flatMap((s) => [...(s.driver?.engine.heldSecrets() ?? []), ...(s.engine?.heldSecrets() ?? [])]);
  }

  private postStats(): void {
    const streams = [...this.slots.values()].filter((s) => s.start).map((s) => s.stream.stats(s.start!.codec.name));
    if (streams.length) this.post({ type: 'stats', streams });
  }

  private async closeStream(kind: StreamKind): Promise<void> {
    const slot = this.slots.get(kind);
    if (!slot) return;
    this.slots.delete(kind);
    slot.driver?.dispose();
    slot.engine?.dispose();
    // The TURN allocation is released (Refresh, lifetime 0) before the socket closes.
    slot.ice?.close();
    await slot.stream.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.liveness?.close();
    this.postStats();
    // Video first: its keys hang off the audio stream's ZRTPSess.
    await this.closeStream('video');
    await this.closeStream('audio');
    this.cache?.clear();
  }
}
