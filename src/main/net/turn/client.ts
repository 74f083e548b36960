// A sans-IO TURN client (RFC 8656) for one allocation on one server. The caller owns the socket
// (UDP, or a TCP stream cut up by TcpFramer) and the clock: it feeds what the server sent to
// handleInput(), calls handleTimeout() when nextTimeout() is due, sends what pollTransmit() returns
// to the server and reads what happened from pollEvent(). No socket, no timer, no Date.now() here.
import { randomBytes } from 'node:crypto';
import { AttributeType, StunMethod, TRANSACTION_ID_LENGTH, getAttribute, parseMessage, serializeMessage } from '../stun/message';
import type { StunAttributeInit, StunMessage } from '../stun/message';
import {
  TEXT_LIMIT,
  TRANSPORT_UDP,
  decodeErrorCode,
  decodeLifetime,
  decodeXorMappedAddress,
  encodeChannelNumber,
  encodeLifetime,
  encodeRequestedTransport,
  encodeText,
  encodeXorMappedAddress,
} from '../stun/attributes';
import type { TransportAddress } from '../stun/attributes';
import { checkMessageIntegrity, serializeSigned } from '../stun/integrity';
import { learnCredentials } from './credentials';
import type { Credentials } from './credentials';
import { encodeChannelData, looksLikeChannelData, parseChannelData } from './channel-data';
import { RetransmitSchedule } from './retransmit';
import type { RetransmitOptions } from './retransmit';
import { PeerTable } from './peers';

export interface TurnClientOptions {
  /** The TURN server; the caller sends pollTransmit()'s bytes there (kept for the caller's wiring). */
  readonly server: TransportAddress;
  readonly username: string;
  readonly password: string;
  readonly transport: 'udp' | 'tcp';
  /** Caller's clock (ms) at construction: the first Allocate request is queued then. */
  readonly now: number;
  /** Cryptographically random bytes (transaction ids, RFC 8489 §6); node:crypto by default. */
  readonly random?: (length: number) => Uint8Array;
  readonly retransmit?: RetransmitOptions;
  /** LIFETIME to ask for, in seconds (§18.2); the server's default (600 s) when absent. */
  readonly lifetime?: number;
  readonly software?: string;
  /** Bind a channel to each peer we send to, so data goes as 4-byte-header ChannelData (default true). */
  readonly autoChannel?: boolean;
}

export type TurnErrorReason =
  /** The server refused our credentials (401 after a request carrying MESSAGE-INTEGRITY). */
  | 'turn-auth'
  /** No answer to Allocate within the STUN transaction timeout. */
  | 'turn-unreachable'
  /** Allocate failed with another error code (e.g. 486 quota, 508 capacity). */
  | 'turn-refused'
  /** A Refresh failed or went unanswered: the allocation is gone or will expire. */
  | 'turn-lost';

export type TurnEvent =
  /** `mapped` is the server-reflexive address the server saw (XOR-MAPPED-ADDRESS, §7.3): a srflx candidate. */
  | { type: 'allocated'; relayed: TransportAddress; mapped: TransportAddress | undefined; lifetime: number }
  | { type: 'refreshed'; lifetime: number }
  | { type: 'permission'; peerIp: string }
  | { type: 'permission-failed'; peerIp: string; code: number }
  | { type: 'channel-bound'; peer: TransportAddress; channel: number }
  | { type: 'channel-failed'; peer: TransportAddress; code: number }
  | { type: 'data'; from: TransportAddress; bytes: Uint8Array }
  | { type: 'error'; reason: TurnErrorReason; code?: number }
  | { type: 'closed' };

export type TurnState = 'allocating' | 'allocated' | 'closing' | 'closed' | 'failed';

type Purpose =
  | { kind: 'allocate' }
  | { kind: 'refresh'; lifetime: number }
  | { kind: 'permission'; peerIp: string }
  | { kind: 'channel'; peer: TransportAddress; channel: number };

const METHOD: Record<Purpose['kind'], number> = {
  allocate: StunMethod.Allocate,
  refresh: StunMethod.Refresh,
  permission: StunMethod.CreatePermission,
  channel: StunMethod.ChannelBind,
};

interface Pending {
  readonly purpose: Purpose;
  readonly transactionId: Uint8Array;
  /** The request carried MESSAGE-INTEGRITY: a 401 now means bad credentials, and answers must verify. */
  readonly authenticated: boolean;
  readonly staleNonceRetries: number;
  readonly packet: Uint8Array;
  readonly schedule: RetransmitSchedule;
}

