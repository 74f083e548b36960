import { describe, it, expect } from 'vitest';
import { addressSuggestions, Dialer, type DialerProps } from './Dialer';
import { html, noop, text } from './render';
import { historyEntry } from '../state/fixtures';

function props(patch: Partial<DialerProps> = {}): DialerProps {
  return {
    address: '',
    registration: { state: 'registered', address: 'sip:alice@example.org' },
    history: [],
    verifiedPeers: [],
    busy: false,
    onAddressChange: noop,
    onCall: noop,
    onPick: noop,
    timeFormat: { locale: 'en-GB', timeZone: 'UTC' },
    ...patch,
  };
}

describe('Dialer', () => {
  it('has a labelled address field, a Call button disabled until an address is typed, and the registration status', () => {
    const out = html(<Dialer {...props()} />);
    expect(out).toContain('<label for="dial-address">Address</label>');
    expect(out).toMatch(/<button type="submit" class="primary call-button" disabled="">Call<\/button>/);
    expect(out).toMatch(/role="status" aria-label="Registration status" data-state="registered">Signed in as alice@example.org</);
    expect(text(<Dialer {...props()} />)).toContain('No calls yet.');
    expect(html(<Dialer {...props({ address: 'sip:bob@x' })} />)).toMatch(/<button type="submit" class="primary call-button">Call<\/button>/);
  });

  it('says how to reach you and that there is no TLS listener', () => {
    const listening = { addresses: ['sip:alice@192.168.1.23:5062'], udp: 5062, tcp: 5062, tls: null, notes: ['no TLS listener (no certificate configured)'] };
    expect(html(<Dialer {...props({ listening })} />)).toMatch(
      /role="status" aria-label="How to reach you">Your address: sip:alice@192.168.1.23:5062. No TLS listener \(no certificate configured\).</,
    );
    expect(html(<Dialer {...props()} />)).not.toContain('How to reach you');
  });

  it('shows a registration failure in words, its status behind Details', () => {
    const el = <Dialer {...props({ registration: { state: 'failed', address: 'sip:alice@example.org', reason: 'REGISTER failed: 401 Unauthorized', retryInSeconds: 4 } })} />;
    expect(html(el)).toMatch(/aria-label="Registration status" data-state="failed">Wrong user name or password. Trying again in 4 s.<\/p><details class="registration-details"><summary>Details<\/summary>The server refused the sign-in \(401 Unauthorized\)/);
    expect(html(<Dialer {...props()} />)).not.toContain('registration-details');
  });

  it('lists recent calls with missed calls marked and verified peers badged', () => {
    const history = [
      historyEntry({ id: 'a', missed: true, remoteName: 'Carol' }),
      historyEntry({ id: 'b', remoteUri: 'sip:dan@x', remoteName: '', direction: 'outgoing', verified: true }),
    ];
    const el = <Dialer {...props({ history, verifiedPeers: ['sip:dan@x'] })} />;
    const out = html(el);
    expect(out).toMatch(/<li data-missed="true"><button[^>]*aria-label="Call Carol again"[^>]*>Carol<\/button><span class="missed">Missed call<\/span>/);
    expect(out).toMatch(/aria-label="Call sip:dan@x again".*Outgoing.*Verified/);
    expect(text(el)).toMatch(/24 Nov 2026, 09:30 ?, 01:15/);
  });

  it("shows a call's time in the user's zone, the exact UTC moment in the tooltip", () => {
    const history = [historyEntry({ id: 'a', startedAt: Date.UTC(2026, 10, 24, 23, 30) })];
    const tokyo = html(<Dialer {...props({ history, timeFormat: { locale: 'en-GB', timeZone: 'Asia/Tokyo' } })} />);
    expect(tokyo).toContain('<time dateTime="2026-11-24T23:30:00.000Z" title="2026-11-24T23:30:00.000Z">25 Nov 2026, 08:30</time>');
    const newYork = html(<Dialer {...props({ history, timeFormat: { locale: 'en-US', timeZone: 'America/New_York' } })} />);
    expect(newYork).toMatch(/title="2026-11-24T23:30:00.000Z">Nov 24, 2026, 6:30\sPM<\/time>/);
  });

  it('suggests each address from history once, newest first', () => {
    const h = [historyEntry({ remoteUri: 'sip:a@x' }), historyEntry({ remoteUri: 'sip:b@x' }), historyEntry({ remoteUri: 'sip:a@x' })];
    expect(addressSuggestions(h)).toEqual(['sip:a@x', 'sip:b@x']);
    expect(html(<Dialer {...props({ history: h })} />)).toContain('<datalist id="dial-history"><option value="sip:a@x"></option><option value="sip:b@x"></option></datalist>');
  });
});
