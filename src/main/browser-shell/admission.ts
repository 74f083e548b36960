// Who may drive AppCore from a browser window. The first window with valid credentials is let
// in at once; while one is connected, another is held (its WebSocket handshake unanswered) and
// the connected windows are asked "Another window wants to control Vouch — Allow / Deny". When
// the last connected window goes, the oldest waiting one is let in: a reload or a reconnect after
// the first window closed needs nobody's permission.

import type { ShellServerMessage } from '../../shared/shell-protocol';

export const ADMISSION_TIMEOUT_MS = 60_000;
const MAX_WAITING = 4;

export interface Arrival {
  /** Completes the handshake; the connection then calls `join`. */
  admit(): void;
  /** Refuses the handshake (403). */
  refuse(): void;
}

export interface AdmissionCounts {
  asked: number;
  allowed: number;
  denied: number;
  timedOut: number;
}

export class ClientAdmission<Member> {
  private readonly members = new Set<Member>();
  private readonly waiting = new Map<number, { arrival: Arrival; timer: ReturnType<typeof setTimeout> }>();
  private nextId = 1;
  readonly counts: AdmissionCounts = { asked: 0, allowed: 0, denied: 0, timedOut: 0 };

  constructor(
    private readonly send: (to: Member, message: ShellServerMessage) => void,
    private readonly timeoutMs = ADMISSION_TIMEOUT_MS,
  ) {}

  /** A window with valid credentials asks to connect; returns its request id (0 when admitted at once or refused). */
  arrive(arrival: Arrival): number {
    if (this.members.size === 0 && this.waiting.size === 0) {
      arrival.admit();
      return 0;
    }
    if (this.waiting.size >= MAX_WAITING) {
      this.counts.denied++;
      arrival.refuse();
      return 0;
    }
    const requestId = this.nextId++;
    const timer = setTimeout(() => {
      if (!this.waiting.delete(requestId)) return;
      this.counts.timedOut++;
      arrival.refuse();
      this.broadcast({ kind: 'shell', type: 'admission-settled', requestId });
    }, this.timeoutMs);
    timer.unref();
    this.waiting.set(requestId, { arrival, timer });
    this.counts.asked++;
    this.broadcast({ kind: 'shell', type: 'admission-request', requestId });
    // Nobody left to ask (the last window closed while its handshake was under way).
    if (this.members.size === 0) this.admitOldest();
    return requestId;
  }

  /** The waiting window gave up (its socket closed) before an answer. */
  withdraw(requestId: number): void {
    const w = this.waiting.get(requestId);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiting.delete(requestId);
    this.broadcast({ kind: 'shell', type: 'admission-settled', requestId });
  }

  /** A connected window's user answered. Answers from anyone else are ignored by the caller. */
  answer(requestId: number, allow: boolean): void {
    const w = this.waiting.get(requestId);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiting.delete(requestId);
    this.broadcast({ kind: 'shell', type: 'admission-settled', requestId });
    if (allow) {
      this.counts.allowed++;
      w.arrival.admit();
    } else {
      this.counts.denied++;
      w.arrival.refuse();
    }
  }

  join(member: Member): void {
    this.members.add(member);
    for (const requestId of this.waiting.keys()) this.send(member, { kind: 'shell', type: 'admission-request', requestId });
  }

  leave(member: Member): void {
    if (!this.members.delete(member)) return;
    if (this.members.size === 0) this.admitOldest();
  }

  isMember(member: Member): boolean {
    return this.members.has(member);
  }

  get memberCount(): number {
    return this.members.size;
  }

  close(): void {
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      this.waiting.delete(id);
      w.arrival.refuse();
    }
  }

  /** Lets the oldest waiting window in; the next one too if that handshake failed (admit is synchronous). */
  private admitOldest(): void {
    while (this.members.size === 0) {
      const first = this.waiting.entries().next();
      if (first.done) return;
      const [requestId, w] = first.value;
      clearTimeout(w.timer);
      this.waiting.delete(requestId);
      this.counts.allowed++;
      w.arrival.admit();
    }
  }

  private broadcast(message: ShellServerMessage): void {
    for (const m of this.members) this.send(m, message);
  }
}
