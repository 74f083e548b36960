// The ICE check list (RFC 8445 §6.1.2): pairing, pruning, ordering, pair states and unfreezing
// by foundation, plus the triggered-check queue (§6.1.4.1) and the valid list (§7.2.5.3.2).
import { addressFamily, addressKey, pairPriority } from './candidate';
import type { Candidate } from './candidate';

/** A local candidate and the opaque id of the socket (or TURN allocation) that is its base. */
export interface LocalCandidate {
  readonly candidate: Candidate;
  readonly baseId: string;
}

export type PairState = 'frozen' | 'waiting' | 'in-progress' | 'succeeded' | 'failed';

export interface CandidatePair {
  readonly key: string;
  readonly local: Candidate;
  readonly localBaseId: string;
  remote: Candidate;
  /** The pair foundation: local and remote foundations together (RFC 8445 §6.1.2.6). */
  foundation: string;
  priority: bigint;
  state: PairState;
  /** On a valid pair: nominated (RFC 8445 §8.1.1). */
  nominated: boolean;
  /** Controlled side: a USE-CANDIDATE check came in before this pair succeeded (§7.3.1.5). */
  nominateOnSuccess: boolean;
  /** The valid pair the last successful check of this pair produced (§7.2.5.3.2). */
  validPair?: CandidatePair;
  /** On a valid pair: when a check on it last succeeded (consent, RFC 7675 §5.1). */
  succeededAt?: number;
  /** Round-trip time of the last successful check or consent request on this pair (ms). */
  rttMs?: number;
}

/** RFC 8445 §6.1.2.5 recommends 100 pairs at most. */
export const MAX_PAIRS = 100;

export function pairKey(localBaseId: string, local: Candidate, remote: Candidate): string {
  return `${localBaseId}/${addressKey(local.address, local.port)}/${addressKey(remote.address, remote.port)}/${remote.component}`;
}

export function computePairPriority(local: Candidate, remote: Candidate, controlling: boolean): bigint {
  return controlling ? pairPriority(local.priority, remote.priority) : pairPriority(remote.priority, local.priority);
}

export function newPair(local: LocalCandidate, remote: Candidate, controlling: boolean, state: PairState = 'frozen'): CandidatePair {
  return {
    key: pairKey(local.baseId, local.candidate, remote),
    local: local.candidate,
    localBaseId: local.baseId,
    remote,
    foundation: `${local.candidate.foundation}:${remote.foundation}`,
    priority: computePairPriority(local.candidate, remote, controlling),
    state,
    nominated: false,
    nominateOnSuccess: false,
  };
}

/** RFC 8445 §6.1.2.2: a local and a remote candidate pair when component and address family match. */
export function canPair(local: Candidate, remote: Candidate): boolean {
  if (local.component !== remote.component || local.transport !== 'udp' || remote.transport !== 'udp') return false;
  const family = addressFamily(remote.address);
  return family !== undefined && family === addressFamily(local.address);
}

/**
 * Pairs every local with every remote candidate (§6.1.2.2), then prunes (§6.1.2.4): a server
 * reflexive local candidate is replaced by its base (the host candidate on the same socket), and of
 * pairs with the same local base and remote candidate only the highest-priority one is kept.
 * Sorted by priority, highest first (§6.1.2.3).
 */
export function formPairs(locals: readonly LocalCandidate[], remotes: readonly Candidate[], controlling: boolean): CandidatePair[] {
  const byKey = new Map<string, CandidatePair>();
  for (const l of locals) {
    const base =
      l.candidate.type === 'srflx'
        ? (locals.find((h) => h.baseId === l.baseId && h.candidate.type === 'host' && h.candidate.component === l.candidate.component) ?? l)
        : l;
    for (const r of remotes) {
      if (!canPair(base.candidate, r)) continue;
      const p = newPair(base, r, controlling);
      const known = byKey.get(p.key);
      if (!known || known.priority < p.priority) byKey.set(p.key, p);
    }
  }
  return sortPairs([...byKey.values()]);
}

function sortPairs(pairs: CandidatePair[]): CandidatePair[] {
  return pairs.sort((a, b) => (a.priority > b.priority ? -1 : a.priority < b.priority ? 1 : a.key < b.key ? -1 : 1));
}

export class Checklist {
  private list: CandidatePair[] = [];
  private triggered: CandidatePair[] = [];
  private readonly validByKey = new Map<string, CandidatePair>();

  get pairs(): readonly CandidatePair[] {
    return this.list;
  }

  get valid(): readonly CandidatePair[] {
    return [...this.validByKey.values()];
  }

  get(key: string): CandidatePair | undefined {
    return this.list.find((p) => p.key === key);
  }

