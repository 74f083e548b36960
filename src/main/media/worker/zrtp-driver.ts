// Drives one stream's ZrtpEngine in the worker: feeds it packets and timer ticks, sends what it
// returns, and hands its events on. The engine is a pure state machine (src/crypto/zrtp); the
// clock, the timer and the socket are here.

import type { ZrtpEngine, ZrtpEvent, ZrtpOutput } from '../../../crypto/zrtp';

export interface ZrtpDriverHooks {
  send(packet: Uint8Array): void;
  event(e: ZrtpEvent): void;
  now(): number;
}

export class ZrtpDriver {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private disposed = false;

  constructor(
    readonly engine: ZrtpEngine,
    private readonly hooks: ZrtpDriverHooks,
  ) {}

  /** Sends our Hello (once the peer's address is known) and starts T1. */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.apply(this.engine.start(this.hooks.now()));
  }

  get isStarted(): boolean {
    return this.started;
  }

  input(packet: Uint8Array): void {
    if (this.disposed) return;
    this.apply(this.engine.input(packet, this.hooks.now()));
  }

  setPeerHelloHash(value: string): void {
    if (this.disposed) return;
    this.apply(this.engine.setPeerHelloHash(value));
  }

  private apply(out: ZrtpOutput): void {
    for (const p of out.packets) this.hooks.send(p);
    for (const e of out.events) this.hooks.event(e);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (out.nextDeadline !== undefined && !this.disposed) {
      const delay = Math.max(0, out.nextDeadline - this.hooks.now());
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.disposed) this.apply(this.engine.tick(this.hooks.now()));
      }, delay);
    }
  }

  /** Stops the timer and wipes the engine's secrets (the stream closed or moved to other keys). */
  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.engine.dispose();
  }
}
