// A sans-IO STUN Binding client transaction over UDP (RFC 8489 §6.2.1, §6.3). The caller owns the
// socket and the clock: it sends what start()/tick() return, feeds received datagrams to input()
// and calls tick() when the returned timer fires. No socket, no timer, no Date.now() in here.
import { randomBytes } from 'node:crypto';
import { AttributeType, StunMethod, TRANSACTION_ID_LENGTH, getAttribute, parseMessage, serializeMessage } from './message';
import { checkFingerprint, checkMessageIntegrity, serializeSigned } from './integrity';
import { decodeErrorCode, decodeMappedAddress, decodeXorMappedAddress } from './attributes';
import type { TransportAddress } from './attributes';
import type { StunAttributeInit } from './message';

export interface BindingOptions {
  /** Initial retransmission timeout; RFC 8489 §6.2.1 recommends 500 ms. */
  readonly rtoMs?: number;
  /** Requests sent in all (Rc, default 7). */
  readonly rc?: number;
  /** Wait after the last request, as a multiple of the RTO (Rm, default 16). */
  readonly rm?: number;
  /** Defaults to 12 random bytes (RFC 8489 §6: cryptographically random). */
  readonly transactionId?: Uint8Array;
  /** Extra attributes for the request (e.g. SOFTWARE, or ICE's PRIORITY and USERNAME later). */
  readonly attributes?: readonly StunAttributeInit[];
  /**
   * Short-term key (RFC 8489 §9.1): the request carries MESSAGE-INTEGRITY and a response counts
   * only when its MESSAGE-INTEGRITY verifies under the same key, as ICE checks need (RFC 8445 §7.2.5.2).
   */
  readonly integrity?: Uint8Array;
  /** Append FINGERPRINT to the request (RFC 8445 §7.1.1 requires it for connectivity checks). */
  readonly fingerprint?: boolean;
}

/** What the caller does next: send a packet and/or arm a timer for `at` (ms, caller's clock). */
export type BindingStep =
  { kind: 'transmit'; packet: Uint8Array; at: number } | { kind: 'wait'; at: number } | { kind: 'timeout' } | { kind: 'done' };

export type BindingResult =
  /** The server-reflexive address and the time from the first request to the answer. */
  | { kind: 'success'; mapped: TransportAddress; rttMs: number }
  | { kind: 'error-response'; code: number; reason: string }
  /** A success response that this client cannot use (RFC 8489 §6.3.3, §6.3.4). */
  | {
      kind: 'failure';
      reason: 'no-mapped-address' | 'unknown-comprehension-required';
    };

export type BindingInput = { kind: 'ignored'; reason: string } | BindingResult;

/** Comprehension-required attributes (type < 0x8000, RFC 8489 §14) a Binding response may carry. */
const UNDERSTOOD = new Set<number>([
  AttributeType.MappedAddress,
  AttributeType.XorMappedAddress,
  AttributeType.Username,
  AttributeType.MessageIntegrity,
  AttributeType.MessageIntegritySha256,
  AttributeType.ErrorCode,
  AttributeType.UnknownAttributes,
  AttributeType.Realm,
  AttributeType.Nonce,
  AttributeType.Priority,
  AttributeType.UseCandidate,
]);

export class BindingTransaction {
  readonly transactionId: Uint8Array;
  private readonly request: Uint8Array;
  private readonly rto: number;
  private readonly rc: number;
  private readonly rm: number;
  private readonly integrity: Uint8Array | undefined;
  private sent = 0;
  private startedAt = 0;
  private nextAt = 0;
  private state: 'idle' | 'running' | 'finished' = 'idle';

