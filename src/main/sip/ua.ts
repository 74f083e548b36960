// The SIP user agent (RFC 3261 §8, §12-15): owns the transports and the transaction layer,
// answers what needs no call (OPTIONS, 481 for unknown dialogs, 400 for malformed requests),
// and hands calls to the call layer as SipSessions.
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { authorize, pickChallenge } from './digest';
import { SipParseError } from './errors';
import { SipHeaders } from './headers';
import { callIdOf, cseqOf, tagOf } from './message';
import type { SipMessage, SipRequest, SipResponse } from './message';
import { OwnServer } from './own-server';
import { DEFAULT_LIMITS } from './parser';
import type { ParseResult } from './parser';
import { randomToken } from './random';
import type { NetworkPoll } from './network-watch';
import { Registration } from './registration';
import type { PublicAddress } from './registration';
import { resolveTargets } from './resolve';
import type { DnsLookup } from './resolve';
import { nodeDnsLookup } from './resolve-dns';
import { routeHeader, sendToTargets } from './routing';
import type { TargetsArgs } from './routing';
import { createResponse } from './response';
import { serializeMessage } from './serializer';
import { ALLOW, SipSession } from './session';
import type { SipBody, UaContext } from './session';
import { DEFAULT_TIMERS, realScheduler } from './timers';
import type { Scheduler, SipTimers } from './timers';
import type { InviteServerTransaction } from './transaction-server-invite';
import { TransactionLayer } from './transactions';
import type { ClientTransaction, ServerTransaction } from './transactions';
import type { SipTransport, TransportAddress, TransportProtocol } from './transport';
import { listenTcp } from './transport-tcp';
import { listenTls } from './transport-tls';
import type { TlsSettings } from './transport-tls';
import { UdpTransport } from './transport-udp';
import { bareHost, parseUri, uriHost } from './uri';
import { listenLikeAPhone } from './listen';
import type { ListeningPorts } from './listen';
import { LocalAddressBook } from '../net/local-address';
import { newBranch } from './via';

export interface SipUaOptions {
  /** User part of our address (sip:user@domain). */
  user: string;
  displayName?: string;
  /** Domain of our address of record; defaults to the bind host (direct calls). */
  domain?: string;
  /**
   * Address to bind and advertise (tests pin 127.0.0.1). Without it: every interface, and each
   * peer is told the local address its route goes out of (net/local-address.ts).
   */
  host?: string;
  /**
   * Listen like a phone (listen.ts): UDP and TCP on `port` (the next free one when taken), TLS on
   * `tlsPort` with a certificate and key in `tls`. Replaces `udp`/`tcp`.
   */
  listen?: { port: number; tlsPort: number };
  /** Transports to open; port 0 picks a free one. Default: UDP on port 0. */
  udp?: { port: number } | false;
  tcp?: { port: number };
  tls?: { port: number } & TlsSettings;
  /** Registrar URI ("sip:host:port;transport=tcp"); no registration when absent. */
  registrar?: string;
  /** Every out-of-dialog request goes through this proxy (a loose route, RFC 3261 §8.1.2). */
  outboundProxy?: string;
  /** DNS servers for RFC 3263 lookups ("127.0.0.1:5353"); default the system's. */
  dnsServers?: readonly string[];
  /** The DNS itself (tests and the lab may bring their own); default node's resolver. */
  dns?: DnsLookup;
  /** Digest credentials (auth user defaults to `user`), given only to the registrar/proxy (own-server.ts). */
  authUser?: string;
  password?: string;
  /** The account's digest realm; without it, the realm the registrar used when registration succeeded. */
  realm?: string;
  /** Seconds asked of the registrar (default 600). */
  registerExpires?: number;
  /** false: start() resolves without registering; the caller calls register() (in the background). */
  registerOnStart?: boolean;
  /** NAT keep-alive to the registrar every this many seconds (default 25; 0: none). */
  keepAliveSeconds?: number;
  /** Network-change polling (default every 5 s of os.networkInterfaces()); false: none. */
  networkPoll?: NetworkPoll | false;
  /** With call waiting off (default), a second incoming call gets 486 Busy Here. */
  callWaiting?: boolean;
  timers?: Partial<SipTimers>;
  scheduler?: Scheduler;
  /** Glare retry delays in ms (§14.1); tests shorten them. */
  glare?: { owner: [number, number]; other: [number, number] };
  userAgent?: string;
  /** Sees every message sent and every parsed message received (debugging, SIP traces). */
  trace?: (direction: 'in' | 'out', message: SipMessage, peer: TransportAddress) => void;
}

