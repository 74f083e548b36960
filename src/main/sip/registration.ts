// Registration with a registrar (RFC 3261 §10.2): REGISTER with digest auth, refresh before the
// binding expires, and unregister (Expires: 0) on close. One Call-ID for all REGISTERs of the
// binding, CSeq increasing (§10.2.4).
// Across a NAT: the registrar's `received`/`rport` (RFC 3581) in the response's Via tell us our
// public address; when it differs from the Contact we registered, we register it instead (and
// again whenever it changes). The NAT binding is kept open with a CRLF ping on TCP/TLS (RFC 5626
// §3.5.1) or an OPTIONS on UDP every `keepAliveSeconds`, and a network change (interfaces polled)
// re-registers at once.
import { EventEmitter } from 'node:events';
import { SipParseError } from './errors';
import { SipHeaders } from './headers';
import { parseNameAddr } from './address';
import type { SipRequest, SipResponse } from './message';
import { randomToken } from './random';
import { NetworkWatch } from './network-watch';
import type { NetworkPoll } from './network-watch';
import type { Scheduler, TimerHandle } from './timers';
import type { TransportAddress, TransportProtocol } from './transport';
import { routeHeader, sameServer, sendToTargets } from './routing';
import type { RoutingContext } from './routing';
import { bareHost, uriHost } from './uri';
import { parseVia } from './via';

export interface RegistrationContext extends RoutingContext {
  readonly scheduler: Scheduler;
  readonly userAgent: string;
  /** Our Contact from our own interfaces, without any NAT mapping. */
  localContact(protocol: TransportProtocol, peer?: string): string;
  /** Writes a CRLF ping on the open TCP/TLS connection to `dest`; false when there is none. */
  pingFlow(dest: TransportAddress): boolean;
}

export interface NatOptions {
  /** Seconds between keep-alives (default 25; 0: none). */
  keepAliveSeconds?: number;
  /** Interface polling for network changes; false: none (default every 5 s). */
  networkPoll?: NetworkPoll | false;
}

export interface PublicAddress {
  host: string;
  port: number;
}

const RETRY_AFTER_FAILURE_MS = 30_000;

export class Registration extends EventEmitter {
  private seq = 0;
  private readonly callId = `${randomToken(20)}@vouch`;
  private readonly fromTag = randomToken(10);
  private refreshTimer: TimerHandle | undefined;
  /** Seconds the registrar granted, 0 while unregistered. */
  expires = 0;
  /** The server the last REGISTER went to (RFC 3263 picks it; failover may change it). */
  dest: TransportAddress = { protocol: 'UDP', host: '', port: 0 };
  /** Our address as the registrar sees it (RFC 3581), once it differs from the local one. */
  publicAddress: PublicAddress | undefined;
  private keepAliveTimer: TimerHandle | undefined;
  private watch: NetworkWatch | undefined;
  private inFlight: Promise<number> | undefined;
  /** The Contact registered before the public address changed, removed with the next REGISTER. */
  private staleContact: string | undefined;
  private readonly routing: RoutingContext;

  constructor(
    private readonly ctx: RegistrationContext,
    /** Registrar URI, e.g. "sip:example.com;transport=tls". */
    private readonly registrarUri: string,
    private readonly aor: string,
    /** Outbound proxy URI: REGISTER goes there with a Route to the registrar's domain (§8.1.2). */
    proxy: string | undefined,
    private readonly requestedExpires: number,
    private readonly nat: NatOptions = {},
  ) {
    super();
    // REGISTERs carry the public address once we know it (the UA's own Contact does not).
    this.routing = {
      resolve: (uri) => ctx.resolve(uri),
      addVia: (req, protocol, peer) => ctx.addVia(req, protocol, peer),
      sendWithAuth: (req, dest, onResponse, nextSeq, onResend) => ctx.sendWithAuth(req, dest, onResponse, nextSeq, onResend),
      // §10.2.2: the binding of an address we no longer have goes in the same REGISTER.
      contactFor: (protocol, peer) => this.contact(protocol, peer) + (this.staleContact ? `, ${this.staleContact};expires=0` : ''),
    };
    // The registrar as its own outbound proxy (the default for an account) needs no Route.
    this.proxy = proxy && !sameServer(proxy, registrarUri) ? proxy : undefined;
  }

  private readonly proxy: string | undefined;

