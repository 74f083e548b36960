// Issue 20, transfer and call waiting between three Vouch AppCores on loopback: blind transfer
// (REFER, NOTIFY sipfrag, RFC 3515), attended transfer (Replaces, RFC 3891) and call waiting
// (a second call rings, answering it holds the first, resume swaps). Every new pair of peers
// gets a fresh ZRTP exchange: secure with equal SAS on both sides.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallId } from '../../src/shared/api';
import { callWhere, securityWhere } from './vouch-events';
import { VouchPeers, type VouchPeer } from './vouch-peer';

const peers = new VouchPeers();
afterEach(() => peers.closeAll());

const uriOf = (p: VouchPeer, user: string) => `sip:${user}@127.0.0.1:${p.sipPort}`;

/** Both sides of a call secure, with the same SAS; resolves with it. */
async function secured(x: VouchPeer, xCall: CallId, y: VouchPeer, yCall: CallId): Promise<string> {
  const a = await x.until(securityWhere((s) => s.callId === xCall && s.state === 'secure'), 15_000);
  const b = await y.until(securityWhere((s) => s.callId === yCall && s.state === 'secure'), 15_000);
  expect(a.sas).toBe(b.sas);
  return a.sas;
}

/**
 * A second call while one is up needs a media worker started on demand (one is kept ready, never
 * more): from TypeScript source under a soak's load that took 3-8 s per side, and a transfer's new
 * call waits for two of them (the caller's before its INVITE, the callee's before its 200).
 */
const SECOND_CALL_MS = 30_000;
/** Each test makes two or three calls, some of them second calls. */
const TEST_MS = 120_000;

/** The first call `p` sees from the peer on `port` in `state` (after event index `from`). */
const callFrom = (p: VouchPeer, port: number, state: string, from = 0) =>
  p.until(callWhere((c) => c.remoteUri.includes(`:${port}`) && c.state === state), SECOND_CALL_MS, from);

/** `caller` calls `callee` (auto-answering) and both are secure. */
async function connect(caller: VouchPeer, callee: VouchPeer, user: string): Promise<{ callerCall: CallId; calleeCall: CallId; sas: string }> {
  const from = callee.events.length;
  const { callId } = await caller.core.invoke('call', { uri: uriOf(callee, user) });
  const inc = await callee.until(callWhere((c) => c.direction === 'incoming' && c.state === 'connected'), SECOND_CALL_MS, from);
  return { callerCall: callId, calleeCall: inc.callId, sas: await secured(caller, callId, callee, inc.callId) };
}