export interface SipUaStats {
  /** Requests answered 400 because they did not parse. */
  badRequests: number;
  /** Messages dropped: unparseable with no way to answer, or unframeable streams. */
  dropped: number;
}

const OPTION_TAGS_SUPPORTED = new Set<string>();

/** The host of a URI when it is a name (not an address): what its TLS certificate must show. */
function serverNameOf(uri: string): string | undefined {
  const u = parseUri(uri);
  if (u instanceof SipParseError || u.scheme === 'tel') return undefined;
  const host = bareHost(u.params.get('maddr') || u.host).toLowerCase();
  return isIP(host) === 0 ? host : undefined;
}

export class SipUa extends EventEmitter implements UaContext {
  readonly layer: TransactionLayer;
  readonly timers: SipTimers;
  readonly scheduler: Scheduler;
  readonly userAgent: string;
  readonly stats: SipUaStats = { badRequests: 0, dropped: 0 };
  readonly transports = new Map<TransportProtocol, SipTransport>();
  registration: Registration | undefined;
  private readonly sessions = new Set<SipSession>();
  private readonly nonceCounts = new Map<string, number>();
  /** Who may ask for the password. */
  readonly ownServer: OwnServer;
  /** Set by close(): new calls are refused, responses still processed (the unregister needs them). */
  private closing = false;
  private closed = false;

  private constructor(readonly options: SipUaOptions) {
    super();
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.scheduler = options.scheduler ?? realScheduler;
    this.userAgent = options.userAgent ?? 'Vouch/0.1';
    this.ownServer = new OwnServer([options.registrar, options.outboundProxy], options.realm);
    this.addresses = new LocalAddressBook(options.host);
    this.layer = new TransactionLayer(this.timers, this.scheduler, (msg, dest, onError) => this.transmit(msg, dest, onError), {
      onRequest: (req, tx, source) => this.onRequest(req, tx, source),
      onStrayResponse: (res) => this.onStrayResponse(res),
    });
  }

  /** Opens the transports and, with a registrar configured, registers before resolving. */
  static async start(options: SipUaOptions): Promise<SipUa> {
    const ua = new SipUa(options);
    const host = options.host;
    const inbound = (r: ParseResult, source: TransportAddress): void => ua.onInbound(r, source);
    try {
      if (options.listen) {
        const opened = await listenLikeAPhone({ host, port: options.listen.port, tlsPort: options.listen.tlsPort, tls: options.tls }, inbound);
        for (const [p, t] of opened.transports) ua.transports.set(p, t);
        ua.ports = opened.ports;
      } else {
        if (options.udp !== false) ua.transports.set('UDP', await UdpTransport.listen(host, options.udp?.port ?? 0, inbound, DEFAULT_LIMITS));
        if (options.tcp) ua.transports.set('TCP', await listenTcp(host, options.tcp.port, inbound));
        if (options.tls) ua.transports.set('TLS', await listenTls(host, options.tls.port, options.tls, inbound));
      }
      await ua.ownServer.resolve(2000);
      if (options.registrar && options.registerOnStart !== false) await ua.register();
    } catch (err) {
      await ua.close();
      throw err;
    }
    return ua;
  }

  /** Our address of record. */
  get aor(): string {
    return this.aorFor(undefined);
  }

  /** Our address of record, as `peer` can reach it when we have no domain (direct calls). */
  aorFor(peer: string | undefined): string {
    return `sip:${this.options.user}@${this.options.domain ?? uriHost(this.addresses.get(peer))}`;
  }

  /** Per-destination local addresses (or the pinned host). */
  readonly addresses: LocalAddressBook;

  /** Ports listened on (listen mode); a view of the transports otherwise. */
  get listening(): ListeningPorts {
    if (this.ports) return this.ports;
    const port = (p: TransportProtocol) => this.transports.get(p)?.local.port || null;
    return { udp: port('UDP'), tcp: port('TCP'), tls: port('TLS'), bound: this.transports.get('UDP')?.local.host ?? '', notes: [] };
  }

