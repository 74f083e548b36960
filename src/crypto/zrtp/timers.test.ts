import { describe, it, expect } from 'vitest';
import { RetransmitTimer, T1, T2 } from './timers';

function schedule(spec: typeof T1): { resends: number[]; expiredAt: number } {
  const t = new RetransmitTimer(spec);
  t.start(0);
  const resends: number[] = [];
  for (;;) {
    const at = t.deadline as number;
    const r = t.poll(at);
    if (r === 'expired') return { resends, expiredAt: at };
    resends.push(at);
  }
}

describe('retransmission timers (RFC 6189 §6)', () => {
  it('T1: 50 ms doubling to a 200 ms cap, 20 retransmissions', () => {
    const { resends, expiredAt } = schedule(T1);
    expect(resends).toHaveLength(20);
    expect(resends.slice(0, 4)).toEqual([50, 150, 350, 550]);
    expect(expiredAt).toBe(resends[19] + 200);
  });

  it('T2: 150 ms doubling to a 1200 ms cap, 10 retransmissions', () => {
    const { resends, expiredAt } = schedule(T2);
    expect(resends).toHaveLength(10);
    expect(resends.slice(0, 5)).toEqual([150, 450, 1050, 2250, 3450]);
    expect(expiredAt).toBe(resends[9] + 1200);
  });

  it('does nothing before its deadline or after stop', () => {
    const t = new RetransmitTimer(T2);
    t.start(1000);
    expect(t.poll(1149)).toBeUndefined();
    t.stop();
    expect(t.poll(99_999)).toBeUndefined();
  });
});