  /**
   * Adds pairs not yet in the list. A new pair starts Waiting unless a pair with its foundation is
   * already Waiting or In-Progress (RFC 8445 §6.1.2.6; trickled pairs, RFC 8838 §10), taking the
   * lowest component first, so each foundation has one check going and the rest follow on its
   * success. The list keeps the MAX_PAIRS highest-priority pairs.
   */
  add(pairs: readonly CandidatePair[]): CandidatePair[] {
    const fresh = pairs.filter((p) => !this.get(p.key));
    fresh.sort((a, b) => a.local.component - b.local.component || (a.priority > b.priority ? -1 : a.priority < b.priority ? 1 : 0));
    for (const p of fresh) {
      const busy = this.list.some((q) => q.foundation === p.foundation && (q.state === 'waiting' || q.state === 'in-progress'));
      p.state = busy ? 'frozen' : 'waiting';
      this.list.push(p);
    }
    sortPairs(this.list);
    if (this.list.length > MAX_PAIRS) {
      const dropped = new Set(this.list.slice(MAX_PAIRS));
      this.list = this.list.slice(0, MAX_PAIRS);
      this.triggered = this.triggered.filter((p) => !dropped.has(p));
    }
    return fresh.filter((p) => this.list.includes(p));
  }

  /** After a role switch (§7.2.5.1, §7.3.1.1) every pair priority is recomputed. */
  setRole(controlling: boolean): void {
    for (const p of [...this.list, ...this.validByKey.values()]) p.priority = computePairPriority(p.local, p.remote, controlling);
    sortPairs(this.list);
  }

  /** §6.1.4.1 triggered-check queue (FIFO, no duplicates). */
  enqueueTriggered(pair: CandidatePair): void {
    pair.state = 'waiting';
    if (!this.triggered.includes(pair)) this.triggered.push(pair);
  }

  /**
   * The pair to check at the next Ta tick (§6.1.4.2): a triggered check first, else the
   * highest-priority Waiting pair, else the highest-priority Frozen pair whose foundation has no
   * pair Waiting or In-Progress (unfrozen now).
   */
  nextCheck(): CandidatePair | undefined {
    // A queued pair that succeeded meanwhile (its own check was answered) needs no check.
    for (let t = this.triggered.shift(); t; t = this.triggered.shift()) if (t.state === 'waiting') return t;
    const waiting = this.list.find((p) => p.state === 'waiting');
    if (waiting) return waiting;
    const frozen = this.unfreezable();
    if (frozen) frozen.state = 'waiting';
    return frozen;
  }

  /** Whether nextCheck() would return a pair (so the caller's Ta timer is worth arming). */
  hasCheck(): boolean {
    return this.triggered.some((p) => p.state === 'waiting') || this.list.some((p) => p.state === 'waiting') || this.unfreezable() !== undefined;
  }

  private unfreezable(): CandidatePair | undefined {
    return this.list.find(
      (p) => p.state === 'frozen' && !this.list.some((q) => q.foundation === p.foundation && (q.state === 'waiting' || q.state === 'in-progress')),
    );
  }

  /** §7.2.5.3.3: a success unfreezes the Frozen pairs that share its foundation. */
  unfreezeFoundation(foundation: string): void {
    for (const p of this.list) if (p.state === 'frozen' && p.foundation === foundation) p.state = 'waiting';
  }

  /** Records the valid pair for a successful check of `checked`; returns the (shared) valid pair. */
  addValid(checked: CandidatePair, valid: CandidatePair, now: number): CandidatePair {
    const existing = this.validByKey.get(valid.key) ?? this.get(valid.key);
    const v = existing ?? valid;
    v.state = 'succeeded';
    v.succeededAt = now;
    // A listed pair that turned out valid through another pair's check is its own valid pair.
    v.validPair ??= v;
    this.validByKey.set(v.key, v);
    checked.validPair = v;
    return v;
  }

  removeValid(pair: CandidatePair): void {
    this.validByKey.delete(pair.key);
  }

  /** Re-labels pairs with a peer-reflexive remote once signalling names it (RFC 8838 §11.3). */
  replaceRemote(old: Candidate, next: Candidate, controlling: boolean): void {
    for (const p of [...this.list, ...this.validByKey.values()]) {
      if (p.remote !== old) continue;
      p.remote = next;
      p.foundation = `${p.local.foundation}:${next.foundation}`;
      p.priority = computePairPriority(p.local, next, controlling);
    }
    sortPairs(this.list);
  }

  /** True when no pair can still succeed: all Failed (or none at all). */
  get exhausted(): boolean {
    return this.triggered.length === 0 && this.list.every((p) => p.state === 'failed' || p.state === 'succeeded');
  }

  /** Pairs Waiting or In-Progress: N in RTO = MAX(500 ms, N·Ta) (RFC 8445 §14.3). */
  get activeCount(): number {
    return this.list.filter((p) => p.state === 'waiting' || p.state === 'in-progress').length;
  }
}
