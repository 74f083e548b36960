// The calls of one AppCore: the SIP user agent, the media workers, the ZRTP cache and identities,
// and the api.ts events calls raise. AppCore hands call commands here.

import type { ApiEvent, CallId, CallInfo, Codec, IceFailure, ListeningInfo, MediaFrame, RegistrationInfo, Settings, StreamKind } from '../../shared/api';
import { MEDIA_FRAME_HEADER_BYTES } from '../../shared/api';
import { describeIceFailure } from '../../shared/ice-words';
import type { IceServerSpec } from '../media/worker-protocol';
import { resolveIceServers, type ResolvedIceServers } from '../net/ice-servers';
import { DEFAULT_SIP_PORT, DEFAULT_SIPS_PORT } from '../sip/listen';
import { listeningInfo, mediaBindFor, readTlsIdentity } from './listening';
import { dialTarget } from '../../shared/dial-target';
import { SipUa, SipParseError, SipStatusError, type SipSession } from '../sip';
import { parseDnsServers, settingsDnsLookup } from '../sip/resolve-dns';
import { parseProxy } from '../sip/routing';
import { Call } from '../call/call';
import { zrtpInitOf } from '../call/worker-relay';
import type { CallDeps, LocalMedia } from '../call/call-events';
import type { MediaIo } from '../call/media-plan';
import type { MediaWorkerHost } from '../media/host/worker-host';
import type { ZrtpCacheStore } from '../store/zrtp-cache-store';
import { historyEntryOf, historySecurityOf, turnedAwayEntry, type HistoryStore } from './history';
import { addressOfRecord, displayNameOf } from '../sip/address';
import { CommandError } from './errors';
import { RegistrationKeeper, failureText } from './registration-keeper';
import { attendedTransfer, blindTransfer, holdOthers, replacedCall, takeReferrals, type TransferHost } from './transfer';

export interface CallManagerOptions {
  /**
   * Address SIP and media bind to and advertise (tests: 127.0.0.1). Without it: every interface,
   * and each peer is told the address its route reaches us on.
   */
  host?: string;
  /** SIP port for UDP and TCP; default from settings (5060; 0 = any free port). */
  sipPort?: number;
  /** SIP TLS port; default from settings (5061). */
  sipTlsPort?: number;
  /** PEM files of our TLS certificate and key; default from settings. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  io: MediaIo;
}

const CODEC: Record<string, Codec> = { PCMU: 'pcmu', PCMA: 'pcma', opus: 'opus', VP8: 'vp8' };

/**
 * Where out-of-dialog requests go first: the proxy the user set; else, for a registered
 * account, its registrar (as Linphone and baresip do: an AOR only the registrar can find);
 * else nowhere (direct-IP calls go straight to the callee).
 */
function outboundProxyFor(a: Settings['account'], registered: boolean): string | undefined {
  const configured = a.outboundProxy ? a.outboundProxy : registered ? `${a.server}${a.transport === 'udp' ? '' : `;transport=${a.transport}`}` : '';
  if (!configured) return undefined;
  const uri = parseProxy(configured);
  return uri instanceof SipParseError ? undefined : uri;
}

/**
 * How long resolved STUN/TURN addresses are reused: a call asks once per stream (audio, then
 * video) and must not wait on DNS twice; a server that moved is found again within a minute.
 */
const ICE_SERVERS_TTL_MS = 60_000;

/** How long a call placed during the first registration waits for it (a silent registrar costs no more). */
const FIRST_REGISTRATION_WAIT_MS = 3000;

export class CallManager {
  ua: SipUa | undefined;
  private readonly calls = new Map<CallId, Call>();
  private nextId = 1;
  registration: RegistrationInfo = { state: 'unregistered', address: '' };
  /** Benchmarks read these: performance.now() of each mark per call. */
  readonly marks = new Map<CallId, Record<string, number>>();
  readonly io: MediaIo;
  /** What every call is given: settings, where its media binds, the ZRTP cache and identities. */
  private readonly callDeps: CallDeps;
  /** The public address the registrar last saw ('' none yet): a change restarts the calls' ICE. */
  private lastPublicAddress: string | undefined;
  /** Where SIP listens, once it does. */
  listening: ListeningInfo | undefined;
  /** The last resolution of the ICE servers, for the settings it was made from (ICE_SERVERS_TTL_MS). */
  private iceResolution: { key: string; at: number; resolved: Promise<ResolvedIceServers> } | undefined;
  /** Each call's audio path (CallInfo.path), from its 'path' events. */
  private readonly paths = new Map<CallId, NonNullable<CallInfo['path']>>();