  private ports: ListeningPorts | undefined;

  /**
   * The address of `uri`'s next hop (outbound proxy, else the URI's host, resolved as RFC 3263
   * says), with the local address that reaches it looked up: an offer's c= line is
   * `addresses.get(nextHop)`.
   */
  async nextHopAddress(uri: string): Promise<string> {
    const targets = await this.resolve(this.options.outboundProxy ?? uri).catch(() => undefined);
    const u = parseUri(uri);
    const host = Array.isArray(targets) && targets.length > 0 ? targets[0].host : u instanceof SipParseError ? '' : u.host;
    await this.addresses.prime(host);
    return host;
  }

  /** Local address of a transport ("127.0.0.1", port). */
  localAddress(protocol: TransportProtocol = 'UDP'): { host: string; port: number } | undefined {
    return this.transports.get(protocol)?.local;
  }

  /** Registers with the configured registrar (again); resolves with the granted expiry. */
  register(): Promise<number> {
    const registrar = this.options.registrar;
    if (!registrar) return Promise.reject(new Error('no registrar configured'));
    if (!this.registration) {
      this.registration = new Registration(this, registrar, this.aor, this.options.outboundProxy, this.options.registerExpires ?? 600, {
        keepAliveSeconds: this.options.keepAliveSeconds,
        networkPoll: this.options.networkPoll,
      });
      this.registration.on('failed', (err: Error) => this.emit('registrationFailed', err));
      this.registration.on('publicAddress', (a: PublicAddress | undefined) => this.emit('publicAddress', a));
    }
    return this.registration.register();
  }

  /** Calls `target` ("sip:bob@192.0.2.1:5062" or an AOR the registrar knows). */
  invite(target: string, offer: SipBody): SipSession {
    const proxy = this.options.outboundProxy;
    const h = new SipHeaders();
    if (proxy) h.add('Route', routeHeader(proxy));
    h.add('Max-Forwards', '70');
    const name = this.options.displayName ? `"${this.options.displayName.replace(/["\\]/g, '')}" ` : '';
    const peer = parseUri(proxy ?? target);
    const peerHost = peer instanceof SipParseError ? undefined : peer.host;
    h.add('From', `${name}<${this.aorFor(peerHost)}>;tag=${randomToken(10)}`);
    h.add('To', `<${target}>`);
    h.add('Call-ID', `${randomToken(20)}@vouch`);
    h.add('CSeq', '1 INVITE');
    // Via and Contact follow the transport of each server tried (routing.ts).
    h.add('Contact', this.contactFor('UDP', peerHost));
    h.add('Allow', ALLOW);
    h.add('User-Agent', this.userAgent);
    h.add('Content-Type', offer.contentType);
    const req: SipRequest = { type: 'request', method: 'INVITE', uri: target, headers: h, body: offer.body };
    const session = SipSession.outgoing(this, req, proxy ?? target);
    if (session.state !== 'terminated') this.sessions.add(session);
    return session;
  }

  /**
   * An out-of-dialog OPTIONS or MESSAGE, routed as an INVITE is: through the outbound proxy
   * (loose Route), to the servers RFC 3263 finds, with failover. Resolves with the final response.
   */
  request(method: 'OPTIONS' | 'MESSAGE', target: string, body?: SipBody): Promise<SipResponse> {
    const proxy = this.options.outboundProxy;
    const h = new SipHeaders();
    if (proxy) h.add('Route', routeHeader(proxy));
    h.add('Max-Forwards', '70');
    h.add('From', `<${this.aor}>;tag=${randomToken(10)}`);
    h.add('To', `<${target}>`);
    h.add('Call-ID', `${randomToken(20)}@vouch`);
    h.add('CSeq', `1 ${method}`);
    h.add('User-Agent', this.userAgent);
    if (body) h.add('Content-Type', body.contentType);
    const req: SipRequest = { type: 'request', method, uri: target, headers: h, body: body?.body ?? '' };
    let seq = 1;
    return new Promise((resolve) => this.sendToTargets(req, proxy ?? target, (res) => res.status >= 200 && resolve(res), () => ++seq));
  }

  /** Sessions not yet ended. */
  get activeSessions(): SipSession[] {
    return [...this.sessions];
  }

