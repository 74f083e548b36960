// RFC test vectors, verbatim from the RFCs (sections cited per test).
import { describe, it, expect } from 'vitest';
import { PortableAesCm } from './aes-cm';
import { AeadAesGcmTransform } from './cipher-aead-aes-gcm';
import { deriveSessionKey, KdfLabel } from './key-derivation';
import { portablePrimitives } from './portable';
import { unprotectRtcp, protectRtcp } from './srtcp';
import { protectRtp, unprotectRtp } from './srtp';
import { contextFor, exactPacket, hex, toHex } from './test-support';
import { PortableHmacSha1 } from './hmac-sha1';

describe('RFC 3711 B.2: AES-CM test vectors', () => {
  // Session Key: 2B7E151628AED2A6ABF7158809CF4F3C, Session Salt: F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000
  // (already shifted), Rollover Counter 0, Sequence Number 0, SSRC 0.
  it('produces the published keystream blocks 0000-0002 and FEFF-FF01', () => {
    const cm = new PortableAesCm(hex('2B7E151628AED2A6ABF7158809CF4F3C'), hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'));
    const keystream = new Uint8Array(0xff02 * 16);
    cm.xorKeystream(0, 0, keystream, 0, keystream.length);
    const block = (n: number) => toHex(keystream.subarray(n * 16, n * 16 + 16)).toUpperCase();
    expect(block(0x0000)).toBe('E03EAD0935C95E80E166B16DD92B4EB4');
    expect(block(0x0001)).toBe('D23513162B02D0F72A43A2FE4A5F97AB');
    expect(block(0x0002)).toBe('41E95B3BB0A2E8DD477901E4FCA894C0');
    expect(block(0xfeff)).toBe('EC8CDF7398607CB0F2D21675EA9EA1E4');
    expect(block(0xff00)).toBe('362B7C3C6773516318A077D7FC5073AE');
    expect(block(0xff01)).toBe('6A2CC3787889374FBEB4C81B17BA6C44');
  });
});

describe('RFC 3711 B.3: key derivation test vectors', () => {
  const masterKey = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const masterSalt = hex('0EC675AD498AFEEBB6960B3AABE6');
  it('derives the cipher key, cipher salt and auth key', () => {
    expect(toHex(deriveSessionKey(masterKey, masterSalt, KdfLabel.rtpEncryption, 16)).toUpperCase()).toBe('C61E7A93744F39EE10734AFE3FF7A087');
    expect(toHex(deriveSessionKey(masterKey, masterSalt, KdfLabel.rtpSalt, 14)).toUpperCase()).toBe('30CBBC08863D8C85D49DB34A9AE1');
    expect(toHex(deriveSessionKey(masterKey, masterSalt, KdfLabel.rtpAuthentication, 94)).toUpperCase()).toBe(
      'CEBE321F6FF7716B6FD4AB49AF256A15' +
        '6D38BAA48F0A0ACF3C34E2359E6CDBCE' +
        'E049646C43D9327AD175578EF7227098' +
        '6371C10C9A369AC2F94A8C5FBCDDDC25' +
        '6D6E919A48B610EF17C2041E47403576' +
        '6B68642C59BBFC2F34DB60DBDFB2',
    );
  });
});

describe('RFC 6188 §7: AES-256 vectors', () => {
  it('§7.1 AES_256_CM keystream', () => {
    const cm = new PortableAesCm(hex('57f82fe3613fd170a85ec93c40b1f0922ec4cb0dc025b58272147cc438944a98'), hex('f0f1f2f3f4f5f6f7f8f9fafbfcfd'));
    const keystream = new Uint8Array(32);
    cm.xorKeystream(0, 0, keystream, 0, 32);
    expect(toHex(keystream)).toBe('92bdd28a93c3f52511c677d08b5515a4' + '9da71b2378a854f67050756ded165bac');
  });
  it('§7.2 AES_256_CM_PRF key derivation', () => {
    const masterKey = hex('f0f04914b513f2763a1b1fa130f10e29' + '98f6f6e43e4309d1e622a0e332b9f1b6');
    const masterSalt = hex('3b04803de51ee7c96423ab5b78d2');
    expect(toHex(deriveSessionKey(masterKey, masterSalt, KdfLabel.rtpEncryption, 32))).toBe('5ba1064e30ec51613cad926c5a28ef73' + '1ec7fb397f70a960653caf06554cd8c4');
    expect(toHex(deriveSessionKey(masterKey, masterSalt, KdfLabel.rtpSalt, 14))).toBe('fa31791685ca444a9e07c6c64e93');
    expect(toHex(deriveSessionKey(masterKey, masterSalt, KdfLabel.rtpAuthentication, 20))).toBe('fd9c32d39ed5fbb5a9dc96b30818454d1313dc05');
  });
});

describe('HMAC-SHA1 (RFC 2202 §3)', () => {
  it('test case 2 and a multi-block message with the 4-byte suffix', () => {
    const mac = new PortableHmacSha1(new TextEncoder().encode('Jefe'));
    const msg = new TextEncoder().encode('what do ya want for nothing?');
    const out = new Uint8Array(20);
    mac.sign(msg, 0, msg.length, -1, out, 0, 20);
    expect(toHex(out)).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    // RFC 2202 test case 6: key = 0xaa x 80, "Test Using Larger Than Block-Size Key - Hash Key First"
    const big = new PortableHmacSha1(new Uint8Array(80).fill(0xaa));
    const m6 = new TextEncoder().encode('Test Using Larger Than Block-Size Key - Hash Key First');
    big.sign(m6, 0, m6.length, -1, out, 0, 20);
    expect(toHex(out)).toBe('aa4ae5e15272d00e95705637ce8a3b55ed402112');
    // Same message split as data + suffix word gives the same MAC.
    const m6a = m6.subarray(0, m6.length - 4);
    const w = (m6[m6.length - 4] << 24) | (m6[m6.length - 3] << 16) | (m6[m6.length - 2] << 8) | m6[m6.length - 1];
    const out2 = new Uint8Array(20);
    big.sign(m6a, 0, m6a.length, w >>> 0, out2, 0, 20);
    expect(toHex(out2)).toBe(toHex(out));
  });
});

// RFC 7714 §16-17 publish session keys (no master key): key 00 01 .. 0f (or .. 1f),
// salt 51756964 2070726f 2071756f ("Quid pro quo").
const KEY_128 = hex('000102030405060708090a0b0c0d0e0f');
const KEY_256 = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const SALT = hex('517569642070726f2071756f');
const RTP_PLAIN = hex(`8040f17b 8041f8d3 5501a0b2 47616c6c
        69612065 7374206f 6d6e6973 20646976
        69736120 696e2070 61727465 73207472
        6573`);
const RTCP_PLAIN = hex(`81c8000d 4d617273 4e545031 4e545032
        52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef
        deadbeef`);

function gcmContext(key: Uint8Array) {
  const keys = { encryptionKey: key, authKey: new Uint8Array(0), salt: SALT };
  return contextFor(new AeadAesGcmTransform(portablePrimitives, keys, keys));
}

describe('RFC 7714 §16.1: SRTP AEAD_AES_128_GCM', () => {
  const encrypted = hex(`8040f17b 8041f8d3 5501a0b2 f24de3a3
        fb34de6c acba861c 9d7e4bca be633bd5
        0d294e6f 42a5f47a 51c7d19b 36de3adf
        8833899d 7f27beb1 6a9152cf 765ee439
        0cce`);
  it('§16.1.1 encryption', () => {
    const p = exactPacket(RTP_PLAIN);
    expect(protectRtp(gcmContext(KEY_128), p)).toBeUndefined();
    expect(toHex(p.payload())).toBe(toHex(encrypted));
  });
  it('§16.1.2 decryption', () => {
    const p = exactPacket(encrypted);
    expect(unprotectRtp(gcmContext(KEY_128), p)).toBeUndefined();
    expect(toHex(p.payload())).toBe(toHex(RTP_PLAIN));
  });
});

describe('RFC 7714 §16.2: SRTP AEAD_AES_256_GCM', () => {
  const encrypted = hex(`8040f17b 8041f8d3 5501a0b2 32b1de78
        a822fe12 ef9f78fa 332e33aa b1801238
        9a58e2f3 b50b2a02 76ffae0f 1ba63799
        b87b7aa3 db36dfff d6b0f9bb 7878d7a7
        6c13`);
  it('§16.2.1 encryption', () => {
    const p = exactPacket(RTP_PLAIN);
    expect(protectRtp(gcmContext(KEY_256), p)).toBeUndefined();
    expect(toHex(p.payload())).toBe(toHex(encrypted));
  });
  it('§16.2.2 decryption', () => {
    const p = exactPacket(encrypted);
    expect(unprotectRtp(gcmContext(KEY_256), p)).toBeUndefined();
    expect(toHex(p.payload())).toBe(toHex(RTP_PLAIN));
  });
});

describe('RFC 7714 §17: SRTCP AEAD', () => {
  it('§17.1 SRTCP AEAD_AES_128_GCM encryption and tagging (SRTCP index 000005d4)', () => {
    const ctx = gcmContext(KEY_128);
    ctx.initialSrtcpIndex.set(0x4d617273, 0x5d4);
    const p = exactPacket(RTCP_PLAIN);
    expect(protectRtcp(ctx, p)).toBeUndefined();
    expect(toHex(p.payload())).toBe(
      toHex(
        hex(`81c8000d 4d617273 63e94885 dcdab67c
        a727d766 2f6b7e99 7ff5c0f7 6c06f32d
        c676a5f1 730d6fda 4ce09b46 86303ded
        0bb9275b c84aa458 96cf4d2f c5abf872
        45d9eade 800005d4`),
      ),
    );
  });
  it('§17.2 SRTCP AEAD_AES_256_GCM verification and decryption', () => {
    const p = exactPacket(
      hex(`81c8000d 4d617273 d50ae4d1 f5ce5d30
        4ba297e4 7d470c28 2c3ece5d bffe0a50
        a2eaa5c1 110555be 8415f658 c61de047
        6f1b6fad 1d1eb30c 4446839f 57ff6f6c
        b26ac3be 800005d4`),
    );
    expect(unprotectRtcp(gcmContext(KEY_256), p)).toBeUndefined();
    expect(toHex(p.payload())).toBe(toHex(RTCP_PLAIN));
  });
  it('§17.3 SRTCP AEAD_AES_128_GCM tagging only (E = 0)', () => {
    const keys = { encryptionKey: KEY_128, authKey: new Uint8Array(0), salt: SALT };
    const ctx = contextFor(new AeadAesGcmTransform(portablePrimitives, keys, keys), { encryptRtcp: false });
    ctx.initialSrtcpIndex.set(0x4d617273, 0x5d4);
    const p = exactPacket(RTCP_PLAIN);
    expect(protectRtcp(ctx, p)).toBeUndefined();
    expect(toHex(p.payload())).toBe(
      toHex(
        hex(`81c8000d 4d617273 4e545031 4e545032
        52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef
        deadbeef 841dd968 3dd78ec9 2ae58790
        125f62b3 000005d4`),
      ),
    );
  });
  it('§17.4 SRTCP AEAD_AES_256_GCM tag verification (E = 0)', () => {
    const p = exactPacket(
      hex(`81c8000d 4d617273 4e545031 4e545032
        52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef
        deadbeef 91db4afb feee5a97 8fab4393
        ed2615fe 000005d4`),
    );
    expect(unprotectRtcp(gcmContext(KEY_256), p)).toBeUndefined();
    expect(toHex(p.payload())).toBe(toHex(RTCP_PLAIN));
  });
});
