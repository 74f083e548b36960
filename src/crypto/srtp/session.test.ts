import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PacketBuffer } from '../packet-buffer';
import { protectionProfile, SRTP_SUITES, SrtpSession, suiteForZrtp, type SrtpSuiteName } from './index';
import { exactPacket, toHex } from './test-support';

function keysFor(suite: SrtpSuiteName, seed = 1) {
  const prof = protectionProfile(suite);
  return {
    suite,
    masterKey: Uint8Array.from({ length: prof.keyLength }, (_, i) => (i * 31 + seed) & 0xff),
    masterSalt: Uint8Array.from({ length: prof.saltLength }, (_, i) => (i * 17 + seed * 3) & 0xff),
  };
}

function rtp(seq: number, payloadLength = 20, ssrc = 0x11223344): Uint8Array {
  const p = new Uint8Array(12 + payloadLength);
  p[0] = 0x80;
  p[1] = 0;
  p[2] = seq >> 8;
  p[3] = seq & 0xff;
  p[8] = ssrc >>> 24;
  p[9] = (ssrc >>> 16) & 0xff;
  p[10] = (ssrc >>> 8) & 0xff;
  p[11] = ssrc & 0xff;
  for (let i = 12; i < p.length; i++) p[i] = (i * 3 + seq) & 0xff;
  return p;
}

function rtcpRr(ssrc = 0x55667788): Uint8Array {
  return Uint8Array.of(0x80, 201, 0, 1, ssrc >>> 24, (ssrc >>> 16) & 0xff, (ssrc >>> 8) & 0xff, ssrc & 0xff);
}

function protectedRtp(tx: SrtpSession, seq: number, len = 20): PacketBuffer {
  const p = exactPacket(rtp(seq, len));
  const err = tx.protectRtp(p);
  if (err) throw new Error(err.kind);
  return p;
}

function copyOf(p: PacketBuffer): PacketBuffer {
  return exactPacket(p.payload().slice());
}

