// CallSecurity on its own: the worker's ZRTP reports in, SecurityInfo and the fallback decisions
// out, with a real ZRTP cache store for identities and a recording stand-in for the rest of the call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EndReason, MediaSecurityPolicy } from '../../shared/api';
import type { ActiveStream } from '../sdp';
import type { ZrtpReport } from '../media/worker-protocol';
import { ZrtpCacheStore } from '../store/zrtp-cache-store';
import type { CallEvent } from './call-events';
import { CallSecurity, ZRTP_HELLO_TIMEOUT_MS } from './call-security';

const ALICE = 'sip:alice@127.0.0.1:5062';
const ZID_1 = 'aa'.repeat(12);
const ZID_2 = 'bb'.repeat(12);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-call-security-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function stream(kind: 'audio' | 'video', security: ActiveStream['security']): ActiveStream {
  return {
    status: 'active',
    index: kind === 'audio' ? 0 : 1,
    kind,
    local: { address: '127.0.0.1', rtpPort: 4000, rtcpPort: 4001 },
    remote: { address: '127.0.0.1', rtpPort: 5000, rtcpAddress: '127.0.0.1', rtcpPort: 5001 },
    rtcpMux: true,
    payloadTypes: [],
    direction: 'sendrecv',
    security,
    rtcpFb: [],
  };
}

function secure(over: Partial<Extract<ZrtpReport, { kind: 'secure' }>> = {}): ZrtpReport {
  return { kind: 'secure', sas: 'abcd', sasType: 'B32', cipher: 'AES1', authTag: 'HS80', hash: 'S256', keyAgreement: 'X255', srtpSuite: 'AES_CM_128_HMAC_SHA1_80', peerZid: ZID_1, verified: false, cacheMismatch: false, multistream: false, helloHashMatched: true, at: 0, ...over };
}

function setUp(opts: { policy?: MediaSecurityPolicy; hashOffered?: boolean; sdesAccepted?: boolean } = {}) {
  const store = new ZrtpCacheStore(dir);
  const events: CallEvent[] = [];
  const done = { hangup: undefined as EndReason | undefined, rekeyedPlain: false, sdesOffered: false, ended: false };
  const security: CallSecurity = new CallSecurity(7, store, (e) => events.push(e), {
    remoteAddress: () => ALICE,
    policy: () => opts.policy ?? 'zrtp-required',
    ended: () => done.ended,
    peerOfferedZrtpHash: () => opts.hashOffered ?? false,
    reofferWithSdes: async () => {
      done.sdesOffered = true;
      if (opts.sdesAccepted) security.noteKeying('audio', stream('audio', 'sdes'));
      return opts.sdesAccepted ?? false;
    },
    rekeyPlain: () => void (done.rekeyedPlain = true),
    hangupWith: (reason) => {
      done.hangup = reason;
      done.ended = true;
    },
  });
  return { security, store, events, done };
}