  /** Registers; resolves with the granted expiry, rejects with the final status text. */
  register(): Promise<number> {
    // One REGISTER at a time (§10.2): a refresh, a keep-alive and a network change may coincide.
    this.inFlight ??= this.registerOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async registerOnce(): Promise<number> {
    let asked = this.requestedExpires;
    let res = await this.send(asked);
    const minExpires = Number(res.headers.get('min-expires'));
    if (res.status === 423 && Number.isFinite(minExpires) && minExpires > asked) {
      // §10.2.8: Interval Too Brief: ask again with the registrar's minimum.
      asked = minExpires;
      res = await this.send(asked);
    }
    if (res.status >= 300) throw new Error(`REGISTER failed: ${res.status} ${res.reason}`);
    if (this.learn(res)) {
      // Behind a NAT: bind the address the registrar can reach instead (one more REGISTER).
      const again = await this.send(asked).finally(() => (this.staleContact = undefined));
      if (again.status < 300) res = again;
    }
    this.expires = grantedExpires(res, this.contact(this.dest.protocol), asked);
    this.scheduleRefresh();
    this.startKeepAlive();
    return this.expires;
  }

  /** Our Contact for the registrar: the UA's, with the public address once learned. */
  private contact(protocol: TransportProtocol, peer: string | undefined = this.dest.host || undefined): string {
    const local = this.ctx.localContact(protocol, peer);
    return (peer !== undefined && this.natContact(local, protocol, peer)) || local;
  }

  /**
   * `local` with the public address, for requests and responses to the registrar (the host the
   * NAT mapping was learned towards, over the same transport); undefined for anyone else.
   */
  natContact(local: string, protocol: TransportProtocol, peer: string): string | undefined {
    const pub = this.publicAddress;
    if (!pub || protocol !== this.dest.protocol || bareHost(peer) !== this.dest.host) return undefined;
    return local.replace(/@(\[[^\]]*\]|[^:;>]+)(:\d+)?/, `@${uriHost(pub.host)}:${pub.port}`);
  }

  /**
   * The public host for the SDP of a call whose signalling goes through the registrar (`peer`
   * is its host, as for natContact): media sent there comes back through the same NAT. The
   * media port stays the local one (a port-preserving NAT maps it alike); undefined for anyone
   * else, and when the registrar sees us on our own address.
   */
  publicHostFor(peer: string, local: string): string | undefined {
    const pub = this.publicAddress;
    if (!pub || bareHost(peer) !== this.dest.host || bareHost(pub.host) === bareHost(local)) return undefined;
    return pub.host;
  }

  /**
   * RFC 3581 §4: the registrar wrote where our request came from into our Via. True when that
   * is not the address our Contact names (a NAT is in between, or its mapping changed).
   */
  private learn(res: SipResponse): boolean {
    const seen = viaSource(res);
    if (!seen) return false;
    const previous = this.contact(this.dest.protocol);
    const current = contactAddress(previous);
    if (current && current.host === seen.host && current.port === seen.port) return false;
    const local = contactAddress(this.ctx.localContact(this.dest.protocol, this.dest.host || undefined));
    // Back on the local address (the NAT went away): the plain Contact again.
    this.publicAddress = local && local.host === seen.host && local.port === seen.port ? undefined : seen;
    this.staleContact = previous;
    this.emit('publicAddress', this.publicAddress);
    return true;
  }

  /** Keeps the NAT binding towards the registrar open (RFC 5626 §3.5.1 CRLF / §4.4.1 idea on UDP). */
  private startKeepAlive(): void {
    const seconds = this.nat.keepAliveSeconds ?? 25;
    if (this.keepAliveTimer === undefined && seconds > 0) {
      const tick = (): void => {
        this.keepAliveTimer = this.ctx.scheduler.set(seconds * 1000, tick);
        if (this.expires > 0) this.keepAlive();
      };
      this.keepAliveTimer = this.ctx.scheduler.set(seconds * 1000, tick);
    }
    if (this.watch === undefined && this.nat.networkPoll !== false) {
      this.watch = new NetworkWatch(
        this.ctx.scheduler,
        () => {
          // New interfaces, maybe a new NAT: learn the address afresh.
          this.publicAddress = undefined;
          this.emit('networkChanged');
          this.register().then(
            () => this.emit('refreshed', this.expires),
            (err: Error) => this.emit('failed', err),
          );
        },
        this.nat.networkPoll,
      );
    }
  }

  private keepAlive(): void {
    if (this.dest.protocol !== 'UDP') {
      // A dead connection: register again, which opens a new one (RFC 5626 §4.4.1).
      if (!this.ctx.pingFlow(this.dest)) void this.register().catch(() => undefined);
      this.emit('keepAlive', this.dest);
      return;
    }
    const h = new SipHeaders();
    h.add('Max-Forwards', '70');
    h.add('From', `<${this.aor}>;tag=${randomToken(10)}`);
    h.add('To', `<${this.registrarUri}>`);
    h.add('Call-ID', `${randomToken(20)}@vouch`);
    h.add('CSeq', '1 OPTIONS');
    h.add('User-Agent', this.ctx.userAgent);
    const req: SipRequest = { type: 'request', method: 'OPTIONS', uri: this.registrarUri, headers: h, body: '' };
    this.ctx.addVia(req, 'UDP', this.dest.host);
    this.emit('keepAlive', this.dest);
    let seq = 1;
    this.ctx.sendWithAuth(
      req,
      this.dest,
      (res) => {
        // Any answer refreshes the binding; a new public address means a new registration.
        if (res.status < 200 || this.expires === 0 || this.inFlight) return;
        const seen = viaSource(res);
        const current = contactAddress(this.contact('UDP'));
        if (seen && current && (seen.host !== current.host || seen.port !== current.port)) {
          this.register().then(
            () => this.emit('refreshed', this.expires),
            (err: Error) => this.emit('failed', err),
          );
        }
      },
      () => ++seq,
    );
  }