/** 438 answers in a row for one request before it counts as failed (a server looping on nonces). */
const MAX_STALE_NONCE_RETRIES = 3;
/** §7: refresh this long before the allocation expires. */
const REFRESH_MARGIN_MS = 60_000;

export class TurnClient {
  private stateValue: TurnState = 'allocating';
  private credentials: Credentials | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly transmits: Uint8Array[] = [];
  private readonly events: TurnEvent[] = [];
  private readonly random: (length: number) => Uint8Array;
  private readonly peers = new PeerTable();
  private refreshAt: number | undefined;
  private relayedAddress: TransportAddress | undefined;

  constructor(private readonly options: TurnClientOptions) {
    this.random = options.random ?? ((n) => randomBytes(n));
    this.request({ kind: 'allocate' }, options.now, 0, false);
  }

  get state(): TurnState {
    return this.stateValue;
  }

  /** The relayed transport address once allocated (a relay candidate). */
  get relayed(): TransportAddress | undefined {
    return this.relayedAddress;
  }

  /** Next bytes to send to the server, oldest first. */
  pollTransmit(): Uint8Array | undefined {
    return this.transmits.shift();
  }

  pollEvent(): TurnEvent | undefined {
    return this.events.shift();
  }

  /** When handleTimeout() must next be called (caller's clock, ms); undefined when nothing is scheduled. */
  nextTimeout(): number | undefined {
    let next: number | undefined;
    const consider = (at: number | undefined): void => {
      if (at !== undefined && (next === undefined || at < next)) next = at;
    };
    for (const p of this.pending.values()) consider(p.schedule.nextAt);
    if (this.stateValue === 'allocated') {
      consider(this.refreshAt);
      consider(this.peers.nextRefresh());
    }
    return next;
  }

  handleTimeout(now: number): void {
    for (const [id, p] of [...this.pending]) {
      const step = p.schedule.step(now);
      if (step === 'send') this.transmits.push(p.packet);
      else if (step === 'give-up') {
        this.pending.delete(id);
        this.onFailure(p, 0);
      }
    }
    if (this.stateValue !== 'allocated') return;
    if (this.refreshAt !== undefined && now >= this.refreshAt) {
      this.refreshAt = undefined;
      this.request({ kind: 'refresh', lifetime: this.options.lifetime ?? 600 }, now, 0, true);
    }
    for (const due of this.peers.dueRefreshes(now)) {
      this.request(due.kind === 'permission' ? { kind: 'permission', peerIp: due.peerIp } : due, now, 0, true);
    }
  }

  /** Feeds one message from the server: a UDP datagram, or one frame from TcpFramer. */
  handleInput(bytes: Uint8Array, now: number): void {
    if (looksLikeChannelData(bytes)) {
      const parsed = parseChannelData(bytes);
      const peer = parsed.ok ? this.peers.peerOfChannel(parsed.message.channel) : undefined;
      if (parsed.ok && peer && this.stateValue === 'allocated') this.events.push({ type: 'data', from: peer, bytes: parsed.message.data.slice() });
      return;
    }
    const parsed = parseMessage(bytes);
    if (!parsed.ok) return;
    const m = parsed.message;
    if (m.cls === 'indication') {
      if (m.method === StunMethod.Data && this.stateValue === 'allocated') this.onDataIndication(m);
      return;
    }
    if (m.cls === 'request') return;
    const id = hex(m.transactionId);
    const p = this.pending.get(id);
    if (!p || m.method !== METHOD[p.purpose.kind]) return;
    const code = m.cls === 'error' ? (decodeErrorCode(getAttribute(m, AttributeType.ErrorCode)?.value ?? new Uint8Array(0))?.code ?? 0) : 0;
    // RFC 8489 §9.2.5: 401 and 438 are not integrity-protected; anything else answering an
    // authenticated request must verify, or it is discarded as if never received (a forgery).
    const unprotected = code === 401 || code === 438;
    if (p.authenticated && !unprotected && this.credentials && checkMessageIntegrity(m, this.credentials.key) !== 'valid') return;
    this.pending.delete(id);
    if (m.cls === 'success') this.onSuccess(p, m, now);
    else if (code === 401 && !p.authenticated && this.learn(m)) this.request(p.purpose, now, 0, true);
    else if (code === 438 && p.staleNonceRetries < MAX_STALE_NONCE_RETRIES && this.credentials && this.learn(m)) {
      this.request(p.purpose, now, p.staleNonceRetries + 1, true);
    } else this.onFailure(p, code);
  }