describe('transfer between three Vouch instances', () => {
  it('blind: B transfers A to C; A and C talk secured by a new ZRTP exchange, B is done', async () => {
    const a = await peers.start({ autoAnswer: false, toneHz: 500 });
    const b = await peers.start({ autoAnswer: true, toneHz: 700 });
    const c = await peers.start({ autoAnswer: true, toneHz: 900 });
    const ab = await connect(a, b, 'bob');
    const aFrom = a.events.length;
    await b.core.invoke('transfer', { callId: ab.calleeCall, to: `carol@127.0.0.1:${c.sipPort}` });
    const aToC = await callFrom(a, c.sipPort, 'connected', aFrom);
    const cFromA = await c.until(callWhere((x) => x.direction === 'incoming' && x.state === 'connected'), 15_000);
    const sas = await secured(a, aToC.callId, c, cFromA.callId);
    expect(aToC.callId).not.toBe(ab.callerCall);
    expect(sas).toMatch(/^[a-z0-9]{4}$/);
    // B's call ends 'transferred' only on NOTIFY 200 (sipfrag) from A.
    const bEnded = await b.until(callWhere((x) => x.callId === ab.calleeCall && x.state === 'ended'), 15_000);
    expect(bEnded.endReason).toBe('transferred');
    await a.until(callWhere((x) => x.callId === ab.callerCall && x.state === 'ended'), 15_000);
    expect(b.core.snapshot().calls).toHaveLength(0);
    expect(a.core.snapshot().calls.map((x) => x.callId)).toEqual([aToC.callId]);
    // Audio flows both ways on the new call.
    await a.until((e) => (e.type === 'stats' && e.stats.callId === aToC.callId && e.stats.streams.some((s) => s.stream === 'audio' && s.packetsReceived > 20) ? e : undefined), 10_000);
    await c.until((e) => (e.type === 'stats' && e.stats.callId === cFromA.callId && e.stats.streams.some((s) => s.stream === 'audio' && s.packetsReceived > 20) ? e : undefined), 10_000);
  }, TEST_MS);

  it('blind to nobody: the NOTIFY says the failure, B is told and keeps the call', async () => {
    const a = await peers.start({ autoAnswer: false });
    const b = await peers.start({ autoAnswer: true });
    const c = await peers.start({ autoAnswer: false });
    const ab = await connect(a, b, 'bob');
    const from = b.events.length;
    await b.core.invoke('transfer', { callId: ab.calleeCall, to: `carol@127.0.0.1:${c.sipPort}` });
    // C declines the call A places.
    const ringing = await c.until(callWhere((x) => x.state === 'incoming'), 15_000);
    await c.core.invoke('reject', { callId: ringing.callId, code: 603 });
    const error = await b.until((e) => (e.type === 'error' && e.callId === ab.calleeCall ? e : undefined), 15_000, from);
    expect(error.message).toMatch(/transfer failed: 603/);
    expect(b.core.snapshot().calls.map((x) => x.state)).toEqual(['connected']);
  }, TEST_MS);

  it('attended: B talks to A and C, hands A over to C (Replaces); A↔C secure, B has no calls', async () => {
    const a = await peers.start({ autoAnswer: true });
    const b = await peers.start({ autoAnswer: false });
    const c = await peers.start({ autoAnswer: true });
    const ba = await connect(b, a, 'alice');
    await b.core.invoke('hold', { callId: ba.callerCall, on: true });
    const bc = await connect(b, c, 'carol');
    const aFrom = a.events.length;
    const cFrom = c.events.length;
    await b.core.invoke('transferAttended', { callId: ba.callerCall, targetCallId: bc.callerCall });
    const aToC = await callFrom(a, c.sipPort, 'connected', aFrom);
    const cFromA = await c.until(callWhere((x) => x.callId !== bc.calleeCall && x.state === 'connected'), SECOND_CALL_MS, cFrom);
    await secured(a, aToC.callId, c, cFromA.callId);
    // C answered the replacing call itself, and its call with B ended as replaced.
    const cOld = await c.until(callWhere((x) => x.callId === bc.calleeCall && x.state === 'ended'), 15_000);
    expect(cOld.endReason).toBe('transferred');
    await b.until(callWhere((x) => x.callId === ba.callerCall && x.state === 'ended'), 15_000);
    await b.until(callWhere((x) => x.callId === bc.callerCall && x.state === 'ended'), 15_000);
    await a.until(callWhere((x) => x.callId === ba.calleeCall && x.state === 'ended'), 15_000);
    expect(b.core.snapshot().calls).toHaveLength(0);
    expect(a.core.snapshot().calls.map((x) => x.callId)).toEqual([aToC.callId]);
  }, TEST_MS);
});

describe('call waiting', () => {
  it('a second call rings while B talks; answering it holds the first; resuming swaps back', async () => {
    const a = await peers.start({ autoAnswer: false });
    const b = await peers.start({ autoAnswer: false });
    const c = await peers.start({ autoAnswer: false });
    await b.core.invoke('updateSettings', { patch: { callWaiting: true } });
    const { callId: aCall } = await a.core.invoke('call', { uri: uriOf(b, 'bob') });
    const bA = await b.until(callWhere((x) => x.state === 'incoming'), 15_000);
    await b.core.invoke('answer', { callId: bA.callId });
    await secured(a, aCall, b, bA.callId);
    const from = b.events.length;
    const { callId: cCall } = await c.core.invoke('call', { uri: uriOf(b, 'bob') });
    const bC = await b.until(callWhere((x) => x.callId !== bA.callId && x.state === 'incoming'), 15_000, from);
    expect(b.core.snapshot().calls.find((x) => x.callId === bA.callId)?.state).toBe('connected');
    await b.core.invoke('answer', { callId: bC.callId });
    expect(b.core.snapshot().calls.find((x) => x.callId === bA.callId)?.state).toBe('held');
    await a.until(callWhere((x) => x.callId === aCall && x.remoteHeld), 15_000);
    await secured(c, cCall, b, bC.callId);
    // Swap: resuming A holds C.
    const aFrom = a.events.length;
    await b.core.invoke('hold', { callId: bA.callId, on: false });
    const calls = new Map(b.core.snapshot().calls.map((x) => [x.callId, x.state]));
    expect(calls.get(bA.callId)).toBe('connected');
    expect(calls.get(bC.callId)).toBe('held');
    await c.until(callWhere((x) => x.callId === cCall && x.remoteHeld), 15_000);
    await a.until(callWhere((x) => x.callId === aCall && !x.remoteHeld && x.state === 'connected'), 15_000, aFrom);
  }, TEST_MS);

  it('with call waiting off, a second call gets busy', async () => {
    const a = await peers.start({ autoAnswer: false });
    const b = await peers.start({ autoAnswer: true });
    const c = await peers.start({ autoAnswer: false });
    await connect(a, b, 'bob');
    const { callId } = await c.core.invoke('call', { uri: uriOf(b, 'bob') });
    const ended = await c.until(callWhere((x) => x.callId === callId && x.state === 'ended'), 15_000);
    expect(ended.endReason).toBe('busy');
  }, TEST_MS);
});
