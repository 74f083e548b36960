// ClientAdmission on its own: who gets in at once, who waits, and how a wait ends.
import { describe, it, expect } from 'vitest';
import { ClientAdmission } from './admission';
import type { ShellServerMessage } from '../../shared/shell-protocol';

function setup(timeoutMs = 60_000) {
  const sent: [string, ShellServerMessage][] = [];
  const admission = new ClientAdmission<string>((to, m) => sent.push([to, m]), timeoutMs);
  const arrival = (name: string, log: string[]) => ({ admit: () => (log.push(`${name} in`), admission.join(name)), refuse: () => log.push(`${name} refused`) });
  return { admission, sent, arrival };
}

describe('ClientAdmission', () => {
  it('lets the first window in, asks it about the second, and refuses a wait that nobody answers in time', async () => {
    const { admission, sent, arrival } = setup(50);
    const log: string[] = [];
    expect(admission.arrive(arrival('a', log))).toBe(0);
    const id = admission.arrive(arrival('b', log));
    expect(id).toBeGreaterThan(0);
    expect(sent).toEqual([['a', { kind: 'shell', type: 'admission-request', requestId: id }]]);
    // Nobody answers: the 50 ms wait runs out on its own.
    for (const end = Date.now() + 5000; !log.includes('b refused') && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['a in', 'b refused']);
    expect(admission.counts.timedOut).toBe(1);
    expect(sent[1]).toEqual(['a', { kind: 'shell', type: 'admission-settled', requestId: id }]);
  });

  it('a withdrawn request is settled and never admitted; at most four windows wait', () => {
    const { admission, sent, arrival } = setup();
    const log: string[] = [];
    admission.arrive(arrival('a', log));
    const id = admission.arrive(arrival('b', log));
    admission.withdraw(id);
    expect(sent.at(-1)).toEqual(['a', { kind: 'shell', type: 'admission-settled', requestId: id }]);
    for (const n of ['c', 'd', 'e', 'f']) admission.arrive(arrival(n, log));
    expect(admission.arrive(arrival('g', log))).toBe(0);
    expect(log).toEqual(['a in', 'g refused']);
    admission.leave('a');
    // The oldest waiting window is let in; the others are now asked of it.
    expect(log).toEqual(['a in', 'g refused', 'c in']);
    expect(sent.filter(([to, m]) => to === 'c' && m.type === 'admission-request')).toHaveLength(3);
    admission.close();
    expect(log.slice(3)).toEqual(['d refused', 'e refused', 'f refused']);
  });
});
