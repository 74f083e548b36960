// ZRTP interop with Linphone (bzrtp) over real UDP on 127.0.0.1, both directions: the SAS must be
// equal with algorithms pinned on linphonec (ARCHITECTURE.md "Linphone as a peer"), and SRTP keyed
// from our engine must work both ways (linphonec's packets authenticate here, its receiver
// reports show ours arriving, and its log shows no SRTP error).
import { describe, it, expect } from 'vitest';
import { findPeer } from './peers';
import { zrtpCall, zrtpCalls, zrtpVideoCall } from './zrtp/call';
import type { CallResult } from './zrtp/call';
import { DEFAULT_PREFERENCES, MemoryZrtpCache } from '../../src/crypto/zrtp';
import type { AlgorithmPreferences } from '../../src/crypto/zrtp';

const linphonec = findPeer('linphonec', 'linphone-cli');

const KA = 'zrtp_key_agreements_suites';
const SRTP_PACKETS = 25;

/** Our first RTP sequence number (test/interop/zrtp/srtp-check.ts). */
const FIRST_SEQUENCE = 1000;

function expectSrtpBothWays(r: CallResult): void {
  const s = r.srtp;
  expect(s).toBeDefined();
  if (!s) return;
  expect(s.errors).toEqual([]);
  expect(s.rtpAuthenticated).toBeGreaterThan(10);
  expect(s.rtcpAuthenticated).toBeGreaterThan(0);
  const last = s.reportsAboutUs.at(-1);
  expect(last, 'linphonec sent no receiver report about our SSRC').toBeDefined();
  expect((last?.highestSequence ?? 0) & 0xffff).toBe(FIRST_SEQUENCE + SRTP_PACKETS - 1);
  expect(last?.cumulativeLost ?? 99).toBeLessThanOrEqual(1);
  const srtpProblems = r.log.split('\n').filter((l) => /srtp/i.test(l) && /(error|fail|warning)/i.test(l));
  expect(srtpProblems).toEqual([]);
}