  /**
   * Sends application data to `peer` through the relay: as ChannelData once a channel is bound
   * (§12), as a Send indication before (§11). Returns false when there is no allocation.
   */
  send(peer: TransportAddress, bytes: Uint8Array, now: number): boolean {
    const wrapped = this.wrap(peer, bytes, now);
    if (wrapped) this.transmits.push(wrapped);
    return wrapped !== undefined;
  }

  /**
   * What send() would queue, returned instead (for a caller with its own send path, e.g. one
   * that writes the ChannelData header into a packet's headroom once channelOf() is defined).
   */
  wrap(peer: TransportAddress, bytes: Uint8Array, now: number): Uint8Array | undefined {
    if (this.stateValue !== 'allocated') return undefined;
    const channel = this.peers.boundChannel(peer);
    if (channel !== undefined) return encodeChannelData(channel, bytes, this.options.transport);
    if (this.options.autoChannel ?? true) this.bindChannel(peer, now);
    const transactionId = this.random(TRANSACTION_ID_LENGTH);
    return serializeMessage({
      method: StunMethod.Send,
      cls: 'indication',
      transactionId,
      attributes: [
        { type: AttributeType.XorPeerAddress, value: encodeXorMappedAddress(peer, transactionId) },
        { type: AttributeType.Data, value: bytes },
      ],
    });
  }

  /** The channel bound to `peer`, once its ChannelBind succeeded. */
  channelOf(peer: TransportAddress): number | undefined {
    return this.peers.boundChannel(peer);
  }

  /** §9: lets `peerIp` send to the relayed address; refreshed every 4 minutes while allocated. */
  addPermission(peerIp: string, now: number): void {
    if (this.stateValue !== 'allocated' || !this.peers.wantPermission(peerIp)) return;
    this.request({ kind: 'permission', peerIp }, now, 0, true);
  }

  /** §12: binds a channel to `peer` (also installing its permission); refreshed every 9 minutes. */
  bindChannel(peer: TransportAddress, now: number): void {
    if (this.stateValue !== 'allocated') return;
    const channel = this.peers.wantChannel(peer);
    if (channel !== undefined) this.request({ kind: 'channel', peer, channel }, now, 0, true);
  }

  /** Deletes the allocation (Refresh with LIFETIME 0, §7.2); 'closed' follows its answer or timeout. */
  close(now: number): void {
    if (this.stateValue === 'closed' || this.stateValue === 'failed' || this.stateValue === 'closing') return;
    const wasAllocated = this.stateValue === 'allocated';
    this.pending.clear();
    this.refreshAt = undefined;
    if (!wasAllocated) {
      this.finish('closed');
      return;
    }
    this.stateValue = 'closing';
    this.request({ kind: 'refresh', lifetime: 0 }, now, 0, true);
  }

  private onSuccess(p: Pending, m: StunMessage, now: number): void {
    const purpose = p.purpose;
    if (purpose.kind === 'allocate') {
      if (this.stateValue !== 'allocating') return;
      const relayed = decodeXorMappedAddress(getAttribute(m, AttributeType.XorRelayedAddress)?.value ?? new Uint8Array(0), m.transactionId);
      if (!relayed) return this.fail('turn-refused', 0);
      const mappedAttribute = getAttribute(m, AttributeType.XorMappedAddress);
      const mapped = mappedAttribute && decodeXorMappedAddress(mappedAttribute.value, m.transactionId);
      const lifetime = this.lifetimeOf(m);
      this.stateValue = 'allocated';
      this.relayedAddress = relayed;
      this.refreshAt = now + refreshDelay(lifetime);
      this.events.push({ type: 'allocated', relayed, mapped, lifetime });
    } else if (purpose.kind === 'refresh') {
      if (purpose.lifetime === 0) return this.finish('closed');
      const lifetime = this.lifetimeOf(m);
      this.refreshAt = now + refreshDelay(lifetime);
      this.events.push({ type: 'refreshed', lifetime });
    } else if (purpose.kind === 'permission') {
      if (this.peers.permissionInstalled(purpose.peerIp, now)) this.events.push({ type: 'permission', peerIp: purpose.peerIp });
    } else if (this.peers.channelBound(purpose.peer, now)) {
      this.events.push({ type: 'channel-bound', peer: purpose.peer, channel: purpose.channel });
    }
  }

  /** `code` 0: the transaction timed out. */
  private onFailure(p: Pending, code: number): void {
    const purpose = p.purpose;
    if (purpose.kind === 'allocate') {
      if (code === 0) this.fail('turn-unreachable', 0);
      else this.fail(code === 401 ? 'turn-auth' : 'turn-refused', code);
    } else if (purpose.kind === 'refresh') {
      // A failed delete still ends the allocation for us (437: it was already gone, §7.2).
      if (purpose.lifetime === 0) this.finish('closed');
      else this.fail('turn-lost', code);
    } else if (purpose.kind === 'permission') {
      this.peers.permissionFailed(purpose.peerIp);
      this.events.push({ type: 'permission-failed', peerIp: purpose.peerIp, code });
    } else {
      this.peers.channelFailed(purpose.peer);
      this.events.push({ type: 'channel-failed', peer: purpose.peer, code });
    }
  }

