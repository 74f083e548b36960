// Notices a network change (an interface address appears or disappears: Wi-Fi to cable, a VPN,
// a new DHCP lease) by polling the interface list, so the registration can be renewed from the
// new address at once instead of when it next expires.
import { networkInterfaces } from 'node:os';
import type { Scheduler, TimerHandle } from './timers';

export interface NetworkPoll {
  /** Default 5000 ms. */
  intervalMs?: number;
  /** What the addresses are now, as a comparable string; default from os.networkInterfaces(). */
  read?: () => string;
}

/** Every non-internal address, sorted: the same text while nothing changed. */
export function interfaceSnapshot(): string {
  const out: string[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    for (const a of addrs ?? []) if (!a.internal) out.push(`${name}|${a.address}`);
  }
  return out.sort().join(',');
}

export class NetworkWatch {
  private timer: TimerHandle | undefined;
  private last: string;
  private readonly read: () => string;
  private readonly intervalMs: number;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly onChange: () => void,
    poll: NetworkPoll = {},
  ) {
    this.read = poll.read ?? interfaceSnapshot;
    this.intervalMs = Math.max(100, poll.intervalMs ?? 5000);
    this.last = this.safeRead();
    this.schedule();
  }

  private safeRead(): string {
    try {
      return this.read();
    } catch {
      return this.last; // an unreadable interface list is no change
    }
  }

  private schedule(): void {
    this.timer = this.scheduler.set(this.intervalMs, () => {
      const now = this.safeRead();
      if (now !== this.last) {
        this.last = now;
        this.onChange();
      }
      if (this.timer !== undefined) this.schedule();
    });
  }

  stop(): void {
    if (this.timer !== undefined) this.scheduler.clear(this.timer);
    this.timer = undefined;
  }
}
