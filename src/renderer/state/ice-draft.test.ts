// The ICE part of the Settings form: draft from AppCore's settings, checks as AppCore makes them,
// the patch, and a stored TURN password kept only while its server and user stay the same.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PublicSettings } from '../../shared/api';
import { publicSettings } from './fixtures';
import { iceDraftOf, iceErrorsOf, iceHasErrors, icePatch, isServerAddress, validateIce, type IceDraft } from './ice-draft';

function settingsWithTurn(): PublicSettings {
  const s = publicSettings();
  return { ...s, ice: { enabled: true, stunServers: ['stun.example.org', '[2001:db8::1]:3479'], turnServers: [{ server: 'turn.example.org:3478', username: 'alice', hasPassword: true }] } };
}

describe('ICE settings draft', () => {
  it('is made from the settings with the TURN password field empty (a stored one is kept)', () => {
    const d = iceDraftOf(settingsWithTurn());
    expect(d).toEqual({
      enabled: true,
      stunServers: 'stun.example.org, [2001:db8::1]:3479',
      turnServers: [{ server: 'turn.example.org:3478', username: 'alice', password: '', stored: { server: 'turn.example.org:3478', username: 'alice', hasPassword: true } }],
    });
    expect(validateIce(d)).toEqual({});
    expect(icePatch(d)).toEqual({ enabled: true, stunServers: ['stun.example.org', '[2001:db8::1]:3479'], turnServers: [{ server: 'turn.example.org:3478', username: 'alice' }] });
  });

  it('a typed password goes in the patch; a new row or a changed server or user needs one', () => {
    const d = iceDraftOf(settingsWithTurn());
    const typed: IceDraft = { ...d, turnServers: [{ ...d.turnServers[0], password: 'new' }] };
    expect(icePatch(typed)?.turnServers).toEqual([{ server: 'turn.example.org:3478', username: 'alice', password: 'new' }]);
    const moved: IceDraft = { ...d, turnServers: [{ ...d.turnServers[0], server: 'relay.example.org' }, { server: '127.0.0.1', username: 'bob', password: '' }] };
    expect(validateIce(moved).turnServers).toEqual({
      0: { password: 'The server or user changed: enter the password again.' },
      1: { password: 'Enter the password.' },
    });
  });

  it('names each wrong field', () => {
    const d: IceDraft = {
      enabled: true,
      stunServers: 'stun.example.org, stun:bad',
      turnServers: [{ server: '2001:db8::1', username: '', password: 'p' }],
    };
    const e = validateIce(d);
    expect(e.stunServers).toBe('"stun:bad" is not a server address: write stun.example.org, stun.example.org:3478 or [2001:db8::1]:3478.');
    expect(e.turnServers?.[0]).toEqual({ server: expect.stringMatching(/^This is not a server address/), username: 'Enter the user name the TURN server gave you.' });
    expect(iceHasErrors(e)).toBe(true);
    expect(validateIce({ ...d, stunServers: Array.from({ length: 9 }, (_, i) => `s${i}.example.org`).join(',') }).stunServers).toBe('List at most 8 STUN servers.');
  });

  it('off: nothing to check, and the stored servers stay for the day it is turned on again', () => {
    const d: IceDraft = { enabled: false, stunServers: 'stun:bad', turnServers: [{ server: '', username: '', password: '' }] };
    expect(validateIce(d)).toEqual({});
    expect(icePatch(d)).toEqual({ enabled: false });
  });

  it("AppCore's field names land on the right field", () => {
    expect(iceErrorsOf('ice.stunServers.1', 'm')).toEqual({ stunServers: 'm' });
    expect(iceErrorsOf('ice.turnServers.2.username', 'm')).toEqual({ turnServers: { 2: { username: 'm' } } });
    expect(iceErrorsOf('ice.turnServers.0', 'm')).toEqual({ turnServers: { 0: { server: 'm' } } });
    expect(iceErrorsOf('ice.enabled', 'm')).toBeNull();
    expect(iceErrorsOf('sipPort', 'm')).toBeNull();
  });

  it('takes the server addresses AppCore takes (host[:port], IPv6 in brackets), never throwing', () => {
    for (const ok of ['stun.example.org', 'stun.example.org:3478', '192.0.2.1:19302', '[::1]', '[2001:db8::1]:3479']) expect(isServerAddress(ok)).toBe(true);
    for (const bad of ['', '::1', 'turn:host', 'host:0', 'host:65536', '[example.org]', 'a b', '.host']) expect(isServerAddress(bad)).toBe(false);
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => typeof isServerAddress(s) === 'boolean'));
    fc.assert(fc.property(fc.ipV6(), fc.integer({ min: 1, max: 65535 }), (ip, port) => isServerAddress(`[${ip}]:${port}`)));
  });
});