  /** Ends every call, unregisters, closes the transports. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const s of this.sessions) s.bye();
    const registration = this.registration;
    if (registration) {
      // Unregister, but never let an unreachable registrar hold the shutdown for long.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([registration.unregister(), new Promise<void>((r) => (timer = setTimeout(r, Math.min(64 * this.timers.t1, 3000))))]);
      clearTimeout(timer);
    }
    this.closed = true;
    for (const s of this.sessions) s.abandon();
    this.layer.terminateAll();
    await Promise.all([...this.transports.values()].map((t) => t.close()));
  }

  /** RFC 3263: the servers to try for `uri`, over the transports this UA has open. */
  resolve(uri: string): Promise<TransportAddress[] | SipParseError> {
    this.dns ??= this.options.dns ?? nodeDnsLookup({ servers: this.options.dnsServers });
    // Each target's local address is looked up now, so Via and Contact can be written at once.
    return resolveTargets(uri, this.dns, { supported: new Set(this.transports.keys()) }).then(async (targets) => {
      if (!(targets instanceof SipParseError)) {
        // RFC 5922 §4: a TLS server proves it is the URI's domain, whatever address DNS gave.
        const name = serverNameOf(uri);
        if (name) for (const t of targets) if (t.protocol === 'TLS') t.serverName = name;
        this.ownServer.addTargets(uri, targets);
        await Promise.all(targets.map((t) => this.addresses.prime(t.host)));
      }
      return targets;
    });
  }

  private dns: DnsLookup | undefined;

  // ---- UaContext ----------------------------------------------------------------------

  pingFlow(dest: TransportAddress): boolean {
    return this.transports.get(dest.protocol)?.ping?.(dest.host, dest.port) ?? false;
  }

  sendToTargets(...args: TargetsArgs): void {
    sendToTargets(this, ...args);
  }

  /** Our Contact for a request or response to `peer` (the address its route reaches us on). */
  contactFor(protocol: TransportProtocol, peer?: string): string {
    const local = this.localContact(protocol, peer);
    // Towards the registrar from behind a NAT: the address it saw us come from (registration.ts).
    return (peer !== undefined && this.registration?.natContact(local, protocol, peer)) || local;
  }

  /**
   * The address an SDP o=/c= line gives `peer` (the call's next hop): towards the registrar from
   * behind a NAT, the public address it saw us come from (the same rule as contactFor), so the
   * far end sends media through our NAT without a server rewriting the SDP; else the local one.
   */
  mediaAddressFor(peer: string | undefined): string {
    const local = this.addresses.get(peer);
    return (peer !== undefined && this.registration?.publicHostFor(peer, local)) || local;
  }

  /** Our Contact as our own interfaces give it (no NAT mapping). */
  localContact(protocol: TransportProtocol, peer?: string): string {
    const t = this.transports.get(protocol) ?? this.transports.get('UDP');
    const host = uriHost(this.addresses.get(peer));
    const tp = protocol === 'UDP' ? '' : `;transport=${protocol.toLowerCase()}`;
    return `<sip:${this.options.user}@${host}:${t?.local.port ?? 5060}${tp}>`;
  }

  /** Our Via for a request to `peer`: sent-by is the address its route leaves from (§18.1.1). */
  addVia(req: SipRequest, protocol: TransportProtocol, peer?: string): void {
    const t = this.transports.get(protocol);
    const host = uriHost(this.addresses.get(peer));
    // RFC 3581: rport asks for responses to the source port; the branch carries the magic cookie.
    req.headers.prepend('Via', `SIP/2.0/${protocol} ${host}:${t?.local.port ?? 0};branch=${newBranch()};rport`);
  }

