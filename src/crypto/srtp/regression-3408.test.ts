// baresip #3408, generalised: `protect_ctrl failed (len=60): Out of memory` came from a 60-byte
// RTCP packet in a 64-byte buffer. Here every suite and packet kind is protected at every length
// (up to 1500) from buffers with no tailroom at all and from exact-fit buffers; protect must
// succeed and unprotect must restore the packet. Every length runs for AES_CM_128_HMAC_SHA1_80;
// the other suites take every 29th length plus the edges, to stay fast.
import { describe, it, expect } from 'vitest';
import { PacketBuffer } from '../packet-buffer';
import { protectionProfile, SRTP_SUITES, SrtpSession, type SrtpSuiteName } from './index';

type Kind = 'rtp-audio' | 'rtp-video' | 'rtcp-sr' | 'rtcp-rr' | 'rtcp-sdes' | 'rtcp-bye' | 'rtcp-pli' | 'rtcp-nack' | 'rtcp-compound';
const KINDS: Kind[] = ['rtp-audio', 'rtp-video', 'rtcp-sr', 'rtcp-rr', 'rtcp-sdes', 'rtcp-bye', 'rtcp-pli', 'rtcp-nack', 'rtcp-compound'];

/** Smallest packet of each kind (RFC 3550 §6.4.1, §6.4.2, §6.5, §6.6; RFC 4585 §6.2.1, §6.3.1). */
const MIN_LENGTH: Record<Kind, number> = {
  'rtp-audio': 12,
  'rtp-video': 20, // + a one-byte header extension (RFC 8285) carrying e.g. the frame marking
  'rtcp-sr': 28,
  'rtcp-rr': 8,
  'rtcp-sdes': 12,
  'rtcp-bye': 8,
  'rtcp-pli': 12,
  'rtcp-nack': 16,
  'rtcp-compound': 20, // RR + SDES
};

function rtcpHeader(p: Uint8Array, off: number, count: number, type: number, length: number): void {
  p[off] = 0x80 | count;
  p[off + 1] = type;
  const words = Math.max(0, Math.floor(length / 4) - 1);
  p[off + 2] = words >> 8;
  p[off + 3] = words & 0xff;
  p.set([0x12, 0x34, 0x56, 0x78], off + 4);
}

function packet(kind: Kind, length: number, seq: number): Uint8Array {
  const p = new Uint8Array(length);
  for (let i = 0; i < length; i++) p[i] = (i * 151 + length) & 0xff;
  if (kind === 'rtp-audio' || kind === 'rtp-video') {
    p[0] = kind === 'rtp-video' ? 0x90 : 0x80;
    p[1] = kind === 'rtp-video' ? 96 : 0;
    p[2] = seq >> 8;
    p[3] = seq & 0xff;
    p.set([0xaa, 0xbb, 0xcc, 0xdd], 8);
    if (kind === 'rtp-video') p.set([0xbe, 0xde, 0, 1, 0x10, 0x80, 0, 0], 12);
    return p;
  }
  const type = { 'rtcp-sr': 200, 'rtcp-rr': 201, 'rtcp-sdes': 202, 'rtcp-bye': 203, 'rtcp-pli': 206, 'rtcp-nack': 205, 'rtcp-compound': 201 }[kind];
  const count = kind === 'rtcp-pli' ? 1 : kind === 'rtcp-nack' ? 1 : kind === 'rtcp-sdes' || kind === 'rtcp-bye' ? 1 : 0;
  if (kind === 'rtcp-compound') {
    rtcpHeader(p, 0, 0, 201, 8);
    rtcpHeader(p, 8, 1, 202, length - 8);
  } else {
    rtcpHeader(p, 0, count, type, length);
  }
  return p;
}

function keysFor(suite: SrtpSuiteName) {
  const prof = protectionProfile(suite);
  return { suite, masterKey: new Uint8Array(prof.keyLength).fill(0x42), masterSalt: new Uint8Array(prof.saltLength).fill(0x24) };
}

function lengthsFor(suite: SrtpSuiteName, kind: Kind): number[] {
  const min = MIN_LENGTH[kind];
  const out: number[] = [];
  const every = suite === 'AES_CM_128_HMAC_SHA1_80' ? 1 : 29;
  for (let n = min; n <= 1500; n += every) out.push(n);
  for (const edge of [min + 1, 60, 61, 62, 63, 64, 1499, 1500]) if (edge >= min && !out.includes(edge)) out.push(edge);
  return out;
}

describe('protect never runs out of room (#3408)', () => {
  for (const suite of SRTP_SUITES) {
    const lengths = suite === 'AES_CM_128_HMAC_SHA1_80' ? 'every length' : 'lengths in steps of 29 and the edges';
    it(`${suite}: every packet kind, ${lengths} to 1500, tailroom 0 and exact fit: protect succeeds, unprotect restores`, () => {
      const tx = new SrtpSession(keysFor(suite));
      const rx = new SrtpSession(keysFor(suite));
      let seq = 0;
      let checked = 0;
      for (const kind of KINDS) {
        const isRtp = kind.startsWith('rtp');
        const trailer = isRtp ? tx.rtpTrailerLength : tx.rtcpTrailerLength;
        for (const length of lengthsFor(suite, kind)) {
          for (const tailroom of [0, trailer]) {
            const plain = packet(kind, length, seq++ & 0xffff);
            const p = PacketBuffer.alloc(length + tailroom);
            p.append(plain);
            if (p.tailroom !== tailroom) throw new Error('test setup: wrong tailroom');
            const err = isRtp ? tx.protectRtp(p) : tx.protectRtcp(p);
            if (err) throw new Error(`${suite} ${kind} len=${length} tailroom=${tailroom}: protect failed: ${err.kind}`);
            if (p.length !== length + trailer) throw new Error(`${suite} ${kind} len=${length}: protected length ${p.length}`);
            const back = isRtp ? rx.unprotectRtp(p) : rx.unprotectRtcp(p);
            if (back) throw new Error(`${suite} ${kind} len=${length} tailroom=${tailroom}: unprotect failed: ${back.kind}`);
            if (p.length !== length) throw new Error(`${suite} ${kind} len=${length}: unprotected length ${p.length}`);
            for (let i = 0; i < length; i++) {
              if (p.bytes[p.start + i] !== plain[i]) throw new Error(`${suite} ${kind} len=${length}: byte ${i} not restored`);
            }
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(suite === 'AES_CM_128_HMAC_SHA1_80' ? 9 * 1400 * 2 : 9 * 45 * 2);
    });
  }
});