describe('CallSecurity', () => {
  it('shows a secured audio stream with its SAS and suites; video keyed by multistream marks videoSecure', () => {
    const { security, events } = setUp();
    security.streamStarted('audio', stream('audio', 'zrtp'));
    expect(security.info).toMatchObject({ state: 'securing', perStream: { audio: { state: 'securing', multistream: false } } });
    security.onZrtp('audio', { kind: 'sasReady', sas: 'abcd', sasType: 'B32', verified: false });
    security.onZrtp('audio', secure());
    security.onZrtp('video', secure({ multistream: true }));
    security.stop();
    expect(security.info).toMatchObject({ state: 'secure', sas: 'abcd', sasType: 'B32', peerZid: ZID_1, details: { cipher: 'AES1', srtpSuite: 'AES_CM_128_HMAC_SHA1_80' } });
    expect(security.info.perStream.video).toEqual({ state: 'secure', multistream: true });
    expect(events.filter((e) => e.type === 'mark')).toEqual([{ type: 'mark', what: 'sasReady' }, { type: 'mark', what: 'videoSecure' }]);
  });

  it('a known address answering with another ZID warns "new identity" and a cached Verified does not hide it', () => {
    const { security, store } = setUp();
    store.recordIdentity(ALICE, ZID_2);
    security.onZrtp('audio', { kind: 'peerZid', peerZid: ZID_1, clientId: 'x' });
    security.onZrtp('audio', secure({ verified: true }));
    expect(security.info.verified).toBe(false);
    expect(security.info.warnings).toEqual([expect.objectContaining({ kind: 'new-identity', previousZid: ZID_2, zid: ZID_1 })]);
    expect(store.identityOf(ALICE)).toBe(ZID_1);
    // Comparing the SAS again clears the warning and records Verified for that ZID.
    store.setPeer(ZID_1, { rs1: '00'.repeat(32), verified: false });
    security.setVerified(true);
    expect(security.info.warnings).toEqual([]);
    expect(store.peer(ZID_1)?.verified).toBe(true);
  });

  it('keeps at most 16 warnings, moves a repeated one to the end and never drops one the user must act on', () => {
    const { security } = setUp();
    security.onZrtp('audio', { kind: 'cacheMismatch', peerZid: ZID_1 });
    for (let i = 0; i < 40; i++) security.warn({ kind: 'policy-refused', message: `re-INVITE ${i}`, sipStatus: 488 });
    security.warn({ kind: 'policy-refused', message: 're-INVITE 30', sipStatus: 488 });
    const w = security.info.warnings;
    expect(w).toHaveLength(16);
    expect(w[0].kind).toBe('cache-mismatch');
    expect(w.at(-1)?.message).toBe('re-INVITE 30');
    expect(w.filter((x) => x.message === 're-INVITE 30')).toHaveLength(1);
  });

  it('no Hello within the timeout and only ZRTP allowed: the call ends security-refused', () => {
    vi.useFakeTimers();
    const { security, done } = setUp({ policy: 'zrtp-required' });
    security.streamStarted('audio', stream('audio', 'zrtp'));
    vi.advanceTimersByTime(ZRTP_HELLO_TIMEOUT_MS - 1);
    expect(done.hangup).toBeUndefined();
    vi.advanceTimersByTime(1);
    return vi.waitFor(() => expect(done.hangup).toBe('security-refused'));
  });

  it('no Hello and plain RTP allowed: the streams go on unencrypted, shown as such', async () => {
    const { security, done } = setUp({ policy: 'allow-unencrypted' });
    security.streamStarted('audio', stream('audio', 'zrtp'));
    security.onZrtp('audio', { kind: 'error', code: 0x0, reason: 'no answer to Hello', sentByPeer: false });
    await vi.waitFor(() => expect(done.rekeyedPlain).toBe(true));
    security.stop();
    expect(security.info).toMatchObject({ mode: 'none', state: 'none' });
    expect(done.hangup).toBeUndefined();
  });

  it('no Hello and SDES allowed: an SDES re-offer the peer accepts keeps the call, keyed by SDES', async () => {
    const { security, done } = setUp({ policy: 'allow-sdes', sdesAccepted: true });
    security.streamStarted('audio', stream('audio', 'zrtp'));
    security.onZrtp('audio', { kind: 'error', code: 0x0, reason: 'no answer to Hello', sentByPeer: false });
    await vi.waitFor(() => expect(done.sdesOffered).toBe(true));
    security.stop();
    expect(security.info).toMatchObject({ mode: 'sdes', state: 'secure' });
    expect(done.hangup).toBeUndefined();
  });

  it('a peer whose SDP promised ZRTP never falls back, even where SDES and plain RTP are allowed', async () => {
    for (const policy of ['allow-sdes', 'allow-unencrypted'] as const) {
      const silent = setUp({ policy, hashOffered: true });
      silent.security.streamStarted('audio', stream('audio', 'zrtp'));
      silent.security.onZrtp('audio', { kind: 'error', code: 0x0, reason: 'no answer to Hello', sentByPeer: false });
      expect(silent.done).toMatchObject({ hangup: 'security-refused', sdesOffered: false, rekeyedPlain: false });
      expect(silent.security.info.warnings.at(-1)?.message).toMatch(/no media reached us/);

      const stalled = setUp({ policy });
      stalled.security.streamStarted('audio', stream('audio', 'zrtp'));
      stalled.security.onZrtp('audio', { kind: 'helloSeen' });
      stalled.security.onZrtp('audio', { kind: 'error', code: 0x0, reason: 'Commit dropped', sentByPeer: false });
      expect(stalled.done).toMatchObject({ hangup: 'security-refused', sdesOffered: false, rekeyedPlain: false });
      expect(stalled.security.info.warnings.at(-1)?.message).toMatch(/handshake failed \(Commit dropped\)/);
    }
  });
});
