import { describe, it, expect } from 'vitest';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { protectionProfile, SRTP_SUITES, SrtpSession, type SrtpSuiteName } from '../../../crypto/srtp';
import { nodeSrtpPrimitives } from './index';

function keys(suite: SrtpSuiteName) {
  const prof = protectionProfile(suite);
  return { suite, masterKey: new Uint8Array(prof.keyLength).fill(9), masterSalt: new Uint8Array(prof.saltLength).fill(4) };
}

function rtp(seq: number, ssrc: number, payload: number): Uint8Array {
  const p = new Uint8Array(12 + payload);
  p[0] = 0x80;
  p[2] = seq >> 8;
  p[3] = seq & 0xff;
  p.set([ssrc >>> 24, (ssrc >>> 16) & 0xff, (ssrc >>> 8) & 0xff, ssrc & 0xff], 8);
  for (let i = 12; i < p.length; i++) p[i] = (i + seq) & 0xff;
  return p;
}

function packet(bytes: Uint8Array, headroom: number): PacketBuffer {
  const p = PacketBuffer.alloc(bytes.length, { headroom });
  p.append(bytes);
  return p;
}

describe('node:crypto SRTP primitives', () => {
  // Sends in order, out of order, across SSRCs, with growing sizes and unaligned starts, so the
  // keystream cache hits, misses and refills.
  const plan: [number, number, number][] = [];
  for (let i = 0; i < 40; i++) plan.push([65520 + i, 0x1234, 20 + ((i * 97) % 1400)]);
  plan.push([30, 0x1234, 100], [26, 0x1234, 1450], [7, 0x9999, 50], [65515, 0x1234, 33], [31, 0x1234, 1500], [32, 0x1234, 9000], [33, 0x1234, 60], [34, 0x1234, 3000], [35, 0x1234, 1200]);

  for (const suite of SRTP_SUITES) {
    it(`${suite}: byte-identical to the portable implementation, both directions`, () => {
      const portable = new SrtpSession(keys(suite));
      const node = new SrtpSession({ ...keys(suite), primitives: nodeSrtpPrimitives });
      const portableRx = new SrtpSession(keys(suite));
      const nodeRx = new SrtpSession({ ...keys(suite), primitives: nodeSrtpPrimitives });
      plan.forEach(([seq, ssrc, size], i) => {
        const plain = rtp(seq & 0xffff, ssrc, size);
        const a = packet(plain, i % 3);
        const b = packet(plain, (i + 1) % 4);
        expect(portable.protectRtp(a)).toBeUndefined();
        expect(node.protectRtp(b)).toBeUndefined();
        expect(Buffer.from(b.payload()).equals(Buffer.from(a.payload()))).toBe(true);
        expect(nodeRx.unprotectRtp(a)).toBeUndefined();
        expect(portableRx.unprotectRtp(b)).toBeUndefined();
        expect(Buffer.from(a.payload()).equals(Buffer.from(plain))).toBe(true);
        expect(Buffer.from(b.payload()).equals(Buffer.from(plain))).toBe(true);
        const rr = Uint8Array.of(0x80, 201, 0, 1, 0, 0, 0x12, 0x34);
        const c = packet(rr, 0);
        const d = packet(rr, 0);
        expect(portable.protectRtcp(c)).toBeUndefined();
        expect(node.protectRtcp(d)).toBeUndefined();
        expect(Buffer.from(d.payload()).equals(Buffer.from(c.payload()))).toBe(true);
        expect(nodeRx.unprotectRtcp(c)).toBeUndefined();
        expect(Buffer.from(c.payload()).equals(Buffer.from(rr))).toBe(true);
      });
    });
  }

  // A packet far into its buffer (a large headroom) takes the scratch past its first layout.
  for (const suite of SRTP_SUITES) {
    it(`${suite}: byte-identical to the portable implementation with 300 bytes of headroom`, () => {
      const portable = new SrtpSession(keys(suite));
      const node = new SrtpSession({ ...keys(suite), primitives: nodeSrtpPrimitives });
      const nodeRx = new SrtpSession({ ...keys(suite), primitives: nodeSrtpPrimitives });
      for (const [seq, size] of [[1, 160], [2, 1200], [3, 7]]) {
        const plain = rtp(seq, 0x4242, size);
        const a = packet(plain, 0);
        const b = packet(plain, 300);
        expect(portable.protectRtp(a)).toBeUndefined();
        expect(node.protectRtp(b)).toBeUndefined();
        expect(Buffer.from(b.payload()).equals(Buffer.from(a.payload()))).toBe(true);
        expect(nodeRx.unprotectRtp(b)).toBeUndefined();
        expect(Buffer.from(b.payload()).equals(Buffer.from(plain))).toBe(true);
      }
    });
  }

  it('rejects a forged packet', () => {
    const tx = new SrtpSession({ ...keys('AEAD_AES_128_GCM'), primitives: nodeSrtpPrimitives });
    const rx = new SrtpSession({ ...keys('AEAD_AES_128_GCM'), primitives: nodeSrtpPrimitives });
    const p = packet(rtp(1, 1, 40), 0);
    tx.protectRtp(p);
    p.bytes[20] ^= 1;
    expect(rx.unprotectRtp(p)?.kind).toBe('auth-failed');
  });
});
