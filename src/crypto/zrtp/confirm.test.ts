import { describe, it, expect } from 'vitest';
import { openConfirm, sealConfirm, CACHE_FOREVER } from './confirm';
import { HASH_SUITES } from './algorithms';
import { portableZrtpPrimitives as portable } from './portable';

const suite = HASH_SUITES.S256;
const zrtpKey = new Uint8Array(16).fill(1);
const macKey = new Uint8Array(32).fill(2);
const iv = new Uint8Array(16).fill(3);
const h0 = new Uint8Array(32).fill(4);

describe('Confirm encryption (RFC 6189 §5.7)', () => {
  it('round-trips H0, the E/V/A/D flags and the cache expiration', () => {
    const body = { h0, flags: { enrollment: false, verified: true, allowClear: false, disclosure: true }, cacheExpiration: CACHE_FOREVER };
    const sealed = sealConfirm(portable, suite, zrtpKey, macKey, iv, body);
    expect(sealed.encrypted).toHaveLength(40);
    expect(sealed.encrypted.slice(0, 32)).not.toEqual(h0);
    expect(openConfirm(portable, suite, zrtpKey, macKey, sealed.confirmMac, iv, sealed.encrypted)).toEqual({ ok: true, body });
  });

  it('rejects a wrong MAC key or a changed ciphertext before decrypting', () => {
    const body = { h0, flags: { enrollment: false, verified: false, allowClear: false, disclosure: false }, cacheExpiration: 0 };
    const sealed = sealConfirm(portable, suite, zrtpKey, macKey, iv, body);
    expect(openConfirm(portable, suite, zrtpKey, new Uint8Array(32), sealed.confirmMac, iv, sealed.encrypted)).toEqual({ ok: false, error: 'bad-mac' });
    const changed = sealed.encrypted.slice();
    changed[39] ^= 1;
    expect(openConfirm(portable, suite, zrtpKey, macKey, sealed.confirmMac, iv, changed)).toEqual({ ok: false, error: 'bad-mac' });
  });

  it('a changed IV (not covered by confirm_mac) yields a different H0, caught by the hash chain', () => {
    const body = { h0, flags: { enrollment: false, verified: false, allowClear: false, disclosure: false }, cacheExpiration: 0 };
    const sealed = sealConfirm(portable, suite, zrtpKey, macKey, iv, body);
    const otherIv = iv.slice();
    otherIv[0] ^= 1;
    const opened = openConfirm(portable, suite, zrtpKey, macKey, sealed.confirmMac, otherIv, sealed.encrypted);
    expect(opened.ok && opened.body.h0).not.toEqual(h0);
  });
});