  /** One restart of the user agent at a time (restartIfIdle). */
  private restarting: Promise<void> = Promise.resolve();
  /** Registers in the background (registration-keeper.ts); resolves or rejects with the first attempt. */
  private keeper: RegistrationKeeper | undefined;

  /** RFC 3263 lookups ask the servers the settings name now (else VOUCH_DNS_SERVERS, else the system's). */
  private readonly dns = settingsDnsLookup(() => {
    const servers = this.getSettings().dnsServers;
    return servers?.length ? servers : parseDnsServers(process.env.VOUCH_DNS_SERVERS);
  });

  constructor(
    private readonly options: CallManagerOptions,
    private readonly getSettings: () => Settings,
    private readonly workers: MediaWorkerHost,
    private readonly zrtpStore: ZrtpCacheStore,
    private readonly history: HistoryStore,
    private readonly emit: (e: ApiEvent) => void,
    private readonly emitFrame: (f: MediaFrame) => void,
  ) {
    this.io = options.io;
    this.callDeps = {
      settings: () => this.getSettings(),
      localMedia: (peer) => this.localMedia(peer),
      io: options.io,
      get zid() {
        return zrtpStore.zid;
      },
      zrtpCache: zrtpStore,
      identities: zrtpStore,
      iceServers: () => this.iceServers(),
    };
    // Each spare worker opens the next call's audio stream for the bind address calls get when
    // the peer is reached over IPv4 (localMedia) and the ZRTP settings of now (issue 23).
    workers.prepareWith(() => {
      const s = this.getSettings();
      return { zid: zrtpStore.zid, ...zrtpInitOf(s), host: mediaBindFor(this.ua?.options.host ?? this.options.host ?? (s.sipHost || undefined), '0.0.0.0') };
    });
  }

  localMedia(peer: string): LocalMedia {
    // Calls exist only once the user agent runs (start() comes first).
    const pinned = this.ua?.options.host;
    // Through the registrar from behind a NAT, the public address it saw (no server rewrites it).
    const advertise = this.ua ? this.ua.mediaAddressFor(peer) : '';
    const bind = mediaBindFor(pinned, advertise);
    return { bind, advertise, local: this.ua?.interfaceAddressFor(peer) ?? bind };
  }

  /**
   * The STUN/TURN servers of the settings, resolved (undefined: ICE is off). Servers that do not
   * resolve are left out and said once per resolution as an 'ice' error; the call goes on with
   * the rest (and its host candidates).
   */
  private async iceServers(): Promise<IceServerSpec | undefined> {
    const ice = this.getSettings().ice;
    if (!ice.enabled) return undefined;
    const key = JSON.stringify(ice);
    const now = Date.now();
    const cached = this.iceResolution;
    if (cached === undefined || cached.key !== key || now - cached.at > ICE_SERVERS_TTL_MS) {
      const resolved = resolveIceServers(ice, this.dns);
      this.iceResolution = { key, at: now, resolved };
      void resolved.then(({ problems }) => {
        for (const p of problems) this.emit({ type: 'error', scope: 'ice', message: `${p}; calls go on without it`, code: 'network' });
      });
    }
    return (await this.iceResolution!.resolved).spec;
  }

  /**
   * The account changed: start the user agent again with the new identity, on the same port, so
   * the address peers already know keeps working. Calls in progress keep the old one until idle.
   */
  restartIfIdle(listenChanged = false): Promise<void> {
    // One restart at a time: settings saved twice in a row must not race two user agents.
    const run = async () => {
      if (!this.ua || this.calls.size > 0) return;
      // New ports or a new pinned address take the settings' values; else the same port.
      const port = listenChanged ? undefined : this.sipPort;
      await this.ua.close();
      this.ua = undefined;
      await this.start(port);
    };
    this.restarting = this.restarting.then(run, run);
    return this.restarting;
  }

