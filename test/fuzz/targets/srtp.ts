// SRTP and SRTCP unprotect (RFC 3711 §3.3, §3.4; RFC 7714 AES-GCM) under a fixed master key: the
// header walk, index estimation, MKI and tag checks a peer's packets reach before authentication.
// A new session per input keeps runs repeatable (no replay-window state carried over).
import type { FuzzTarget } from '../engine';
import { PacketBuffer } from '../../../src/crypto/packet-buffer';
import { SrtpSession } from '../../../src/crypto/srtp/session';
import type { SrtpSessionOptions } from '../../../src/crypto/srtp/session';

const masterKey = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
const masterSalt = Uint8Array.from({ length: 14 }, (_, i) => 0xa0 + i);
const suites: SrtpSessionOptions[] = [
  { suite: 'AES_CM_128_HMAC_SHA1_80', masterKey, masterSalt },
  { suite: 'AES_CM_128_HMAC_SHA1_32', masterKey, masterSalt, mki: Uint8Array.of(0, 0, 0, 1) },
  { suite: 'AEAD_AES_128_GCM', masterKey, masterSalt: masterSalt.subarray(0, 12) },
];

export const target: FuzzTarget = {
  name: 'srtp',
  sources: ['src/crypto/srtp/', 'src/crypto/packet-buffer.ts'],
  dictionary: ['\x80', '\x90', '\xa0', '\x80\xc8', '\x81\xc9', '\x80\x00\x00\x01', '\xbe\xde', '\x00\x00\x00\x01', '\xff\xff\xff\xff'],
  maxLength: 1500,
  run(input) {
    if (input.length === 0) return;
    // The first byte picks the suite, the rest is the packet.
    const opts = suites[input[0] % suites.length];
    const packet = input.subarray(1);
    const session = new SrtpSession(opts);
    for (const rtcp of [false, true]) {
      const p = PacketBuffer.from(packet);
      if (!(p instanceof PacketBuffer)) continue;
      if (rtcp) session.unprotectRtcp(p);
      else session.unprotectRtp(p);
    }
  },
};