describe('SrtpSession', () => {
  it('round-trips RTP and RTCP for every suite', () => {
    for (const suite of SRTP_SUITES) {
      const tx = new SrtpSession(keysFor(suite));
      const rx = new SrtpSession(keysFor(suite));
      const p = protectedRtp(tx, 7, 33);
      expect(p.length).toBe(12 + 33 + protectionProfile(suite).rtpTagLength);
      expect(rx.unprotectRtp(p)).toBeUndefined();
      expect(toHex(p.payload())).toBe(toHex(rtp(7, 33)));
      const c = exactPacket(rtcpRr());
      expect(tx.protectRtcp(c)).toBeUndefined();
      expect(c.length).toBe(8 + tx.rtcpTrailerLength);
      expect(rx.unprotectRtcp(c)).toBeUndefined();
      expect(toHex(c.payload())).toBe(toHex(rtcpRr()));
    }
  });

  it('rejects a replayed packet and one older than the window', () => {
    const tx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    const rx = new SrtpSession({ ...keysFor('AES_CM_128_HMAC_SHA1_80'), replayWindowSize: 64 });
    const first = protectedRtp(tx, 100);
    const again = copyOf(first);
    expect(rx.unprotectRtp(first)).toBeUndefined();
    expect(rx.unprotectRtp(again)?.kind).toBe('replayed');
    const old = protectedRtp(tx, 101);
    for (let s = 102; s < 200; s++) expect(rx.unprotectRtp(protectedRtp(tx, s))).toBeUndefined();
    expect(rx.unprotectRtp(old)?.kind).toBe('replayed');
  });

  it('accepts late packets inside the window exactly once', () => {
    const tx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    const rx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    const packets = Array.from({ length: 10 }, (_, i) => protectedRtp(tx, 1000 + i));
    const order = [0, 3, 1, 2, 9, 5, 4, 8, 6, 7];
    for (const i of order) expect(rx.unprotectRtp(copyOf(packets[i]))).toBeUndefined();
    for (const i of order) expect(rx.unprotectRtp(copyOf(packets[i]))?.kind).toBe('replayed');
  });

  it('follows the ROC across the wrap 65530 -> 5 with reordering (RFC 3711 Appendix A)', () => {
    for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] as const) {
      const tx = new SrtpSession(keysFor(suite));
      const rx = new SrtpSession(keysFor(suite));
      const seqs = [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5];
      const sent = seqs.map((s) => protectedRtp(tx, s));
      expect(tx.rolloverCounter(0x11223344)).toBe(1);
      // Received out of order, with packets from before the wrap arriving after it.
      const order = [0, 1, 2, 6, 3, 7, 4, 8, 9, 5, 11, 10];
      for (const i of order) {
        const p = sent[i];
        expect(rx.unprotectRtp(p)).toBeUndefined();
        expect(toHex(p.payload())).toBe(toHex(rtp(seqs[i])));
      }
      expect(rx.rolloverCounter(0x11223344)).toBe(1);
    }
  });

  it('follows a forward jump of more than 2^15 in ROC 0 (as libsrtp does)', () => {
    const tx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    const rx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    for (const seq of [1000, 40000, 40001]) expect(rx.unprotectRtp(protectedRtp(tx, seq))).toBeUndefined();
    expect(rx.rolloverCounter(0x11223344)).toBe(0);
  });

  it('uses a signalled ROC for a late-joining receiver', () => {
    const tx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    tx.setRolloverCounter(0x11223344, 7);
    const rx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    const p = protectedRtp(tx, 40000);
    expect(rx.unprotectRtp(copyOf(p))?.kind).toBe('auth-failed');
    rx.setRolloverCounter(0x11223344, 7);
    expect(rx.unprotectRtp(p)).toBeUndefined();
  });

  it('a forged packet changes no state', () => {
    const tx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    const rx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    expect(rx.unprotectRtp(protectedRtp(tx, 65535))).toBeUndefined();
    // A forged packet claiming seq 2 (would move the ROC to 1) with a bad tag.
    const forged = protectedRtp(tx, 2);
    forged.bytes[forged.end - 1] ^= 1;
    const before = toHex(forged.payload());
    expect(rx.unprotectRtp(forged)?.kind).toBe('auth-failed');
    expect(toHex(forged.payload())).toBe(before);
    expect(rx.rolloverCounter(0x11223344)).toBe(0);
    // A genuine late packet (seq 65534, ROC 0) still goes through: the forgery did not move the ROC.
    expect(rx.unprotectRtp(protectedRtp(new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80')), 65534))).toBeUndefined();
    // Forged SRTCP does not mark its index as seen.
    const c = exactPacket(rtcpRr());
    tx.protectRtcp(c);
    const good = copyOf(c);
    c.bytes[c.end - 1] ^= 0xff;
    expect(rx.unprotectRtcp(c)?.kind).toBe('auth-failed');
    expect(rx.unprotectRtcp(good)).toBeUndefined();
  });

  it('SRTCP index: increments per packet, runs up to 2^31 - 1, then the key is exhausted', () => {
    const tx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    const rx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    const ssrc = 0x55667788;
    expect(tx.srtcpIndex(ssrc)).toBe(0);
    tx.setSrtcpIndex(ssrc, 0x7ffffffe);
    const a = exactPacket(rtcpRr());
    const b = exactPacket(rtcpRr());
    expect(tx.protectRtcp(a)).toBeUndefined();
    expect(tx.protectRtcp(b)).toBeUndefined();
    // E flag set and the 31-bit index in the trailer word (RFC 3711 §3.4).
    expect(toHex(b.bytes.subarray(8, 12))).toBe('ffffffff');
    const c = exactPacket(rtcpRr());
    expect(tx.protectRtcp(c)?.kind).toBe('lifetime-exhausted');
    expect(c.length).toBe(8);
    expect(rx.unprotectRtcp(b)).toBeUndefined();
    expect(rx.unprotectRtcp(a)).toBeUndefined();
  });

  it('enforces the key lifetime with a typed error', () => {
    const tx = new SrtpSession({ ...keysFor('AES_CM_128_HMAC_SHA1_32'), srtpLifetime: 3, srtcpLifetime: 1 });
    for (let s = 0; s < 3; s++) protectedRtp(tx, s);
    expect(tx.protectRtp(exactPacket(rtp(3)))?.kind).toBe('lifetime-exhausted');
    expect(tx.protectRtcp(exactPacket(rtcpRr()))).toBeUndefined();
    expect(tx.protectRtcp(exactPacket(rtcpRr()))?.kind).toBe('lifetime-exhausted');
    const rx = new SrtpSession({ ...keysFor('AES_CM_128_HMAC_SHA1_32'), srtpLifetime: 1 });
    const tx2 = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_32'));
    expect(rx.unprotectRtp(protectedRtp(tx2, 1))).toBeUndefined();
    expect(rx.unprotectRtp(protectedRtp(tx2, 2))?.kind).toBe('lifetime-exhausted');
  });

  it('carries and checks the MKI (RFC 3711 §3.1)', () => {
    for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_256_GCM'] as const) {
      const mki = Uint8Array.of(0, 0, 0, 9);
      const tx = new SrtpSession({ ...keysFor(suite), mki });
      const p = protectedRtp(tx, 5);
      expect(p.length).toBe(32 + 4 + protectionProfile(suite).rtpTagLength);
      const rxOther = new SrtpSession({ ...keysFor(suite), mki: Uint8Array.of(0, 0, 0, 8) });
      expect(rxOther.unprotectRtp(copyOf(p))?.kind).toBe('unknown-mki');
      const rx = new SrtpSession({ ...keysFor(suite), mki });
      expect(rx.unprotectRtp(p)).toBeUndefined();
      expect(toHex(p.payload())).toBe(toHex(rtp(5)));
      const c = exactPacket(rtcpRr());
      expect(tx.protectRtcp(c)).toBeUndefined();
      expect(rx.unprotectRtcp(c)).toBeUndefined();
    }
  });

  it('honours the SRTCP tag length parameter of the _32 suites', () => {
    const tx = new SrtpSession({ ...keysFor('AES_CM_128_HMAC_SHA1_32'), srtcpTagLength: 4 });
    const c = exactPacket(rtcpRr());
    expect(tx.protectRtcp(c)).toBeUndefined();
    expect(c.length).toBe(8 + 4 + 4);
    expect(new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_32')).unprotectRtcp(copyOf(c))?.kind).not.toBeUndefined();
    expect(new SrtpSession({ ...keysFor('AES_CM_128_HMAC_SHA1_32'), srtcpTagLength: 4 }).unprotectRtcp(c)).toBeUndefined();
  });

  it('returns typed errors for bad input', () => {
    const rx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    expect(rx.unprotectRtp(exactPacket(new Uint8Array(5)))?.kind).toBe('too-short');
    const v1 = rtp(1, 30);
    v1[0] = 0x40;
    expect(rx.unprotectRtp(exactPacket(v1))?.kind).toBe('bad-version');
    const bad = rtp(1, 30);
    bad[0] = 0x8f; // 15 CSRCs do not fit
    expect(rx.unprotectRtp(exactPacket(bad))?.kind).toBe('malformed');
    expect(rx.protectRtp(exactPacket(bad))?.kind).toBe('malformed');
    expect(rx.unprotectRtcp(exactPacket(new Uint8Array(10)))?.kind).toBe('too-short');
  });

  it('disposes its keys: later calls fail with no-key', () => {
    const tx = new SrtpSession(keysFor('AES_256_CM_HMAC_SHA1_80'));
    tx.dispose();
    expect(tx.protectRtp(exactPacket(rtp(1)))?.kind).toBe('no-key');
    expect(tx.unprotectRtcp(exactPacket(rtcpRr()))?.kind).toBe('no-key');
  });

  it('fails with over-max-size only past the maximum UDP payload', () => {
    const tx = new SrtpSession(keysFor('AES_CM_128_HMAC_SHA1_80'));
    const p = PacketBuffer.alloc(0, { maxPayload: 100 });
    p.append(rtp(1, 79));
    expect(tx.protectRtp(p)?.kind).toBe('over-max-size');
    expect(p.length).toBe(91);
    const q = PacketBuffer.alloc(0, { maxPayload: 100 });
    q.append(rtp(1, 78));
    expect(tx.protectRtp(q)).toBeUndefined();
    expect(q.length).toBe(100);
  });

  it('maps ZRTP names to suites (RFC 6189 §5.1.3, §5.1.4)', () => {
    expect(suiteForZrtp('AES1', 'HS80')).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(suiteForZrtp('AES1', 'HS32')).toBe('AES_CM_128_HMAC_SHA1_32');
    expect(suiteForZrtp('AES3', 'HS80')).toBe('AES_256_CM_HMAC_SHA1_80');
    expect(suiteForZrtp('AES3', 'HS32')).toBe('AES_256_CM_HMAC_SHA1_32');
  });
});

describe('SrtpSession properties (fast-check)', () => {
  it('unprotect(protect(p)) = p for random RTP packets and suites', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SRTP_SUITES),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 3 }),
        (suite, seq, ssrc, payload, csrc) => {
          const tx = new SrtpSession(keysFor(suite, 5));
          const rx = new SrtpSession(keysFor(suite, 5));
          const plain = new Uint8Array(12 + 4 * csrc + payload.length);
          plain[0] = 0x80 | csrc;
          plain[2] = seq >> 8;
          plain[3] = seq & 0xff;
          plain.set([ssrc >>> 24, (ssrc >>> 16) & 0xff, (ssrc >>> 8) & 0xff, ssrc & 0xff], 8);
          plain.set(payload, 12 + 4 * csrc);
          const p = exactPacket(plain);
          expect(tx.protectRtp(p)).toBeUndefined();
          expect(rx.unprotectRtp(p)).toBeUndefined();
          expect(toHex(p.payload())).toBe(toHex(plain));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random bytes into unprotect never throw and never authenticate', () => {
    const sessions = SRTP_SUITES.map((suite) => new SrtpSession({ ...keysFor(suite), mki: suite.includes('256') ? Uint8Array.of(1) : undefined }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, v2) => {
        if (v2 && bytes.length > 0) bytes[0] = 0x80 | (bytes[0] & 0x3f);
        for (const s of sessions) {
          expect(s.unprotectRtp(exactPacket(bytes))).toBeDefined();
          expect(s.unprotectRtcp(exactPacket(bytes))).toBeDefined();
        }
      }),
      { numRuns: 300 },
    );
  });
});
