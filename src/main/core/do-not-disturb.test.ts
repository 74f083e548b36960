// Do not disturb (issue 22), with a real SIP call between two AppCores on 127.0.0.1: the caller
// hears 486 Busy Here, the callee never rings and keeps the call as missed; switched off, the
// next call rings again.
import { afterEach, describe, expect, it } from 'vitest';
import { VouchPeers } from '../../../test/interop/vouch-peer';
import { callWhere } from '../../../test/interop/vouch-events';

const peers = new VouchPeers();
afterEach(() => peers.closeAll());

describe('Do not disturb', () => {
  it('turns an incoming call away with 486 without ringing, lists it as missed, and rings again once off', async () => {
    const alice = await peers.start({ autoAnswer: false });
    const bob = await peers.start({ autoAnswer: false });
    const saved = await bob.core.invoke('updateSettings', { patch: { doNotDisturb: true } });
    expect(saved.doNotDisturb).toBe(true);

    const uri = `sip:bob@127.0.0.1:${bob.sipPort}`;
    const { callId } = await alice.core.invoke('call', { uri });
    const ended = await alice.until(callWhere((c) => c.callId === callId && c.state === 'ended'));
    expect(ended).toMatchObject({ endReason: 'busy', sipStatus: 486 });
    expect(ended.connectedAt).toBeUndefined();

    const history = await bob.until((e) => (e.type === 'history' && e.history.length > 0 ? e.history : undefined));
    expect(history[0]).toMatchObject({ direction: 'incoming', missed: true, endReason: 'busy', durationSeconds: 0 });
    expect(history[0].remoteUri).toMatch(/^sip:[^@]+@127\.0\.0\.1/);
    // It never rang: no incoming call reached Bob's front ends.
    expect(bob.events.some((e) => e.type === 'callState')).toBe(false);
    expect(bob.core.snapshot().calls).toEqual([]);

    await bob.core.invoke('updateSettings', { patch: { doNotDisturb: false } });
    const again = await alice.core.invoke('call', { uri });
    const ringing = await bob.until(callWhere((c) => c.direction === 'incoming' && c.state === 'incoming'));
    await bob.core.invoke('reject', { callId: ringing.callId });
    await alice.until(callWhere((c) => c.callId === again.callId && c.state === 'ended'));
  });
});
