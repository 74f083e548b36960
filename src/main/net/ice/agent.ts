// A sans-IO ICE agent for one data stream (RFC 8445, full implementation, trickle-friendly
// (RFC 8838), consent freshness (RFC 7675)). Packets and time go in (handleStun, handleTimeout);
// packets, events and the next deadline come out (pollTransmit, pollEvent, nextTimeout). The caller
// owns the sockets (one per base id) and the clock. No I/O, no timers, no Date.now() in here.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { BindingTransaction, StunMethod, parseMessage, shortTermKey } from '../stun/index';
import type { StunMessage, TransportAddress } from '../stun/index';
import { addressFamily, addressKey, candidatePriority, normalizeTransportAddress, peerReflexive } from './candidate';
import type { Candidate } from './candidate';
import { Checklist, formPairs, newPair, pairKey } from './checklist';
import type { CandidatePair, LocalCandidate } from './checklist';
import { ConsentFreshness } from './consent';
import { Transactions } from './transactions';
import type { Transaction } from './transactions';
import { snapshot } from './types';
import type { IceAgentOptions, IceEvent, IcePair, IceState, IceTransmit } from './types';
import { checkRequestAttributes, errorResponse, readCheckRequest, resolveRoleConflict, successResponse } from './messages';
import type { IncomingCheck } from './messages';

interface Credentials {
  readonly localUfrag: string;
  readonly localPwd: string;
  remoteUfrag?: string;
  remotePwd?: string;
}

interface Selected {
  readonly pair: CandidatePair;
  readonly consent: ConsentFreshness;
  readonly creds: Credentials;
}

export class IceAgent {
  private controllingRole: boolean;
  private readonly tieBreaker: bigint;
  private creds: Credentials;
  /** During an ICE restart: the old generation, still answered and used for consent (RFC 8445 §9). */
  private previous: Credentials | undefined;
  private readonly locals: LocalCandidate[] = [];
  private remotes: Candidate[] = [];
  private checklist = new Checklist();
  private readonly transactions = new Transactions();
  private readonly selected = new Map<number, Selected>();
  private readonly transmits: IceTransmit[] = [];
  private readonly events: IceEvent[] = [];
  private readonly announced = new Set<string>();
  private nextCheckAt: number;
  private state: IceState | 'new' = 'new';
  private remoteEnded = false;
  private readonly ta: number;
  private readonly rc: number;
  private readonly rm: number | undefined;
  private readonly randomBytes: (n: number) => Uint8Array;
  private readonly random: () => number;
  private readonly consentOptions: { intervalMs?: number; timeoutMs?: number };
  private readonly consentTimeoutMs: number;

  constructor(o: IceAgentOptions) {
    this.controllingRole = o.controlling;
    this.tieBreaker = BigInt.asUintN(64, o.tieBreaker);
    this.creds = { localUfrag: o.localUfrag, localPwd: o.localPwd };
    this.nextCheckAt = o.now;
    this.ta = o.taMs ?? 50;
    this.rc = o.checkRc ?? 7;
    this.rm = o.checkRm;
    this.randomBytes = o.randomBytes ?? ((n) => new Uint8Array(nodeRandomBytes(n)));
    this.random = o.random ?? (() => new DataView(this.randomBytes(4).buffer).getUint32(0) / 2 ** 32);
    this.consentOptions = { intervalMs: o.consentIntervalMs, timeoutMs: o.consentTimeoutMs };
    this.consentTimeoutMs = o.consentTimeoutMs ?? 30_000;
  }

  get controlling(): boolean {
    return this.controllingRole;
  }

  get localUfrag(): string {
    return this.creds.localUfrag;
  }

  get localPwd(): string {
    return this.creds.localPwd;
  }

  /** The selected pair of a component (RTP = 1), kept through an ICE restart until a new one is selected. */
  selectedPair(component = 1): IcePair | undefined {
    const s = this.selected.get(component);
    return s && snapshot(s.pair);
  }

  /** Local candidates including peer-reflexive ones learned from checks (RFC 8445 §7.2.5.3.1). */
  localCandidates(): readonly LocalCandidate[] {
    return [...this.locals];
  }

  /** A host or relayed candidate is its own base; a srflx candidate names its host's base id. */
  addLocalCandidate(candidate: Candidate, baseId: string): void {
    if (this.locals.some((l) => l.baseId === baseId && addressKey(l.candidate.address, l.candidate.port) === addressKey(candidate.address, candidate.port))) return;
    this.locals.push({ candidate, baseId });
    this.formPairs();
  }

  setRemoteCredentials(ufrag: string, pwd: string): void {
    this.creds.remoteUfrag = ufrag;
    this.creds.remotePwd = pwd;
  }

