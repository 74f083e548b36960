// Cross-check against libsrtp 2 (Debian libsrtp2-dev): for every suite, libsrtp and Vouch protect
// the same packets with the same master key and must produce identical bytes, and each side
// unprotects what the other protected.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPeer } from '../peers';
import { PacketBuffer } from '../../../src/crypto/packet-buffer';
import { protectionProfile, SRTP_SUITES, SrtpSession, type SrtpPrimitives, type SrtpSuiteName } from '../../../src/crypto/srtp';
import { nodeSrtpPrimitives } from '../../../src/main/media/srtp-node';

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = join(here, '..', '.build');
const helper = join(buildDir, 'srtp-helper');
const gcc = findPeer('gcc', 'gcc');
const hasLibsrtp = existsSync('/usr/include/srtp2/srtp.h') || process.env.CI === 'true';
if (!hasLibsrtp) console.warn("skipping: libsrtp2 headers not found: install it with 'apt-get install libsrtp2-dev'");

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function libsrtp(suite: SrtpSuiteName, op: 'protect' | 'unprotect', kind: 'rtp' | 'rtcp', key: Uint8Array, packets: Uint8Array[], srtcpTag: number, mki?: Uint8Array): string[] {
  const args = [suite, op, kind, toHex(key), String(srtcpTag)];
  if (mki) args.push(toHex(mki));
  const r = spawnSync(helper, args, { input: packets.map(toHex).join('\n') + '\n', encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`srtp-helper failed: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

/** RTP packets crossing the sequence number wrap, with CSRCs and header extensions mixed in. */
function rtpPackets(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < 24; i++) {
    const seq = (65525 + i) & 0xffff;
    const csrc = i % 5 === 1 ? 2 : 0;
    const ext = i % 4 === 2 ? 1 : 0;
    const payload = (i * 37) % 200;
    const header = 12 + 4 * csrc + (ext ? 8 : 0);
    const p = new Uint8Array(header + payload);
    p[0] = 0x80 | (ext ? 0x10 : 0) | csrc;
    p[1] = 96;
    p[2] = seq >> 8;
    p[3] = seq & 0xff;
    p.set([0, 0, 0x10, i], 4);
    p.set([0xca, 0xfe, 0xba, 0xbe], 8);
    if (ext) p.set([0xbe, 0xde, 0, 1, 0x10, 0xaa, 0, 0], 12 + 4 * csrc);
    for (let j = header; j < p.length; j++) p[j] = (j * 13 + i) & 0xff;
    out.push(p);
  }
  return out;
}

function rtcpPackets(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < 8; i++) {
    const words = 6 + i;
    const p = new Uint8Array(4 * (words + 1));
    p.set([0x80, 200, 0, words, 0xca, 0xfe, 0xba, 0xbe]);
    for (let j = 8; j < p.length; j++) p[j] = (j * 7 + i) & 0xff;
    out.push(p);
  }
  return out;
}

function masterKeyFor(suite: SrtpSuiteName): { key: Uint8Array; salt: Uint8Array } {
  const prof = protectionProfile(suite);
  const key = Uint8Array.from({ length: prof.keyLength }, (_, i) => (i * 11 + 3) & 0xff);
  const salt = Uint8Array.from({ length: prof.saltLength }, (_, i) => (i * 29 + 7) & 0xff);
  return { key, salt };
}

function vouch(session: SrtpSession, op: 'protect' | 'unprotect', kind: 'rtp' | 'rtcp', packets: Uint8Array[]): string[] {
  return packets.map((bytes) => {
    const p = PacketBuffer.alloc(bytes.length);
    p.append(bytes);
    const err =
      kind === 'rtp'
        ? op === 'protect' ? session.protectRtp(p) : session.unprotectRtp(p)
        : op === 'protect' ? session.protectRtcp(p) : session.unprotectRtcp(p);
    return err ? `ERR ${err.kind}` : toHex(p.payload());
  });
}

const cases: { suite: SrtpSuiteName; srtcpTag: number; mki?: Uint8Array }[] = [
  ...SRTP_SUITES.map((suite) => ({ suite, srtcpTag: protectionProfile(suite).rtcpTagLength })),
  { suite: 'AES_CM_128_HMAC_SHA1_32', srtcpTag: 4 },
  { suite: 'AES_256_CM_HMAC_SHA1_32', srtcpTag: 4 },
  { suite: 'AES_CM_128_HMAC_SHA1_80', srtcpTag: 10, mki: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) },
  { suite: 'AEAD_AES_128_GCM', srtcpTag: 16, mki: Uint8Array.of(0x01, 0x02) },
];

describe.skipIf(!gcc || !hasLibsrtp)('libsrtp 2 cross-check', () => {
  beforeAll(() => {
    mkdirSync(buildDir, { recursive: true });
    execFileSync(gcc!, ['-O2', '-o', helper, join(here, 'srtp-helper.c'), '-lsrtp2'], { stdio: 'pipe' });
  });

  // The portable primitives and the node:crypto ones the media worker runs (issue 23).
  const primitiveSets: [string, SrtpPrimitives | undefined][] = [
    ['', undefined],
    ['node:crypto ', nodeSrtpPrimitives],
  ];
  const runs = primitiveSets.flatMap(([impl, primitives]) => cases.map((c) => ({ ...c, impl, primitives })));
  for (const { impl, primitives, suite, srtcpTag, mki } of runs) {
    const label = `${impl}${suite} (SRTCP tag ${srtcpTag * 8} bits${mki ? ', MKI' : ''})`;
    it(`${label}: RTP byte-identical both ways, across the ROC wrap`, () => {
      const { key, salt } = masterKeyFor(suite);
      const master = new Uint8Array([...key, ...salt]);
      const plain = rtpPackets();
      const opts = { suite, masterKey: key, masterSalt: salt, srtcpTagLength: srtcpTag, mki, primitives };
      const ours = vouch(new SrtpSession(opts), 'protect', 'rtp', plain);
      const theirs = libsrtp(suite, 'protect', 'rtp', master, plain, srtcpTag, mki);
      expect(ours).toEqual(theirs);
      expect(libsrtp(suite, 'unprotect', 'rtp', master, ours.map((h) => Buffer.from(h, 'hex')), srtcpTag, mki)).toEqual(plain.map(toHex));
      expect(vouch(new SrtpSession(opts), 'unprotect', 'rtp', theirs.map((h) => Buffer.from(h, 'hex')))).toEqual(plain.map(toHex));
    });

    it(`${label}: RTCP byte-identical both ways`, () => {
      const { key, salt } = masterKeyFor(suite);
      const master = new Uint8Array([...key, ...salt]);
      const plain = rtcpPackets();
      const opts = { suite, masterKey: key, masterSalt: salt, srtcpTagLength: srtcpTag, mki, primitives };
      const sender = new SrtpSession(opts);
      // libsrtp numbers its first SRTCP packet 1 (it increments before use).
      sender.setSrtcpIndex(0xcafebabe, 1);
      const ours = vouch(sender, 'protect', 'rtcp', plain);
      const theirs = libsrtp(suite, 'protect', 'rtcp', master, plain, srtcpTag, mki);
      expect(ours).toEqual(theirs);
      expect(libsrtp(suite, 'unprotect', 'rtcp', master, ours.map((h) => Buffer.from(h, 'hex')), srtcpTag, mki)).toEqual(plain.map(toHex));
      expect(vouch(new SrtpSession(opts), 'unprotect', 'rtcp', theirs.map((h) => Buffer.from(h, 'hex')))).toEqual(plain.map(toHex));
    });
  }
});
