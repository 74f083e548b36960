// Calls through routers in Settings: ICE on or off, STUN servers, TURN servers with a user name
// and a password that is never shown; each error beside its field.
import { describe, expect, it } from 'vitest';
import { IceFields } from './IceFields';
import { Settings } from './Settings';
import { settingsProps } from './test-support';
import { html, noop, text } from './render';
import { publicSettings } from '../state/fixtures';
import { iceDraftOf, validateIce, type IceDraft } from '../state/ice-draft';
import { settingsDraftOf } from '../state/settings-draft';

const withTurn = (): IceDraft =>
  iceDraftOf({ ...publicSettings(), ice: { enabled: true, stunServers: ['stun.example.org'], turnServers: [{ server: 'turn.example.org:3478', username: 'alice', hasPassword: true }] } });

describe('calls through routers (ICE settings)', () => {
  it('shows ICE on, the STUN servers and each TURN server labelled, the stored password as a placeholder only', () => {
    const out = html(<IceFields draft={withTurn()} errors={{}} onChange={noop} />);
    expect(out).toContain('<legend>Calls through routers</legend>');
    expect(out).toMatch(/<input type="checkbox" name="iceEnabled" checked=""/);
    expect(out).toContain('<label for="ice-stunServers">STUN servers</label>');
    expect(out).toMatch(/id="ice-stunServers"[^>]*value="stun.example.org"/);
    expect(out).toContain('<legend>TURN server 1</legend>');
    expect(out).toMatch(/id="ice-turn-0-server"[^>]*value="turn.example.org:3478"/);
    expect(out).toMatch(/id="ice-turn-0-username"[^>]*value="alice"/);
    expect(out).toMatch(/<input id="ice-turn-0-password" type="password" placeholder="saved \(leave empty to keep it\)"[^>]*name="turnServers.0.password" value=""\/>/);
    expect(text(<IceFields draft={withTurn()} errors={{}} onChange={noop} />)).toContain('Remove TURN server 1 Add a TURN server');
  });

  it('a new row has no saved password; at 8 TURN servers no more can be added', () => {
    const d = withTurn();
    const fresh = { ...d, turnServers: [...d.turnServers, { server: '', username: '', password: '' }] };
    expect(html(<IceFields draft={fresh} errors={{}} onChange={noop} />)).toMatch(/<input id="ice-turn-1-password" type="password" spellCheck="false"[^>]*name="turnServers.1.password" value=""\/>/);
    const full = { ...d, turnServers: Array.from({ length: 8 }, () => d.turnServers[0]) };
    expect(html(<IceFields draft={full} errors={{}} onChange={noop} />)).toContain('<button type="button" disabled="">Add a TURN server</button>');
  });

  it('off: the servers are not shown', () => {
    const out = text(<IceFields draft={{ ...withTurn(), enabled: false }} errors={{}} onChange={noop} />);
    expect(out).toContain('Find a path through home routers (ICE)');
    expect(out).not.toContain('STUN servers');
    expect(out).not.toContain('TURN server 1');
  });

  it('shows each error beside its own field', () => {
    const d: IceDraft = { ...withTurn(), stunServers: 'stun:bad', turnServers: [{ server: 'turn.example.org', username: '', password: '' }] };
    const out = html(<IceFields draft={d} errors={validateIce(d)} onChange={noop} />);
    expect(out).toMatch(/id="ice-stunServers"[^>]*aria-invalid="true" aria-describedby="ice-stunServers-hint ice-stunServers-error"/);
    expect(out).toContain('<p class="field-error" id="ice-stunServers-error" data-field="stunServers">&quot;stun:bad&quot; is not a server address');
    expect(out).toContain('<p class="field-error" id="ice-turn-0-username-error" data-field="turnServers.0.username">Enter the user name the TURN server gave you.</p>');
    expect(out).toContain('<p class="field-error" id="ice-turn-0-password-error" data-field="turnServers.0.password">Enter the password.</p>');
    expect(out).not.toContain('ice-turn-0-server-error');
  });

  it('is part of the Settings page', () => {
    const draft = { ...settingsDraftOf(publicSettings()), ice: withTurn() };
    expect(html(<Settings {...settingsProps({ draft })} />)).toContain('<legend>Calls through routers</legend>');
  });
});