  /** A signalled (or trickled) remote candidate; one already known by address is ignored. */
  addRemoteCandidate(candidate: Candidate): void {
    const key = addressKey(candidate.address, candidate.port);
    const known = this.remotes.findIndex((r) => r.component === candidate.component && addressKey(r.address, r.port) === key);
    if (known >= 0) {
      const old = this.remotes[known];
      // RFC 8838 §11.3: a peer-reflexive candidate learned from a check takes the signalled one's identity.
      if (old.type === 'prflx' && candidate.type !== 'prflx') {
        this.remotes[known] = candidate;
        this.checklist.replaceRemote(old, candidate, this.controllingRole);
        for (const s of this.selected.values()) if (s.pair.remote === candidate) this.events.push({ type: 'selected-pair', pair: snapshot(s.pair) });
      }
      return;
    }
    this.remotes.push(candidate);
    this.formPairs();
  }

  /** RFC 8838 §13 a=end-of-candidates: once every pair has failed, ICE has failed. */
  setRemoteEndOfCandidates(): void {
    this.remoteEnded = true;
  }

  /**
   * ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.2): new local credentials, remote candidates and
   * credentials to come. The selected pair stays usable (and answered, and consent-checked with
   * the old credentials) until a new pair is selected.
   */
  restart(localUfrag: string, localPwd: string, controlling = this.controllingRole): void {
    if (this.selected.size > 0) this.previous = this.creds;
    this.creds = { localUfrag, localPwd };
    this.controllingRole = controlling;
    this.remotes = [];
    this.checklist = new Checklist();
    this.remoteEnded = false;
    this.announced.clear();
    this.transactions.dropChecks();
    for (let i = this.locals.length - 1; i >= 0; i--) if (this.locals[i].candidate.type === 'prflx') this.locals.splice(i, 1);
    this.state = this.selected.size > 0 ? this.state : 'new';
  }

  pollTransmit(): IceTransmit | undefined {
    return this.transmits.shift();
  }

  pollEvent(): IceEvent | undefined {
    return this.events.shift();
  }

  /** The earliest time handleTimeout wants to be called, undefined when nothing is pending. */
  nextTimeout(): number | undefined {
    let t: number | undefined;
    const at = (x: number | undefined): void => {
      if (x !== undefined && (t === undefined || x < t)) t = x;
    };
    if (this.creds.remotePwd !== undefined && this.checklist.hasCheck()) at(this.nextCheckAt);
    at(this.transactions.nextTimeout());
    for (const s of this.selected.values()) at(s.consent.nextTimeout());
    return t;
  }

  handleTimeout(now: number): void {
    this.transactions.tick(now, (packet, pair) => this.send(packet, pair));
    if (this.creds.remotePwd !== undefined && now >= this.nextCheckAt) {
      const pair = this.checklist.nextCheck();
      if (pair) {
        this.startCheck(pair, now);
        this.nextCheckAt = now + this.ta;
      }
    }
    for (const [component, s] of [...this.selected]) {
      if (s.consent.expired(now)) this.loseConsent(component, s, now);
      else if (s.consent.due(now)) this.sendConsent(s, now);
    }
    this.updateState(now);
  }

  /**
   * A STUN datagram that arrived on the socket `localBaseId` from `from`. Returns false when it is
   * not a STUN message this agent handles (the caller may pass it on).
   */
  handleStun(bytes: Uint8Array, source: TransportAddress, localBaseId: string, now: number): boolean {
    const parsed = parseMessage(bytes);
    const from = normalizeTransportAddress(source);
    if (!parsed.ok || !from || parsed.message.method !== StunMethod.Binding) return false;
    const m = parsed.message;
    if (m.cls === 'request') {
      this.handleRequest(m, from, localBaseId, now);
      this.updateState(now);
      return true;
    }
    if (m.cls !== 'success' && m.cls !== 'error') return false;
    const t = this.transactions.get(m.transactionId);
    if (!t) return false;
    const result = t.tx.input(bytes, now);
    if (result.kind === 'ignored') return true;
    this.transactions.delete(t);
    // §7.2.5.2.1: the response must come from where the request went, on the same base.
    const symmetric = addressKey(from.address, from.port) === addressKey(t.pair.remote.address, t.pair.remote.port) && localBaseId === t.pair.localBaseId;
    if (t.kind === 'consent') {
      const s = [...this.selected.values()].find((x) => x.pair === t.pair);
      if (s && symmetric && result.kind === 'success') {
        s.consent.granted(now);
        t.pair.succeededAt = now;
        t.pair.rttMs = result.rttMs;
      }
      return true;
    }
    if (!symmetric || result.kind === 'failure') {
      t.pair.state = 'failed';
    } else if (result.kind === 'error-response') {
      if (result.code === 487) {
        // §7.2.5.1: switch to the role opposite to the one the request claimed, and check again.
        if (this.controllingRole === t.controlling) this.setRole(!t.controlling);
        this.checklist.enqueueTriggered(t.pair);
      } else t.pair.state = 'failed';
    } else {
      this.checkSucceeded(t, result.mapped, result.rttMs, now);
    }
    this.updateState(now);
    return true;
  }

