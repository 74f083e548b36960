import { describe, it, expect } from 'vitest';
import type { AppStateSnapshot } from '../../shared/api';
import { applySnapshot, initialVouchState, isFirstRun, reduceEvent } from './vouch-state';
import { callInfo, callStats, historyEntry, publicSettings, securityInfo, streamStats } from './fixtures';

function snapshot(patch: Partial<AppStateSnapshot> = {}): AppStateSnapshot {
  return {
    version: '0.1.0',
    apiVersion: 1,
    dataDir: '/tmp/x',
    settings: publicSettings(),
    registration: { state: 'unregistered', address: '' },
    calls: [],
    security: [],
    needsSetup: false,
    zid: '0123456789abcdef01234567',
    ...patch,
  };
}

describe('VouchState reducer', () => {
  it('a fresh data dir (nothing entered) is a first run; a configured one is not', () => {
    const fresh = publicSettings();
    fresh.account = { ...fresh.account, displayName: '', address: '' };
    expect(isFirstRun(snapshot({ settings: fresh }))).toBe(true);
    expect(isFirstRun(snapshot())).toBe(false);
    expect(isFirstRun(snapshot({ needsSetup: true }))).toBe(true);
  });

  it('loads calls and security from the snapshot', () => {
    const s = applySnapshot(initialVouchState, snapshot({ calls: [callInfo()], security: [securityInfo()] }));
    expect(s.snapshotLoaded).toBe(true);
    expect(s.calls.activeCallId).toBe(1);
    expect(s.security[1].sas).toBe('k7xq');
  });

  it('reduces registration, settings, error and dtmf events', () => {
    let s = reduceEvent(initialVouchState, { type: 'registration', registration: { state: 'failed', address: 'sip:a@b', sipStatus: 403, reason: 'Forbidden' } });
    expect(s.registration.sipStatus).toBe(403);
    const settings = publicSettings();
    s = reduceEvent(s, { type: 'settings', settings });
    expect(s.settings).toBe(settings);
    s = reduceEvent(s, { type: 'error', scope: 'media', message: 'camera denied' });
    expect(s.errors.errors.map((e) => e.message)).toEqual(['camera denied']);
    s = reduceEvent(s, { type: 'dtmf', callId: 1, digit: '5' });
    expect(s.receivedDtmf[1]).toBe('5');
    const listening = { addresses: ['sip:a@[2001:db8::5]:5060'], udp: 5060, tcp: 5060, tls: null, notes: [] };
    s = reduceEvent(s, { type: 'listening', listening });
    expect(s.listening).toBe(listening);
    expect(reduceEvent(s, { type: 'peerWantsKeyframe', callId: 1 })).toBe(s);
  });

  it("a call's audio path and its RTT follow the path events; video's and unknown calls' change nothing; an ICE error is shown", () => {
    let s = reduceEvent(initialVouchState, { type: 'callState', call: callInfo() });
    s = reduceEvent(s, { type: 'path', callId: 1, stream: 'audio', kind: 'srflx', local: 'srflx 127.0.0.1:40000', remote: 'host 127.0.0.1:40002' });
    expect(s.calls.calls[1].path).toEqual({ kind: 'srflx' });
    s = reduceEvent(s, { type: 'path', callId: 1, stream: 'audio', kind: 'relay', rttMs: 31, local: 'relay 127.0.0.1:49152', remote: 'host 127.0.0.1:40002' });
    expect(s.calls.calls[1].path).toEqual({ kind: 'relay', rttMs: 31 });
    expect(reduceEvent(s, { type: 'path', callId: 1, stream: 'video', kind: 'host', local: 'a', remote: 'b' })).toBe(s);
    expect(reduceEvent(s, { type: 'path', callId: 9, stream: 'audio', kind: 'host', local: 'a', remote: 'b' })).toBe(s);
    s = reduceEvent(s, { type: 'error', scope: 'ice', callId: 1, reason: 'turn-auth', message: 'The TURN server refused the user name or password.' });
    expect(s.errors.errors).toMatchObject([{ scope: 'ice', message: 'The TURN server refused the user name or password.' }]);
  });

  it('an ended call drops its security, stats and dtmf', () => {
    let s = reduceEvent(initialVouchState, { type: 'callState', call: callInfo() });
    s = reduceEvent(s, { type: 'security', security: securityInfo() });
    s = reduceEvent(s, { type: 'stats', stats: callStats(1) });
    s = reduceEvent(s, { type: 'dtmf', callId: 1, digit: '#' });
    s = reduceEvent(s, { type: 'callState', call: callInfo({ state: 'ended', endReason: 'sas-mismatch' }) });
    expect(s.security).toEqual({});
    expect(s.stats).toEqual({});
    expect(s.receivedDtmf).toEqual({});
    expect(s.calls.lastEnded?.endReason).toBe('sas-mismatch');
  });

  it('after hang-up the last statistics are the call\'s: a post-hangup tick is no spike (issue 21)', () => {
    const call = (a: number, b: number) => callStats(0, [streamStats({ sendBitrate: a, recvBitrate: b })]);
    let s = reduceEvent(initialVouchState, { type: 'callState', call: callInfo() });
    s = reduceEvent(s, { type: 'stats', stats: { ...call(73_000, 69_000), at: 1000 } });
    s = reduceEvent(s, { type: 'stats', stats: { ...call(73_000, 69_000), at: 2000 } });
    // The worker's last tick, stamped after the end, over a partial interval.
    s = reduceEvent(s, { type: 'stats', stats: { ...call(0, 160_000), at: 2600 } });
    s = reduceEvent(s, { type: 'callState', call: callInfo({ state: 'ended', endedAt: 2500, endReason: 'local-hangup' }) });
    expect(s.lastEndedStats.map((x) => [x.at, x.streams[0].sendBitrate, x.streams[0].recvBitrate])).toEqual([
      [1000, 73_000, 69_000],
      [2000, 73_000, 69_000],
    ]);
    // A sample arriving after the callState 'ended' does not bring the call back.
    const after = reduceEvent(s, { type: 'stats', stats: { ...call(0, 160_000), at: 3000 } });
    expect(after).toBe(s);
    expect(after.stats).toEqual({});
  });

  it('remembers a verified peer, and a new identity withdraws it', () => {
    let s = reduceEvent(initialVouchState, { type: 'callState', call: callInfo() });
    s = reduceEvent(s, { type: 'security', security: securityInfo({ state: 'secure', verified: true }) });
    expect(s.verifiedPeers).toEqual(['sip:bob@127.0.0.1']);
    s = reduceEvent(s, {
      type: 'security',
      security: securityInfo({ verified: false, warnings: [{ kind: 'new-identity', message: 'new', previousZid: 'a', zid: 'b' }] }),
    });
    expect(s.verifiedPeers).toEqual([]);
  });

  it('history marks verified peers', () => {
    const s = reduceEvent(initialVouchState, { type: 'history', history: [historyEntry({ verified: true }), historyEntry({ id: 'h2', remoteUri: 'sip:x@y' })] });
    expect(s.history).toHaveLength(2);
    expect(s.verifiedPeers).toEqual(['sip:carol@127.0.0.1']);
  });

  it('the contacts event replaces the address book', () => {
    const bob = { id: 'c1', name: 'Bob', address: 'sip:bob@127.0.0.1', notes: '', createdAt: 1, updatedAt: 1, security: { level: 'key-changed' as const, changedAt: 5 } };
    const s = reduceEvent(initialVouchState, { type: 'contacts', contacts: [bob] });
    expect(s.contacts).toEqual([bob]);
    expect(reduceEvent(s, { type: 'contacts', contacts: [] }).contacts).toEqual([]);
  });
});