  private onDataIndication(m: StunMessage): void {
    const peer = getAttribute(m, AttributeType.XorPeerAddress);
    const data = getAttribute(m, AttributeType.Data);
    const from = peer && decodeXorMappedAddress(peer.value, m.transactionId);
    if (from && data) this.events.push({ type: 'data', from, bytes: data.value.slice() });
  }

  private fail(reason: TurnErrorReason, code: number): void {
    this.events.push(code ? { type: 'error', reason, code } : { type: 'error', reason });
    this.finish('failed');
  }

  private finish(state: 'closed' | 'failed'): void {
    this.stateValue = state;
    this.pending.clear();
    this.refreshAt = undefined;
    this.relayedAddress = undefined;
    if (state === 'closed') this.events.push({ type: 'closed' });
  }

  private lifetimeOf(m: StunMessage): number {
    const attribute = getAttribute(m, AttributeType.Lifetime);
    return (attribute && decodeLifetime(attribute.value)) ?? 600;
  }

  /** 401 (first challenge) or 438 (stale nonce): keeps what the answer teaches, true when it taught enough. */
  private learn(m: StunMessage): boolean {
    const learned = learnCredentials(m, this.credentials, this.options.username, this.options.password);
    if (learned) this.credentials = learned;
    return learned !== undefined;
  }

  private request(purpose: Purpose, now: number, staleNonceRetries: number, authenticate: boolean): void {
    const transactionId = this.random(TRANSACTION_ID_LENGTH);
    const attributes: StunAttributeInit[] = [];
    if (purpose.kind === 'allocate') {
      attributes.push({ type: AttributeType.RequestedTransport, value: encodeRequestedTransport(TRANSPORT_UDP) });
      if (this.options.lifetime !== undefined) attributes.push({ type: AttributeType.Lifetime, value: encodeLifetime(this.options.lifetime) });
    } else if (purpose.kind === 'refresh') {
      attributes.push({ type: AttributeType.Lifetime, value: encodeLifetime(purpose.lifetime) });
    } else if (purpose.kind === 'permission') {
      // §9.1: only the IP address matters; the port is ignored.
      const peer = { family: purpose.peerIp.includes(':') ? 'IPv6' : 'IPv4', address: purpose.peerIp, port: 0 } as const;
      attributes.push({ type: AttributeType.XorPeerAddress, value: encodeXorMappedAddress(peer, transactionId) });
    } else {
      attributes.push({ type: AttributeType.ChannelNumber, value: encodeChannelNumber(purpose.channel) });
      attributes.push({ type: AttributeType.XorPeerAddress, value: encodeXorMappedAddress(purpose.peer, transactionId) });
    }
    if (this.options.software) attributes.push({ type: AttributeType.Software, value: encodeText(this.options.software, TEXT_LIMIT.software) });
    const credentials = authenticate ? this.credentials : undefined;
    let packet: Uint8Array;
    if (credentials) {
      attributes.push(
        { type: AttributeType.Username, value: encodeText(this.options.username, TEXT_LIMIT.username) },
        { type: AttributeType.Realm, value: encodeText(credentials.realm, TEXT_LIMIT.realm) },
        { type: AttributeType.Nonce, value: encodeText(credentials.nonce, TEXT_LIMIT.nonce) },
      );
      packet = serializeSigned({ method: METHOD[purpose.kind], cls: 'request', transactionId, attributes }, { integrity: credentials.key });
    } else {
      packet = serializeMessage({ method: METHOD[purpose.kind], cls: 'request', transactionId, attributes });
    }
    const schedule = new RetransmitSchedule(this.options.transport, this.options.retransmit ?? {}, now);
    this.pending.set(hex(transactionId), { purpose, transactionId, authenticated: credentials !== undefined, staleNonceRetries, packet, schedule });
    if (schedule.step(now) === 'send') this.transmits.push(packet);
  }
}

/** §7: refresh a minute before expiry; a short lifetime is refreshed halfway. */
function refreshDelay(lifetimeSeconds: number): number {
  return lifetimeSeconds * 1000 > 2 * REFRESH_MARGIN_MS ? lifetimeSeconds * 1000 - REFRESH_MARGIN_MS : lifetimeSeconds * 500;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