  private formPairs(): void {
    // Learned peer-reflexive local candidates are not paired (RFC 8445 §7.2.5.3.1).
    const locals = this.locals.filter((l) => l.candidate.type !== 'prflx');
    this.checklist.add(formPairs(locals, this.remotes, this.controllingRole));
  }

  private setRole(controlling: boolean): void {
    this.controllingRole = controlling;
    this.checklist.setRole(controlling);
  }

  private send(bytes: Uint8Array, pair: CandidatePair): void {
    const family = addressFamily(pair.remote.address) ?? 'IPv4';
    this.transmits.push({ bytes, fromBaseId: pair.localBaseId, to: { family, address: pair.remote.address, port: pair.remote.port } });
  }

  private request(pair: CandidatePair, creds: Credentials, kind: 'check' | 'consent', now: number): void {
    // §7.1.1: PRIORITY is what a peer-reflexive candidate of ours would get, same local preference.
    const localPreference = (pair.local.priority >>> 8) & 0xffff;
    const priority = candidatePriority('prflx', localPreference, pair.local.component);
    // Aggressive-style nomination: the controlling agent nominates with every check, so the first
    // pair that works (relayed or not) is selected at once and a better one replaces it later.
    const useCandidate = kind === 'check' && this.controllingRole;
    const tx = new BindingTransaction({
      transactionId: this.randomBytes(12),
      rtoMs: Math.max(500, this.ta * this.checklist.activeCount),
      rc: kind === 'check' ? this.rc : 1,
      rm: this.rm,
      attributes: checkRequestAttributes({
        username: `${creds.remoteUfrag ?? ''}:${creds.localUfrag}`,
        priority,
        controlling: this.controllingRole,
        tieBreaker: this.tieBreaker,
        useCandidate,
      }),
      integrity: shortTermKey(creds.remotePwd ?? ''),
      fingerprint: true,
    });
    const step = tx.start(now);
    if (step.kind !== 'transmit') return;
    this.transactions.add({
      tx,
      pair,
      kind,
      controlling: this.controllingRole,
      useCandidate,
      priority,
      sentAt: now,
      nextAt: kind === 'check' ? step.at : undefined,
    });
    this.send(step.packet, pair);
  }

  private startCheck(pair: CandidatePair, now: number): void {
    // §7.3.1.4: a check replacing one in progress cancels its retransmissions; its answer still counts.
    this.transactions.cancelChecks(pair);
    pair.state = 'in-progress';
    this.request(pair, this.creds, 'check', now);
    if (this.state === 'new') this.setState('checking');
  }

  private sendConsent(s: Selected, now: number): void {
    this.request(s.pair, s.creds, 'consent', now);
  }

  private handleRequest(m: StunMessage, from: TransportAddress, localBaseId: string, now: number): void {
    const passwords = new Map([[this.creds.localUfrag, this.creds.localPwd]]);
    if (this.previous) passwords.set(this.previous.localUfrag, this.previous.localPwd);
    const r = readCheckRequest(m, passwords);
    const reply = (bytes: Uint8Array): void => {
      const family = addressFamily(from.address) ?? from.family;
      this.transmits.push({ bytes, fromBaseId: localBaseId, to: { ...from, family } });
    };
    if (!r.ok) {
      if (r.status !== 'drop') reply(errorResponse(m.transactionId, r.status));
      return;
    }
    // The old generation during a restart is only answered, so consent on the old pair holds.
    if (r.check.localUfrag !== this.creds.localUfrag) {
      reply(successResponse(m.transactionId, from, r.pwd));
      return;
    }
    const conflict = resolveRoleConflict(this.controllingRole, this.tieBreaker, r.check.peerRole);
    if (conflict === 'reply-487') {
      reply(errorResponse(m.transactionId, 487, r.pwd));
      return;
    }
    if (conflict === 'switch') this.setRole(!this.controllingRole);
    reply(successResponse(m.transactionId, from, r.pwd));
    this.learnAndTrigger(r.check, from, localBaseId, now);
  }

