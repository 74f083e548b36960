import { describe, it, expect } from 'vitest';
import { AppNav } from './AppNav';
import { AboutPage } from './AboutPage';
import { html, noop, text } from './render';

describe('AppNav', () => {
  it('marks the current place and counts missed calls on History', () => {
    const el = <AppNav view="contacts" missed={2} onNavigate={noop} />;
    expect(text(el)).toBe('Calls Contacts History 2 missed calls Settings About');
    expect(html(el)).toContain('aria-current="page">Contacts');
    // The spoken name holds the visible text (WCAG 2.5.3): "History 2 missed calls".
    expect(html(el)).toMatch(/>History <span class="badge missed-count">2<\/span><span class="visually-hidden"> missed calls<\/span><\/button>/);
    expect(html(<AppNav view="call" missed={0} onNavigate={noop} />)).not.toContain('missed');
    expect(text(<AppNav view="call" missed={0} setupOnly onNavigate={noop} />)).toBe('About');
  });
});

describe('AboutPage', () => {
  it('keeps the developer facts: shell, worker round trip, data dir, ZID', () => {
    const t = text(<AboutPage version="0.1.0" shell="browser" workerRoundTripMs={12.345} dataDir="/tmp/v" zid={'ab'.repeat(12)} />);
    expect(t).toContain('Shell browser Media worker round trip 12.35 ms Data directory /tmp/v');
  });
});