  constructor(options: BindingOptions = {}) {
    this.transactionId = options.transactionId ?? randomBytes(TRANSACTION_ID_LENGTH);
    if (this.transactionId.length !== TRANSACTION_ID_LENGTH) throw new RangeError('transaction id must be 12 bytes');
    this.rto = options.rtoMs ?? 500;
    this.rc = options.rc ?? 7;
    this.rm = options.rm ?? 16;
    this.integrity = options.integrity;
    const init = {
      method: StunMethod.Binding,
      cls: 'request' as const,
      transactionId: this.transactionId,
      attributes: options.attributes ?? [],
    };
    this.request =
      options.integrity || options.fingerprint
        ? serializeSigned(init, { integrity: options.integrity, fingerprint: options.fingerprint })
        : serializeMessage(init);
  }

  get finished(): boolean {
    return this.state === 'finished';
  }

  /** Sends the first request at `now`. */
  start(now: number): BindingStep {
    if (this.state !== 'idle') throw new Error('BindingTransaction already started');
    this.state = 'running';
    this.startedAt = now;
    return this.transmit(now);
  }

  /**
   * Call when the timer fires (early calls are harmless). RFC 8489 §6.2.1: the interval doubles
   * after each send (0, 500, 1500, 3500, ... ms); after Rc sends it waits Rm × RTO, then gives up.
   */
  tick(now: number): BindingStep {
    if (this.state !== 'running') return this.state === 'finished' ? { kind: 'done' } : { kind: 'wait', at: now };
    if (now < this.nextAt) return { kind: 'wait', at: this.nextAt };
    if (this.sent >= this.rc) {
      this.state = 'finished';
      return { kind: 'timeout' };
    }
    return this.transmit(now);
  }

  /** Feeds one received datagram; anything not a response to this transaction is ignored. */
  input(packet: Uint8Array, now: number): BindingInput {
    if (this.state !== 'running') return { kind: 'ignored', reason: 'not running' };
    const parsed = parseMessage(packet);
    if (!parsed.ok) return { kind: 'ignored', reason: parsed.error };
    const m = parsed.message;
    if (!equalBytes(m.transactionId, this.transactionId)) return { kind: 'ignored', reason: 'other transaction' };
    if (m.method !== StunMethod.Binding || (m.cls !== 'success' && m.cls !== 'error')) {
      return { kind: 'ignored', reason: 'not a Binding response' };
    }
    if (checkFingerprint(m) === 'invalid') return { kind: 'ignored', reason: 'bad fingerprint' };
    // A forged or unauthenticated response changes nothing; the real one may still come.
    if (this.integrity && checkMessageIntegrity(m, this.integrity) !== 'valid') {
      return { kind: 'ignored', reason: 'bad message integrity' };
    }
    this.state = 'finished';
    if (m.cls === 'error') {
      const e = getAttribute(m, AttributeType.ErrorCode);
      const decoded = e && decodeErrorCode(e.value);
      // §6.3.4: an error response without a usable ERROR-CODE is still a failed transaction.
      return {
        kind: 'error-response',
        code: decoded?.code ?? 0,
        reason: decoded?.reason ?? 'malformed ERROR-CODE',
      };
    }
    if (m.attributes.some((a) => a.type < 0x8000 && !UNDERSTOOD.has(a.type))) {
      return { kind: 'failure', reason: 'unknown-comprehension-required' };
    }
    const xor = getAttribute(m, AttributeType.XorMappedAddress);
    // §14.1: MAPPED-ADDRESS is only for RFC 3489 servers; XOR-MAPPED-ADDRESS wins when both exist.
    const mapped = xor
      ? decodeXorMappedAddress(xor.value, m.transactionId)
      : decodeMappedAddress(getAttribute(m, AttributeType.MappedAddress)?.value ?? new Uint8Array(0));
    if (!mapped) return { kind: 'failure', reason: 'no-mapped-address' };
    return { kind: 'success', mapped, rttMs: now - this.startedAt };
  }

  private transmit(now: number): BindingStep {
    const interval = this.sent < this.rc - 1 ? this.rto * 2 ** this.sent : this.rto * this.rm;
    this.sent++;
    this.nextAt = now + interval;
    return { kind: 'transmit', packet: this.request, at: this.nextAt };
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
