import { describe, expect, it } from 'vitest';
import { contactFor, groupHistory, missedSince } from './history-groups';
import { historyEntry } from './fixtures';

const bob = { id: 'c1', name: 'Bob', address: 'sip:bob@127.0.0.1', notes: '', createdAt: 1, updatedAt: 1, security: { level: 'verified' as const } };
const day1 = new Date(2026, 10, 24, 9, 30).getTime();
const day2 = new Date(2026, 10, 25, 18, 0).getTime();

describe('history groups', () => {
  it('groups by day, newest first, then by contact, counting missed calls', () => {
    const h = [
      historyEntry({ id: 'a', startedAt: day1, remoteUri: 'sip:bob@127.0.0.1', remoteName: 'bobby', missed: true }),
      historyEntry({ id: 'b', startedAt: day1 + 60_000, remoteUri: '<sip:BOB@127.0.0.1;transport=tcp>' }),
      historyEntry({ id: 'c', startedAt: day1 + 120_000, remoteUri: 'sip:carol@127.0.0.1', remoteName: 'Carol', missed: true }),
      historyEntry({ id: 'd', startedAt: day2, remoteUri: 'sip:bob@127.0.0.1', missed: true }),
    ];
    const days = groupHistory(h, [bob]);
    expect(days.map((d) => d.day)).toEqual(['2026-11-25', '2026-11-24']);
    expect(days[1].groups.map((g) => [g.name, g.calls.map((c) => c.id), g.missed])).toEqual([
      ['Carol', ['c'], 1],
      ['Bob', ['b', 'a'], 1],
    ]);
    expect(days[1].groups[1].contact).toBe(bob);
    expect(days[0].groups[0]).toMatchObject({ name: 'Bob', missed: 1 });
  });
  it("puts a call on the day it was in the user's zone", () => {
    const late = historyEntry({ startedAt: Date.UTC(2026, 10, 24, 23, 30) });
    expect(groupHistory([late], [], { timeZone: 'Asia/Tokyo' })[0].day).toBe('2026-11-25');
    expect(groupHistory([late], [], { timeZone: 'America/New_York' })[0].day).toBe('2026-11-24');
  });
  it('names a stranger by the name they gave, else the address', () => {
    expect(groupHistory([historyEntry({ remoteName: '', remoteUri: 'sip:x@127.0.0.1' })], [])[0].groups[0].name).toBe('sip:x@127.0.0.1');
  });
  it('counts missed calls newer than the last look', () => {
    const h = [historyEntry({ missed: true, startedAt: 10 }), historyEntry({ missed: true, startedAt: 20 }), historyEntry({ missed: false, startedAt: 30 })];
    expect(missedSince(h, 0)).toBe(2);
    expect(missedSince(h, 15)).toBe(1);
    expect(contactFor('sip:nobody@127.0.0.1', [bob])).toBeUndefined();
  });
});