describe.skipIf(!linphonec)('ZRTP with linphonec', () => {
  // Contention decides who commits (§4.2), so our preferences name the pinned algorithm first too:
  // whichever side is initiator then chooses it.
  const call = (direction: 'vouch-calls' | 'linphone-calls', sipSettings: Record<string, string>, preferences?: Partial<AlgorithmPreferences>, srtp?: { srtcpTagLength?: number }) =>
    zrtpCall({ linphonec: linphonec as string, direction, sipSettings, preferences: { ...DEFAULT_PREFERENCES, ...preferences }, srtpPackets: srtp ? SRTP_PACKETS : 0, srtcpTagLength: srtp?.srtcpTagLength });

  it('X255: Vouch calls linphonec, SAS equal, SRTP both ways', async () => {
    const r = await call('vouch-calls', { [KA]: 'MS_ZRTP_KEY_AGREEMENT_X255' }, {}, {});
    expect(r.ours.keyAgreement).toBe('X255');
    expect(r.ours.sas).toBe(r.theirs);
    // Its a=zrtp-hash matched its Hello (§8.1): the same hash input as bzrtp's.
    expect(r.ours.helloHashMatched).toBe(true);
    expectSrtpBothWays(r);
  });

  it('X255: linphonec calls Vouch, SAS equal, SRTP both ways', async () => {
    const r = await call('linphone-calls', { [KA]: 'MS_ZRTP_KEY_AGREEMENT_X255' }, {}, {});
    expect(r.ours.keyAgreement).toBe('X255');
    expect(r.ours.helloHashMatched).toBe(true);
    expect(r.ours.sas).toBe(r.theirs);
    expectSrtpBothWays(r);
  });

  it('DH3k: SAS equal', async () => {
    const r = await call('vouch-calls', { [KA]: 'MS_ZRTP_KEY_AGREEMENT_DH3K' }, { keyAgreements: ['DH3k', 'Mult'] });
    expect(r.ours.keyAgreement).toBe('DH3k');
    expect(r.ours.sas).toBe(r.theirs);
  });

  // Debian's bzrtp 5.1 is built without EC25/EC38: pinned to them, its Hello offers only DH3k
  // and Mult, and the call settles on DH3k (still with the pinned hash and cipher for EC38).
  it('EC25 pinned: SAS equal on what linphonec offers', async () => {
    const r = await call('vouch-calls', { [KA]: 'MS_ZRTP_KEY_AGREEMENT_EC25' }, { keyAgreements: ['EC25', 'DH3k', 'Mult'] });
    expect(['EC25', 'DH3k']).toContain(r.ours.keyAgreement);
    expect(r.ours.sas).toBe(r.theirs);
  });

  it('EC38 + S384 + AES3: SAS equal, SRTP with AES-256 both ways', async () => {
    const r = await call(
      'linphone-calls',
      { [KA]: 'MS_ZRTP_KEY_AGREEMENT_EC38', zrtp_hash_suites: 'MS_ZRTP_HASH_S384', zrtp_cipher_suites: 'MS_ZRTP_CIPHER_AES3' },
      { keyAgreements: ['EC38', 'DH3k', 'Mult'], hashes: ['S384', 'S256'], ciphers: ['AES3', 'AES1'] },
      {},
    );
    expect(['EC38', 'DH3k']).toContain(r.ours.keyAgreement);
    expect(r.ours.hash).toBe('S384');
    expect(r.ours.cipher).toBe('AES3');
    expect(r.ours.sas).toBe(r.theirs);
    expectSrtpBothWays(r);
  });

  // Measured: with ZRTP's HS32, linphonec's SRTCP carries a 32-bit tag as well (not RFC 3711's 80).
  it('HS32: SAS equal, SRTP with 32-bit tags both ways (SRTCP tag 4 bytes)', async () => {
    const r = await call('vouch-calls', { [KA]: 'MS_ZRTP_KEY_AGREEMENT_X255', zrtp_auth_suites: 'MS_ZRTP_AUTHTAG_HS32' }, { authTags: ['HS32', 'HS80'] }, { srtcpTagLength: 4 });
    expect(r.ours.authTag).toBe('HS32');
    expect(r.ours.sas).toBe(r.theirs);
    expectSrtpBothWays(r);
  });

  it('B256: SAS equal as PGP words', async () => {
    // bzrtp always adds the mandatory B32, so both sides must prefer B256.
    const r = await call('vouch-calls', { [KA]: 'MS_ZRTP_KEY_AGREEMENT_X255', zrtp_sas_suites: 'MS_ZRTP_SAS_B256' }, { sasTypes: ['B256', 'B32'] });
    expect(r.ours.sasType).toBe('B256');
    expect(r.ours.sas).toMatch(/^\w+ \w+$/);
    expect(r.ours.sas).toBe(r.theirs);
  });

  // Retained secrets as bzrtp computes them: from the second call on, both sides find the other's
  // rs1 ID (no cache mismatch), so s0 includes rs1 on both and the SAS still agrees (§4.3, §4.6.1).
  it('cache across three calls: rs1 matched with linphonec, SAS equal each time', async () => {
    const cache = new MemoryZrtpCache();
    const results = await zrtpCalls({ linphonec: linphonec as string, direction: 'vouch-calls', sipSettings: { [KA]: 'MS_ZRTP_KEY_AGREEMENT_X255' }, cache }, 3);
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.ours.sas).toBe(r.theirs);
      expect(r.ours.cacheMismatch).toBe(false);
    }
    const entry = cache.get(results[0].ours.peerZid);
    expect(entry?.rs1 && entry.rs2).toBeTruthy();
  });

  it('multistream: video keyed from the audio ZRTPSess (Mult), same SAS, linphonec video SRTP authenticates', async () => {
    const r = await zrtpVideoCall({ linphonec: linphonec as string, sipSettings: { [KA]: 'MS_ZRTP_KEY_AGREEMENT_X255' } });
    expect(r.audio.sas).toBe(r.theirs);
    expect(r.video.keyAgreement).toBe('Mult');
    expect(r.video.multistream).toBe(true);
    expect(r.video.sas).toBe(r.audio.sas);
    expect(r.videoErrors).toBe(0);
    expect(r.videoAuthenticated).toBeGreaterThan(0);
  });
});