  /** §7.3.1.3 peer-reflexive remote candidates, §7.3.1.4 triggered checks, §7.3.1.5 nomination. */
  private learnAndTrigger(check: IncomingCheck, from: TransportAddress, localBaseId: string, now: number): void {
    // The base's own candidate (host or relayed), else any candidate gathered on it (srflx only).
    const onBase = this.locals.filter((l) => l.baseId === localBaseId && l.candidate.type !== 'prflx');
    const base = onBase.find((l) => l.candidate.type === 'host' || l.candidate.type === 'relay') ?? onBase[0];
    if (!base) return;
    const component = base.candidate.component;
    const key = addressKey(from.address, from.port);
    let remote = this.remotes.find((c) => c.component === component && addressKey(c.address, c.port) === key);
    if (!remote) {
      remote = peerReflexive(from, component, check.priority);
      this.remotes.push(remote);
    }
    let pair = this.checklist.get(pairKey(base.baseId, base.candidate, remote));
    if (!pair) {
      pair = newPair(base, remote, this.controllingRole);
      this.checklist.add([pair]);
    }
    if (check.useCandidate && !this.controllingRole) {
      if (pair.state === 'succeeded' && pair.validPair) this.nominate(pair.validPair, now);
      else pair.nominateOnSuccess = true;
    }
    if (pair.state !== 'succeeded') this.checklist.enqueueTriggered(pair);
  }

  private checkSucceeded(t: Transaction, mapped: TransportAddress, rttMs: number, now: number): void {
    const pair = t.pair;
    const mappedKey = addressKey(mapped.address, mapped.port);
    let local = this.locals.find((l) => l.baseId === pair.localBaseId && addressKey(l.candidate.address, l.candidate.port) === mappedKey);
    if (!local) {
      // §7.2.5.3.1: a peer-reflexive local candidate, priority as sent in PRIORITY.
      local = { baseId: pair.localBaseId, candidate: peerReflexive(mapped, pair.local.component, t.priority, pair.local) };
      this.locals.push(local);
    }
    pair.state = 'succeeded';
    const valid = this.checklist.addValid(pair, newPair(local, pair.remote, this.controllingRole, 'succeeded'), now);
    // Before any event: the caller shows the path with its round-trip time.
    pair.rttMs = rttMs;
    valid.rttMs = rttMs;
    this.checklist.unfreezeFoundation(pair.foundation);
    const selected = [...this.selected.values()].find((s) => s.pair === valid);
    selected?.consent.granted(now);
    if (!this.announced.has(valid.key)) {
      this.announced.add(valid.key);
      this.events.push({ type: 'pair-succeeded', pair: snapshot(valid) });
    }
    if ((this.controllingRole && t.useCandidate) || (!this.controllingRole && pair.nominateOnSuccess)) this.nominate(valid, now);
  }

  /** Selects the highest-priority nominated valid pair of the component (RFC 8445 §8.1.1). */
  private nominate(valid: CandidatePair, now: number): void {
    valid.nominated = true;
    const component = valid.local.component;
    const current = this.selected.get(component);
    const fresh = current !== undefined && current.creds !== this.creds;
    if (current && !fresh && (current.pair === valid || current.pair.priority >= valid.priority)) return;
    this.selected.set(component, { pair: valid, consent: new ConsentFreshness(now, this.random, this.consentOptions), creds: this.creds });
    this.events.push({ type: 'selected-pair', pair: snapshot(valid) });
    if ([...this.selected.values()].every((s) => s.creds === this.creds)) this.previous = undefined;
  }

  /** RFC 7675 §5.1: another nominated pair takes over only if a check on it succeeded within the consent window. */
  private loseConsent(component: number, s: Selected, now: number): void {
    this.events.push({ type: 'consent-lost', pair: snapshot(s.pair) });
    this.selected.delete(component);
    s.pair.nominated = false;
    s.pair.state = 'failed';
    this.checklist.removeValid(s.pair);
    const next = this.checklist.valid
      .filter((p) => p.nominated && p.local.component === component && p.succeededAt !== undefined && !s.consent.expiredSince(p.succeededAt, now))
      .sort((a, b) => (a.priority > b.priority ? -1 : 1))[0];
    if (next) this.nominate(next, next.succeededAt ?? now);
  }

  private components(): number[] {
    return [...new Set(this.locals.map((l) => l.candidate.component))];
  }

  private setState(state: IceState): void {
    if (this.state === state) return;
    this.state = state;
    this.events.push({ type: 'state', state });
  }

  /**
   * completed: a selected pair per component; connected: a valid pair per component whose last
   * check succeeded within the consent window (RFC 7675); disconnected: no longer either.
   */
  private updateState(now: number): void {
    if (this.state === 'new' || this.state === 'failed') return;
    const comps = this.components();
    const valid = this.checklist.valid.filter((p) => p.succeededAt !== undefined && now - p.succeededAt < this.consentTimeoutMs);
    if (comps.length > 0 && comps.every((c) => this.selected.has(c))) this.setState('completed');
    else if (comps.length > 0 && comps.every((c) => valid.some((p) => p.local.component === c))) this.setState('connected');
    else if (this.state === 'completed' || this.state === 'connected') this.setState('disconnected');
    else if (this.remoteEnded && this.checklist.exhausted && !this.transactions.checksInFlight) this.setState('failed');
  }
}
