// The agent's outstanding STUN transactions (connectivity checks and consent requests), keyed by
// transaction id: retransmission timing (RFC 8489 §6.2.1), cancellation (RFC 8445 §7.3.1.4) and
// expiry. Each is a BindingTransaction from ../stun, which also authenticates the answer.
import type { BindingTransaction } from '../stun/index';
import type { CandidatePair } from './checklist';

export interface Transaction {
  readonly tx: BindingTransaction;
  readonly pair: CandidatePair;
  readonly kind: 'check' | 'consent';
  /** Our role when the request went out (a 487 answer switches from it, §7.2.5.1). */
  readonly controlling: boolean;
  readonly useCandidate: boolean;
  /** The PRIORITY sent: a peer-reflexive local candidate learned from the answer gets it. */
  readonly priority: number;
  readonly sentAt: number;
  /** Next retransmission; undefined when none is due (consent, cancelled) — only an answer counts. */
  nextAt: number | undefined;
}

/** How long an answer to a request that is no longer retransmitted still counts (≈ Rc/Rm timeout). */
const ANSWER_WINDOW_MS = 40_000;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export class Transactions {
  private readonly byId = new Map<string, Transaction>();

  add(t: Transaction): void {
    this.byId.set(hex(t.tx.transactionId), t);
  }

  get(transactionId: Uint8Array): Transaction | undefined {
    return this.byId.get(hex(transactionId));
  }

  delete(t: Transaction): void {
    this.byId.delete(hex(t.tx.transactionId));
  }

  /** §7.3.1.4: no more retransmissions of the pair's checks; a late answer is still taken. */
  cancelChecks(pair: CandidatePair): void {
    for (const t of this.byId.values()) if (t.pair === pair && t.kind === 'check') t.nextAt = undefined;
  }

  /** ICE restart: the old generation's checks are void (consent requests stay). */
  dropChecks(): void {
    for (const [id, t] of this.byId) if (t.kind === 'check') this.byId.delete(id);
  }

  get checksInFlight(): boolean {
    return [...this.byId.values()].some((t) => t.kind === 'check');
  }

  nextTimeout(): number | undefined {
    let at: number | undefined;
    for (const t of this.byId.values()) if (t.nextAt !== undefined && (at === undefined || t.nextAt < at)) at = t.nextAt;
    return at;
  }

  /**
   * Retransmits what is due through `send`; a check whose transaction timed out makes its pair
   * Failed (§7.2.5.2.4) unless a newer check of that pair is still out.
   */
  tick(now: number, send: (packet: Uint8Array, pair: CandidatePair) => void): void {
    for (const [id, t] of this.byId) {
      if (t.nextAt === undefined) {
        if (now - t.sentAt > ANSWER_WINDOW_MS) this.byId.delete(id);
        continue;
      }
      if (now < t.nextAt) continue;
      const step = t.tx.tick(now);
      if (step.kind === 'transmit') {
        t.nextAt = step.at;
        send(step.packet, t.pair);
      } else if (step.kind === 'wait') {
        t.nextAt = step.at;
      } else {
        this.byId.delete(id);
        if (t.pair.state === 'in-progress' && ![...this.byId.values()].some((o) => o.pair === t.pair)) t.pair.state = 'failed';
      }
    }
  }
}