  /** Starts the SIP user agent (and registers when an account with a server is set). */
  async start(portOverride?: number): Promise<void> {
    if (this.ua) return;
    const s = this.getSettings();
    const a = s.account;
    const user = (a.username || /^sips?:([^@]+)@/.exec(a.address)?.[1] || 'vouch').slice(0, 64);
    const domain = /@([^;>]+)/.exec(a.address)?.[1];
    const port = portOverride ?? this.options.sipPort ?? s.sipPort ?? DEFAULT_SIP_PORT;
    const tlsPort = this.options.sipTlsPort ?? s.sipTlsPort ?? DEFAULT_SIPS_PORT;
    const identity = readTlsIdentity(this.options.tlsCertFile ?? s.tlsCertFile, this.options.tlsKeyFile ?? s.tlsKeyFile);
    const register = !a.directIpOnly && a.server !== '';
    // Said at once: a silent registrar must not leave the user with no word for half a minute.
    this.keeper?.stop();
    if (register) this.setRegistration({ state: 'registering', address: a.address });
    this.ua = await SipUa.start({
      user,
      displayName: a.displayName || undefined,
      domain: register ? domain : undefined,
      // Pinned by the front end (--host), else by settings, else every interface.
      host: this.options.host ?? (s.sipHost || undefined),
      listen: { port, tlsPort },
      // Outgoing TLS: the server's certificate checked against Node's roots plus the CA the user
      // trusts; incoming TLS only with our own certificate and key.
      tls: { port: tlsPort, extraCa: a.trustedCaPem || undefined, cert: identity.cert, key: identity.key },
      registrar: register ? `sip:${a.server}${a.transport === 'udp' ? '' : `;transport=${a.transport}`}` : undefined,
      password: a.password,
      callWaiting: s.callWaiting,
      registerOnStart: false,
      outboundProxy: outboundProxyFor(a, register),
      dns: this.dns,
      keepAliveSeconds: s.keepAliveSeconds,
    }).catch((e: unknown) => {
      this.setRegistration({ state: 'failed', address: a.address, reason: failureText(e), sipStatus: e instanceof SipStatusError ? e.status : undefined });
      throw new CommandError({ code: 'network', message: `SIP could not start: ${failureText(e)}` });
    });
    const ua = this.ua;
    this.listening = listeningInfo(ua, user, ua.options.host, identity.problem);
    this.emit({ type: 'listening', listening: this.listening });
    if (register) this.keeper = new RegistrationKeeper(ua, a.address, a.server, (r) => this.setRegistration(r), () => this.ua === ua);
    this.ua.on('incoming', (session: SipSession) => this.onIncoming(session));
    this.ua.on('publicAddress', (a: { host: string; port: number } | undefined) => {
      this.setRegistration({ ...this.registration, publicAddress: undefined });
      // The router's public address changed under running calls: their candidates are stale.
      const key = a ? `${a.host}:${a.port}` : '';
      if (this.lastPublicAddress !== undefined && key !== this.lastPublicAddress) this.restartIce('the public address changed');
      this.lastPublicAddress = key;
    });
    this.ua.on('networkChanged', () => this.restartIce('the network changed'));
    this.ua.on('registrationFailed', (err: Error) =>
      this.setRegistration({ state: 'failed', address: a.address, reason: failureText(err), sipStatus: err instanceof SipStatusError ? err.status : undefined }),
    );
  }

  /** The first registration attempt of the running user agent (none: resolved). */
  registered(): Promise<void> {
    return this.keeper?.first ?? Promise.resolve();
  }