  sendWithAuth(
    req: SipRequest,
    dest: TransportAddress,
    onResponse: (res: SipResponse) => void,
    nextSeq: () => number,
    onResend?: (req: SipRequest) => void,
  ): ClientTransaction | undefined {
    if (!this.transports.has(dest.protocol)) {
      onResponse(createResponse(req, 503, { reason: `No ${dest.protocol} transport` }));
      return undefined;
    }
    const tried = new Set<string>();
    let answeredRealm: string | undefined;
    const send = (r: SipRequest): ClientTransaction =>
      this.layer.sendRequest(r, dest, (res) => {
        if ((res.status === 401 || res.status === 407) && this.options.password !== undefined && !this.closed) {
          const proxy = res.status === 407;
          const challenge = pickChallenge(res.headers.getAll(proxy ? 'proxy-authenticate' : 'www-authenticate'));
          const refusal = challenge && this.ownServer.refusal(dest, challenge.realm);
          if (refusal) {
            // The request fails with the reason in person's words; the password stays here.
            this.emit('authRefused', refusal);
            onResponse({ ...res, reason: refusal });
            return;
          }
          if (challenge && (!tried.has(challenge.nonce) || challenge.stale) && tried.size < 3) {
            tried.add(challenge.nonce);
            answeredRealm = challenge.realm;
            const nc = (this.nonceCounts.get(challenge.nonce) ?? 0) + 1;
            this.nonceCounts.set(challenge.nonce, nc);
            const next: SipRequest = { ...r, headers: r.headers.clone() };
            next.headers.delete('via');
            this.addVia(next, dest.protocol, dest.host);
            next.headers.set('CSeq', `${nextSeq()} ${r.method}`);
            const header = proxy ? 'Proxy-Authorization' : 'Authorization';
            next.headers.set(header, authorize(challenge, this.options.authUser ?? this.options.user, this.options.password, r.method, r.uri, nc));
            onResend?.(next);
            send(next);
            return;
          }
        }
        if (r.method === 'REGISTER' && res.status >= 200 && res.status < 300 && answeredRealm !== undefined) this.ownServer.learn(answeredRealm);
        onResponse(res);
      });
    return send(req);
  }

  sendStateless(msg: SipRequest | SipResponse, dest: TransportAddress): void {
    this.transmit(msg, dest);
  }

  sessionEnded(s: SipSession): void {
    this.sessions.delete(s);
  }

  glareDelay(owner: boolean): number {
    const [lo, hi] = owner ? (this.options.glare?.owner ?? [2100, 4000]) : (this.options.glare?.other ?? [0, 2000]);
    // §14.1: chosen in units of 10 ms.
    return lo + Math.floor((Math.random() * (hi - lo)) / 10) * 10;
  }

  // ---- inbound ------------------------------------------------------------------------