  private stopKeepAlive(): void {
    if (this.keepAliveTimer !== undefined) this.ctx.scheduler.clear(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
    this.watch?.stop();
    this.watch = undefined;
  }

  /** Removes our binding (Expires: 0); resolves whatever the registrar answers, or if it does not. */
  async unregister(): Promise<void> {
    this.stopKeepAlive();
    if (this.refreshTimer !== undefined) this.ctx.scheduler.clear(this.refreshTimer);
    this.refreshTimer = undefined;
    if (this.expires === 0) return;
    this.expires = 0;
    await this.send(0).catch(() => undefined);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) this.ctx.scheduler.clear(this.refreshTimer);
    // Refresh well before expiry: at half the interval, but never later than 30 s before it ends.
    const ms = Math.max(500, Math.min(this.expires * 500, (this.expires - 30) * 1000));
    this.refreshTimer = this.ctx.scheduler.set(ms, () => {
      this.refreshTimer = undefined;
      this.register().then(
        () => this.emit('refreshed', this.expires),
        (err: Error) => {
          this.expires = 0;
          this.emit('failed', err);
          // Keep trying: a registrar restart or a network change must not leave us unreachable.
          this.refreshTimer = this.ctx.scheduler.set(RETRY_AFTER_FAILURE_MS, () => {
            this.refreshTimer = undefined;
            this.register().then(
              () => this.emit('refreshed', this.expires),
              (e: Error) => this.emit('failed', e),
            );
          });
        },
      );
    });
  }

  private send(expires: number): Promise<SipResponse> {
    return new Promise((resolve) => {
      const h = new SipHeaders();
      if (this.proxy) h.add('Route', routeHeader(this.proxy));
      h.add('Max-Forwards', '70');
      h.add('From', `<${this.aor}>;tag=${this.fromTag}`);
      h.add('To', `<${this.aor}>`);
      h.add('Call-ID', this.callId);
      h.add('CSeq', `${++this.seq} REGISTER`);
      h.add('Contact', this.contact(this.dest.protocol));
      h.add('Expires', String(expires));
      h.add('User-Agent', this.ctx.userAgent);
      const req: SipRequest = { type: 'request', method: 'REGISTER', uri: this.registrarUri, headers: h, body: '' };
      sendToTargets(
        this.routing,
        req,
        this.proxy ?? this.registrarUri,
        (res) => {
          if (res.status >= 200) resolve(res);
        },
        () => ++this.seq,
        (_next, dest) => {
          this.dest = dest;
          return true;
        },
      );
    });
  }
}

/** §10.2.4: the expiry of our own Contact in the 200, else the Expires header, else what we asked. */
function grantedExpires(res: SipResponse, ourContact: string, asked: number): number {
  const ours = parseNameAddr(ourContact);
  for (const c of res.headers.getAll('contact')) {
    const a = parseNameAddr(c);
    if (a instanceof SipParseError || ours instanceof SipParseError) continue;
    if (a.uri.user === ours.uri.user && a.uri.host === ours.uri.host && a.uri.port === ours.uri.port) {
      const e = Number(a.params.get('expires'));
      if (Number.isFinite(e) && e > 0) return e;
    }
  }
  const e = Number(res.headers.get('expires'));
  return Number.isFinite(e) && e > 0 ? e : asked;
}

/** The source address the next hop saw (RFC 3581 `received` and `rport` in our Via), if it said. */
function viaSource(res: SipResponse): PublicAddress | undefined {
  const top = res.headers.getAll('via')[0];
  if (!top) return undefined;
  const via = parseVia(top.split(',')[0]);
  if (via instanceof SipParseError) return undefined;
  const rport = Number(via.params.get('rport'));
  const received = via.params.get('received');
  if (!received && !(rport > 0)) return undefined;
  return { host: bareHost(received || via.host), port: rport > 0 && rport < 65536 ? rport : (via.port ?? 5060) };
}

function contactAddress(contact: string): PublicAddress | undefined {
  const a = parseNameAddr(contact);
  if (a instanceof SipParseError) return undefined;
  return { host: bareHost(a.uri.host), port: a.uri.port ?? 5060 };
}