  /** The first registration attempt, waited for at most FIRST_REGISTRATION_WAIT_MS; never rejects. */
  private async firstRegistration(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.registered().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, FIRST_REGISTRATION_WAIT_MS)))]);
    clearTimeout(timer);
  }

  get sipPort(): number | undefined {
    return this.ua?.localAddress('UDP')?.port;
  }

  /** ICE restart of every connected call (RFC 8445 §9) after a network change. */
  private restartIce(why: string): void {
    for (const call of this.calls.values()) {
      call.restartIce().catch((e: unknown) => this.emit({ type: 'error', scope: 'ice', callId: call.id, message: `ICE restart after ${why} failed: ${(e as Error).message}`, code: 'network' }));
    }
  }

  private setRegistration(report: RegistrationInfo): void {
    // The public address learned behind a NAT stays in every report until it goes away.
    const pub = report.state === 'registered' || report.state === 'registering' ? this.ua?.registration?.publicAddress : undefined;
    const r = pub ? { ...report, publicAddress: `${pub.host.includes(':') ? `[${pub.host}]` : pub.host}:${pub.port}` } : report;
    this.registration = r;
    this.emit({ type: 'registration', registration: r });
    if (r.state === 'failed') this.emit({ type: 'error', scope: 'registration', message: `registration failed${r.sipStatus ? `: ${r.sipStatus} ${r.reason ?? ''}` : `: ${r.reason ?? ''}`}`.trim(), code: 'network' });
  }

  list(): CallInfo[] {
    return [...this.calls.values()].map((c) => this.infoOf(c));
  }

  /** The call's CallInfo with its audio path, as front ends see it. */
  private infoOf(call: Call): CallInfo {
    const path = this.paths.get(call.id);
    return path ? { ...structuredClone(call.info), path: { ...path } } : structuredClone(call.info);
  }

  securityList() {
    return [...this.calls.values()].map((c) => c.security);
  }

  get(callId: CallId): Call {
    const c = this.calls.get(callId);
    if (!c) throw new CommandError({ code: 'unknown-call', message: `no call ${callId}` });
    return c;
  }

  /** `sip:user@host:port`, or a bare `user@host` / `host:port`. */
  async call(uri: string): Promise<CallId> {
    await this.start();
    return (await this.place(dialTarget(uri, 'vouch'))).id;
  }

  /** A new outgoing call to a SIP URI; `headers` go into its INVITE (Replaces for a transfer). */
  private async place(target: string, headers: [string, string][] = []): Promise<Call> {
    const id = this.nextId++;
    const ua = this.ua!;
    // A call placed while the account registers waits for that first attempt (bounded): behind
    // a NAT its answer tells the public address the offer must carry (mediaAddressFor).
    await this.firstRegistration();
    // The offer's c= line carries the address the next hop reaches us on.
    const peer = await ua.nextHopAddress(target);
    const call = Call.outgoing(id, this.callDeps, (offer) => ua.invite(target, offer, headers), target, peer);
    this.track(call);
    await call.start(this.workers.acquire());
    this.calls.set(id, call);
    if (call.sipSession) takeReferrals(this.transferHost, call, call.sipSession);
    return call;
  }

  /** What transfer.ts needs: the calls, placing one, and the events. */
  private readonly transferHost: TransferHost = {
    calls: () => this.calls.values(),
    place: (target, headers) => this.place(target, headers),
    emit: (e) => this.emit(e),
  };

  /** Answers `callId`; a call already talking is held first (call waiting). */
  async answer(callId: CallId, video: boolean): Promise<void> {
    const call = this.get(callId);
    await holdOthers(this.calls.values(), callId);
    await call.answer(video);
  }

  /** Holds or resumes `callId`; resuming holds the call that talks now (call waiting: swap). */
  async hold(callId: CallId, on: boolean): Promise<void> {
    const call = this.get(callId);
    if (!on) await holdOthers(this.calls.values(), callId);
    await call.hold(on);
  }

  /** Blind transfer of `callId`'s peer to `to` (typed as for a call). */
  transfer(callId: CallId, to: string): Promise<void> {
    return blindTransfer(this.transferHost, this.get(callId), dialTarget(to, 'vouch'));
  }

  /** Attended transfer: `callId`'s peer replaces us in `targetCallId`. */
  transferAttended(callId: CallId, targetCallId: CallId): Promise<void> {
    if (callId === targetCallId) throw new CommandError({ code: 'bad-request', message: 'a call cannot be transferred to itself' });
    return attendedTransfer(this.transferHost, this.get(callId), this.get(targetCallId));
  }

  private onIncoming(session: SipSession): void {
    const id = this.nextId++;
    // Do not disturb: no ringing, the caller hears busy (RFC 3261 §21.4.24), the call is a missed one.
    if (this.getSettings().doNotDisturb && !replacedCall(this.transferHost, session)) {
      session.reject(486, 'Busy Here');
      const from = session.remoteIdentity;
      this.history.add(turnedAwayEntry(id, addressOfRecord(from) ?? from.trim(), displayNameOf(from), Date.now()));
      this.emit({ type: 'history', history: this.history.list() });
      return;
    }
    const made = Call.incoming(id, this.callDeps, session);
    if (!(made instanceof Call)) {
      // The reason phrase says why (Bad Request, Unsupported Media Type...), the headers what we take.
      session.reject(made.status, made.reason ?? made.refused, made.headers);
      this.emit({ type: 'error', scope: made.scope, message: `refused an incoming call: ${made.refused}`, code: made.scope === 'security' ? 'security' : made.status === 488 ? 'media' : 'bad-request' });
      return;
    }
    this.track(made);
    this.calls.set(id, made);
    takeReferrals(this.transferHost, made, session);
    // RFC 3891 §3: a call replacing one of ours (attended transfer) is taken without ringing,
    // and the replaced call ends once it is; the new peer gets a fresh ZRTP exchange and SAS.
    const replaced = replacedCall(this.transferHost, session);
    if (!replaced) session.progress(180);
    const prepared = made.start(this.workers.acquire());
    // Said a check phase later, after the 180 (and an auto-answer's 200 on a prepared stream)
    // left: a front end reading the event must not take the CPU from them (issue 23).
    setImmediate(() => {
      if (this.calls.get(id) === made) this.emitCallState(made);
    });
    if (replaced) {
      void prepared
        .then(() => made.answer())
        .then(() => replaced.hangupWith('transferred'))
        .catch(() => made.hangupWith('failed'));
    } else if (this.getSettings().autoAnswer) void prepared.then(() => this.answer(id, true)).catch(() => made.hangupWith('failed'));
    // Declined while its streams still opened (call waiting's Decline): the worker is gone, not an error.
    else void prepared.catch(() => made.hangupWith('failed'));
  }

  // ---- call events ------------------------------------------------------------------------------

  /** Turns a call's events into api.ts events, history and benchmark marks. */
  private track(call: Call): void {
    const id = call.id;
    call.on('changed', () => this.emitCallState(call));
    call.on('securityChanged', () => this.emit({ type: 'security', security: structuredClone(call.security) }));
    call.on('stats', (e) => this.emit({ type: 'stats', stats: { callId: id, at: Date.now(), streams: e.streams } }));
    call.on('dtmf', (e) => this.emit({ type: 'dtmf', callId: id, digit: e.digit }));
    call.on('frame', ({ frame: f }) =>
      // The worker transferred the payload's buffer to us; a video frame's has the header's room in front.
      this.emitFrame({ header: { callId: id, stream: f.stream, codec: CODEC[f.codec] ?? 'vp8', timestamp: f.timestamp, keyframe: f.keyframe, ...(f.lost ? { lost: true } : {}) }, payload: f.payload, headroom: f.payload.byteOffset >= MEDIA_FRAME_HEADER_BYTES }),
    );
    call.on('keyframeRequest', () => this.emit({ type: 'peerWantsKeyframe', callId: id }));
    this.trackIce(call);
    call.on('mark', (e) => {
      const m = this.marks.get(id) ?? {};
      m[e.what] ??= performance.now();
      this.marks.set(id, m);
    });
    call.on('releaseWorker', (e) => void this.workers.release(e.worker));
    call.on('ended', () => {
      this.calls.delete(id);
      this.paths.delete(id);
      this.history.add(historyEntryOf(call.id, call.info, call.security.verified, historySecurityOf(call.security)));
      this.emit({ type: 'history', history: this.history.list() });
    });
  }

  /**
   * A stream's first working pair (media and ZRTP start on it) and each pair ICE selects become
   * 'path' events; pairs merely checked on the way are not news. Each ICE failure is said once
   * per call, in words, with its reason.
   */
  private trackIce(call: Call): void {
    const id = call.id;
    const shown = new Set<StreamKind>();
    const failures = new Set<IceFailure>();
    call.on('path', (e) => {
      if (!e.selected && shown.has(e.stream)) return;
      shown.add(e.stream);
      if (e.stream === 'audio') this.paths.set(id, e.rttMs !== undefined ? { kind: e.kind, rttMs: e.rttMs } : { kind: e.kind });
      this.emit({ type: 'path', callId: id, stream: e.stream, kind: e.kind, ...(e.rttMs !== undefined ? { rttMs: e.rttMs } : {}), local: e.local, remote: e.remote });
    });
    call.on('iceFailed', (e) => {
      if (failures.has(e.reason)) return;
      failures.add(e.reason);
      // The call stays: media-liveness ends it if nothing flows, and a relay may still come.
      this.emit({ type: 'error', scope: 'ice', callId: id, reason: e.reason, message: describeIceFailure(e.reason), code: 'network' });
    });
  }

  private emitCallState(call: Call): void {
    this.emit({ type: 'callState', call: this.infoOf(call) });
  }

  acceptFrame(frame: MediaFrame): void {
    const c = this.calls.get(frame.header.callId);
    if (!c) return;
    c.sendFrame(frame.header.stream as StreamKind, frame.header.codec, frame.header.timestamp, frame.header.keyframe, frame.payload);
  }

  async close(): Promise<void> {
    this.keeper?.stop();
    this.keeper = undefined;
    for (const c of [...this.calls.values()]) c.hangup();
    await new Promise((r) => setTimeout(r, 50));
    await this.ua?.close();
    this.ua = undefined;
  }
}
