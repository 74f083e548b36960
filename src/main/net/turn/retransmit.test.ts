// The STUN request schedule (RFC 8489 §6.2.1, §6.2.2) the TURN client's transactions follow.
import { describe, expect, it } from 'vitest';
import { RetransmitSchedule } from './retransmit';

function run(s: RetransmitSchedule): { sends: number[]; gaveUpAt: number } {
  const sends: number[] = [];
  let now = 0;
  for (let i = 0; i < 50; i++) {
    const step = s.step(now);
    if (step === 'give-up') return { sends, gaveUpAt: now };
    if (step === 'send') sends.push(now);
    now = s.nextAt;
  }
  throw new Error('schedule never ended');
}

describe('STUN retransmission schedule', () => {
  it('UDP: RTO 500 ms doubling, Rc = 7 sends, then Rm × RTO (39.5 s in all)', () => {
    expect(run(new RetransmitSchedule('udp', {}, 0))).toEqual({ sends: [0, 500, 1500, 3500, 7500, 15500, 31500], gaveUpAt: 39_500 });
  });

  it('TCP: one send, give up after Ti', () => {
    expect(run(new RetransmitSchedule('tcp', { tcpTimeoutMs: 1000 }, 0))).toEqual({ sends: [0], gaveUpAt: 1000 });
  });

  it('waits before its time', () => {
    const s = new RetransmitSchedule('udp', { rtoMs: 100 }, 0);
    expect(s.step(0)).toBe('send');
    expect(s.step(99)).toBe('wait');
    expect(s.step(100)).toBe('send');
  });
});
