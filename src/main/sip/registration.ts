// Registration with a registrar (RFC 3261 §10.2): REGISTER with digest auth, refresh before the
// binding expires, and unregister (Expires: 0) on close. One Call-ID for all REGISTERs of the
// binding, CSeq increasing (§10.2.4).
import { EventEmitter } from 'node:events';
import { SipParseError } from './errors';
import { SipHeaders } from './headers';
import { parseNameAddr } from './address';
import type { SipRequest, SipResponse } from './message';
import { randomToken } from './random';
import type { Scheduler, TimerHandle } from './timers';
import type { TransportAddress, TransportProtocol } from './transport';
import { routeHeader, sameServer } from './routing';

export interface RegistrationContext {
  readonly scheduler: Scheduler;
  readonly userAgent: string;
  contactFor(protocol: TransportProtocol, peer?: string): string;
  addVia(req: SipRequest, protocol: TransportProtocol, peer?: string): void;
  sendToTargets(req: SipRequest, nextHop: string, onResponse: (res: SipResponse) => void, nextSeq: () => number, onAttempt?: (req: SipRequest, dest: TransportAddress) => boolean): void;
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

  constructor(
    private readonly ctx: RegistrationContext,
    /** Registrar URI, e.g. "sip:example.com;transport=tls". */
    private readonly registrarUri: string,
    private readonly aor: string,
    /** Outbound proxy URI: REGISTER goes there with a Route to the registrar's domain (§8.1.2). */
    proxy: string | undefined,
    private readonly requestedExpires: number,
  ) {
    super();
    // The registrar as its own outbound proxy (the default for an account) needs no Route.
    this.proxy = proxy && !sameServer(proxy, registrarUri) ? proxy : undefined;
  }

  private readonly proxy: string | undefined;

  /** Registers; resolves with the granted expiry, rejects with the final status text. */
  async register(): Promise<number> {
    let asked = this.requestedExpires;
    let res = await this.send(asked);
    const minExpires = Number(res.headers.get('min-expires'));
    if (res.status === 423 && Number.isFinite(minExpires) && minExpires > asked) {
      // §10.2.8: Interval Too Brief: ask again with the registrar's minimum.
      asked = minExpires;
      res = await this.send(asked);
    }
    if (res.status >= 300) throw new Error(`REGISTER failed: ${res.status} ${res.reason}`);
    this.expires = grantedExpires(res, this.ctx.contactFor(this.dest.protocol, this.dest.host), asked);
    this.scheduleRefresh();
    return this.expires;
  }

  /** Removes our binding (Expires: 0); resolves whatever the registrar answers, or if it does not. */
  async unregister(): Promise<void> {
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
      h.add('Contact', this.ctx.contactFor(this.dest.protocol));
      h.add('Expires', String(expires));
      h.add('User-Agent', this.ctx.userAgent);
      const req: SipRequest = { type: 'request', method: 'REGISTER', uri: this.registrarUri, headers: h, body: '' };
      this.ctx.sendToTargets(
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
