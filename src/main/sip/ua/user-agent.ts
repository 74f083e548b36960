// The SIP user agent (RFC 3261 §8, §12-15) as the call layer sees it. Its parts live beside it:
// core.ts (what they share: transports, transaction layer, Via and Contact), transports.ts
// (§18), incoming.ts (dispatch, §8.2), outgoing.ts (new requests, §8.1), challenge.ts (digest,
// §22). Calls are SipSessions (../session).
import { EventEmitter } from 'node:events';
import type { SipResponse } from '../message';
import type { ParseResult } from '../parser';
import { Registration } from '../registration';
import type { PublicAddress } from '../registration';
import type { SipBody, SipSession } from '../session';
import type { SipTimers } from '../timers';
import type { TransportAddress, TransportProtocol } from '../transport';
import type { ListeningPorts } from '../listen';
import { UaCore } from './core';
import { onInbound, onRequest, onStrayResponse } from './incoming';
import type { SipUaOptions, SipUaStats } from './options';
import { nextHopAddress, sendRequest, startCall } from './outgoing';

/**
 * Events: 'incoming' (SipSession), 'registrationFailed' (Error), 'publicAddress'
 * (PublicAddress | undefined), 'authRefused' (reason).
 */
export class SipUa extends EventEmitter {
  private readonly core: UaCore;

  private constructor(readonly options: SipUaOptions) {
    super();
    this.core = new UaCore(options, this, {
      onRequest: (req, tx, source) => onRequest(this.core, req, tx, source),
      onStrayResponse: (res) => onStrayResponse(this.core, res),
    });
  }

  /** Opens the transports and, with a registrar configured, registers before resolving. */
  static async start(options: SipUaOptions): Promise<SipUa> {
    const ua = new SipUa(options);
    const core = ua.core;
    try {
      await core.transports.listen((r: ParseResult, source: TransportAddress) => onInbound(core, r, source));
      await core.ownServer.resolve(2000);
      if (options.registrar && options.registerOnStart !== false) await ua.register();
    } catch (err) {
      await ua.close();
      throw err;
    }
    return ua;
  }

  /** T1, T2... as configured (the registration keeper times its patience by them). */
  get timers(): SipTimers {
    return this.core.timers;
  }

  /** What the UA answered 400 and what it dropped. */
  get stats(): SipUaStats {
    return this.core.stats;
  }

  get registration(): Registration | undefined {
    return this.core.registration;
  }

  /** Ports listened on (listen mode); a view of the transports otherwise. */
  get listening(): ListeningPorts {
    return this.core.transports.listening;
  }

  /** Local address of a transport ("127.0.0.1", port). */
  localAddress(protocol: TransportProtocol = 'UDP'): { host: string; port: number } | undefined {
    return this.core.transports.local(protocol);
  }

  /**
   * The address of `uri`'s next hop (outbound proxy, else the URI's host, resolved as RFC 3263
   * says), with the local address that reaches it looked up: an offer's c= line is
   * `mediaAddressFor(nextHop)`.
   */
  nextHopAddress(uri: string): Promise<string> {
    return nextHopAddress(this.core, uri);
  }

  /** The address an SDP o=/c= line gives `peer`: the public one towards the registrar behind a NAT. */
  mediaAddressFor(peer: string | undefined): string {
    return this.core.mediaAddressFor(peer);
  }

  /** The local interface address the route to `peer` leaves from (no NAT mapping): ICE's host candidate. */
  interfaceAddressFor(peer: string | undefined): string {
    return this.core.addresses.get(peer);
  }

  /** Our Contact for a request or response to `peer` (the address its route reaches us on). */
  contactFor(protocol: TransportProtocol, peer?: string): string {
    return this.core.contactFor(protocol, peer);
  }

  /** Registers with the configured registrar (again); resolves with the granted expiry. */
  register(): Promise<number> {
    const core = this.core;
    const registrar = this.options.registrar;
    if (!registrar) return Promise.reject(new Error('no registrar configured'));
    if (!core.registration) {
      core.registration = new Registration(core, registrar, core.aorFor(undefined), this.options.outboundProxy, this.options.registerExpires ?? 600, {
        keepAliveSeconds: this.options.keepAliveSeconds,
        networkPoll: this.options.networkPoll,
      });
      core.registration.on('failed', (err: Error) => this.emit('registrationFailed', err));
      core.registration.on('publicAddress', (a: PublicAddress | undefined) => this.emit('publicAddress', a));
      core.registration.on('networkChanged', () => this.emit('networkChanged'));
    }
    return core.registration.register();
  }

  /** Calls `target` ("sip:bob@192.0.2.1:5062" or an AOR the registrar knows), with Replaces etc. in `extraHeaders`. */
  invite(target: string, offer: SipBody, extraHeaders?: [string, string][]): SipSession {
    return startCall(this.core, target, offer, extraHeaders);
  }

  /**
   * An out-of-dialog OPTIONS or MESSAGE, routed as an INVITE is: through the outbound proxy
   * (loose Route), to the servers RFC 3263 finds, with failover. Resolves with the final response.
   */
  request(method: 'OPTIONS' | 'MESSAGE', target: string, body?: SipBody): Promise<SipResponse> {
    return sendRequest(this.core, method, target, body);
  }

  /** Sessions not yet ended. */
  get activeSessions(): SipSession[] {
    return [...this.core.sessions];
  }

  /** Ends every call, unregisters, closes the transports. */
  async close(): Promise<void> {
    const core = this.core;
    if (core.closing) return;
    core.closing = true;
    for (const s of core.sessions) s.bye();
    const registration = core.registration;
    if (registration) {
      // Unregister, but never let an unreachable registrar hold the shutdown for long.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([registration.unregister(), new Promise<void>((r) => (timer = setTimeout(r, Math.min(64 * core.timers.t1, 3000))))]);
      clearTimeout(timer);
    }
    core.closed = true;
    for (const s of core.sessions) s.abandon();
    core.layer.terminateAll();
    await core.transports.close();
  }
}
