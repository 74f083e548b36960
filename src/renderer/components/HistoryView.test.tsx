import { describe, it, expect } from 'vitest';
import { HistoryView } from './HistoryView';
import { html, noop, text } from './render';
import { historyEntry } from '../state/fixtures';

describe('HistoryView', () => {
  const day = Date.UTC(2026, 10, 24, 8, 30);
  const berlin = { locale: 'en-GB', timeZone: 'Europe/Berlin' };
  const history = [
    historyEntry({ id: 'a', startedAt: day, missed: true, remoteUri: 'sip:carol@127.0.0.1', remoteName: 'Carol' }),
    historyEntry({ id: 'b', startedAt: day + 60_000, direction: 'outgoing', remoteUri: 'sip:bob@127.0.0.1', remoteName: '' }),
  ];
  const bob = { id: 'c1', name: 'Bob', address: 'sip:bob@127.0.0.1', notes: '', createdAt: 1, updatedAt: 1, security: { level: 'not-verified' as const } };

  it('groups by day and contact, marks missed calls, calls back and adds strangers to contacts', () => {
    const el = <HistoryView history={history} contacts={[bob]} onCall={noop} onAddContact={noop} onShowContact={noop} timeFormat={berlin} />;
    const t = text(el);
    expect(t).toMatch(/24 Nov 2026 Bob Not verified Outgoing, 09:31 ?, 01:15 Call again Carol 1 missed, 09:30 Call back Add to contacts/);
    // The spoken name starts with the visible text (WCAG 2.5.3 Label in Name).
    expect(html(el)).toContain('aria-label="Add to contacts: Carol"');
    expect(html(el)).not.toContain('aria-label="Add to contacts: Bob"');
  });

  it('says how an outgoing call that never connected went, without a talk time', () => {
    const failed = historyEntry({ direction: 'outgoing', durationSeconds: 0, endReason: 'timeout', startedAt: day, remoteName: 'Dan' });
    expect(text(<HistoryView history={[failed]} contacts={[]} onCall={noop} onAddContact={noop} onShowContact={noop} timeFormat={berlin} />)).toContain('Dan Not answered, 09:30 Call again');
    const busy = { ...failed, endReason: 'busy' as const };
    expect(text(<HistoryView history={[busy]} contacts={[]} onCall={noop} onAddContact={noop} onShowContact={noop} timeFormat={berlin} />)).toContain('Dan Busy, 09:30 Call again');
  });

  it("groups by the day in the user's zone and shows the time there, the exact UTC moment in the tooltip", () => {
    const late = historyEntry({ id: 'late', startedAt: Date.UTC(2026, 10, 24, 23, 30), remoteName: 'Dan', missed: true });
    const tokyo = html(<HistoryView history={[late]} contacts={[]} onCall={noop} onAddContact={noop} onShowContact={noop} timeFormat={{ locale: 'en-GB', timeZone: 'Asia/Tokyo' }} />);
    expect(tokyo).toContain('<time dateTime="2026-11-25">25 Nov 2026</time>');
    expect(tokyo).toContain('<time dateTime="2026-11-24T23:30:00.000Z" title="2026-11-24T23:30:00.000Z">08:30</time>');
    const newYork = text(<HistoryView history={[late]} contacts={[]} onCall={noop} onAddContact={noop} onShowContact={noop} timeFormat={{ locale: 'en-US', timeZone: 'America/New_York' }} />);
    expect(newYork).toMatch(/^History Nov 24, 2026 Dan 1 missed, 6:30\sPM Call back/);
  });

  it('says when there are no calls', () => {
    expect(text(<HistoryView history={[]} contacts={[]} onCall={noop} onAddContact={noop} onShowContact={noop} timeFormat={berlin} />)).toBe('History No calls yet.');
  });
});