  private transmit(msg: SipMessage, dest: TransportAddress, onError?: (err: Error) => void): void {
    const t = this.transports.get(dest.protocol);
    if (!t) return;
    try {
      this.options.trace?.('out', msg, dest);
      t.send(serializeMessage(msg), dest.host, dest.port, onError, dest.serverName);
    } catch (err) {
      this.stats.dropped++;
      onError?.(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private onInbound(result: ParseResult, source: TransportAddress): void {
    if (this.closed) return;
    // A new source: learn which local address reaches it before anything answers it (Contact,
    // SDP). Messages from it wait on the same lookup, so their order holds. Garbage and bursts
    // from many new sources do not wait (they get no Contact worth a lookup).
    if (result.ok && !this.addresses.has(source.host) && !this.addresses.busy) {
      void this.addresses.prime(source.host).then(() => this.dispatchInbound(result, source));
      return;
    }
    this.dispatchInbound(result, source);
  }

  private dispatchInbound(result: ParseResult, source: TransportAddress): void {
    if (this.closed) return;
    try {
      if (!result.ok) {
        // §8.2 / §21.4.1: answer 400 with the reason when the request can be answered.
        if (result.partial && result.partial.method !== 'ACK') {
          this.stats.badRequests++;
          // §8.2.2.1: a Request-URI scheme we do not know gets 416, anything else malformed 400.
          const res =
            result.error.code === 'unsupported-scheme'
              ? createResponse(result.partial, 416, { headers: [['Accept', 'application/sdp']] })
              : createResponse(result.partial, 400, { reason: `Bad Request (${result.error.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 80)})` });
          const via = result.partial.headers.getAll('via')[0] ?? '';
          const rport = /;\s*rport/i.test(via);
          const port = rport || source.protocol !== 'UDP' ? source.port : Number(/:(\d+)/.exec(via.split(';')[0])?.[1] ?? 5060);
          this.transmit(res, { ...source, port });
        } else this.stats.dropped++;
        return;
      }
      const msg = result.message;
      this.options.trace?.('in', msg, source);
      if (msg.type === 'response') this.layer.receiveResponse(msg, source);
      else this.layer.receiveRequest(msg, source);
    } catch {
      // A bug in handling one message must not take the UA down (ARCHITECTURE.md "Bad input").
      this.stats.dropped++;
    }
  }

  private onStrayResponse(res: SipResponse): void {
    if (res.status < 200 || res.status >= 300 || cseqOf(res).method !== 'INVITE') return;
    const callId = callIdOf(res);
    const localTag = tagOf(res, 'from');
    for (const s of this.sessions) if (s.callId === callId && s.matches(localTag, undefined)) return s.stray2xx(res);
  }

  private findSession(req: SipRequest): SipSession | undefined {
    const callId = callIdOf(req);
    const localTag = tagOf(req, 'to');
    const remoteTag = tagOf(req, 'from');
    for (const s of this.sessions) if (s.callId === callId && s.dialog && s.matches(localTag, remoteTag) && s.dialog.remoteTag === remoteTag) return s;
    return undefined;
  }

  private onRequest(req: SipRequest, tx: ServerTransaction | undefined, source: TransportAddress): void {
    if (!tx) {
      this.findSession(req)?.receive(req, undefined);
      return;
    }
    if (req.method === 'CANCEL') return this.onCancel(req, tx);
    const require = req.headers.getAll('require').flatMap((v) => v.split(',').map((t) => t.trim()));
    const unsupported = require.filter((t) => t && !OPTION_TAGS_SUPPORTED.has(t));
    if (unsupported.length > 0) {
      tx.respond(createResponse(req, 420, { headers: [['Unsupported', unsupported.join(', ')]] }));
      return;
    }
    if (tagOf(req, 'to') !== undefined) {
      const s = this.findSession(req);
      if (s) s.receive(req, tx);
      else tx.respond(createResponse(req, 481)); // §12.2.2
      return;
    }
    if (this.layer.isMergedRequest(req, tx)) {
      tx.respond(createResponse(req, 482));
      return;
    }
    switch (req.method) {
      case 'INVITE':
        return this.onInvite(req, tx as InviteServerTransaction, source);
      case 'OPTIONS':
        tx.respond(
          createResponse(req, 200, {
            toTag: randomToken(10),
            headers: [
              ['Allow', ALLOW],
              ['Accept', 'application/sdp'],
              ['User-Agent', this.userAgent],
            ],
          }),
        );
        return;
      case 'BYE':
        tx.respond(createResponse(req, 481));
        return;
      case 'REGISTER':
      case 'MESSAGE':
      case 'SUBSCRIBE':
      case 'NOTIFY':
      case 'REFER':
      case 'INFO':
      case 'UPDATE':
      case 'PRACK':
      case 'PUBLISH':
        tx.respond(createResponse(req, 405, { headers: [['Allow', ALLOW]] }));
        return;
      default:
        tx.respond(createResponse(req, 501, { headers: [['Allow', ALLOW]] }));
    }
  }

  private onInvite(req: SipRequest, tx: InviteServerTransaction, source: TransportAddress): void {
    if (this.closing) {
      tx.respond(createResponse(req, 480, { toTag: randomToken(10), reason: 'Temporarily Unavailable (shutting down)' }));
      return;
    }
    if (!this.options.callWaiting && this.sessions.size > 0) {
      tx.respond(createResponse(req, 486, { toTag: randomToken(10) }));
      return;
    }
    const session = SipSession.incoming(this, req, tx, source);
    this.sessions.add(session);
    this.emit('incoming', session);
    // §17.2.1: a 100 Trying when the call layer did not answer at once.
    if (tx.state === 'proceeding' && !tx.lastResponse) tx.respond(createResponse(req, 100));
  }

  private onCancel(req: SipRequest, tx: ServerTransaction): void {
    const invite = this.layer.findInviteServer(req);
    if (!invite || invite.state !== 'proceeding') {
      tx.respond(createResponse(req, 481));
      return;
    }
    tx.respond(createResponse(req, 200));
    const callId = callIdOf(req);
    const fromTag = tagOf(req, 'from');
    for (const s of this.sessions) {
      if (s.callId === callId && tagOf(invite.request, 'from') === fromTag) {
        s.cancelled(invite);
        return;
      }
    }
    invite.respond(createResponse(invite.request, 487, { toTag: randomToken(10) }));
  }
}
