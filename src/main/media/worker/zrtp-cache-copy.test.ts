import { describe, it, expect } from 'vitest';
import { WorkerZrtpCache } from './zrtp-cache-copy';

const zid = new Uint8Array(12).fill(1);
const secret = (v: number) => new Uint8Array(32).fill(v);
const isZero = (b: Uint8Array) => b.every((x) => x === 0);

describe("the worker's copy of the ZRTP cache", () => {
  it('posts every update to main, wipes the secret a new entry drops, and wipes all at clear', () => {
    const posted: { rs1?: string; rs2?: string }[] = [];
    const cache = new WorkerZrtpCache({}, (_zid, e) => posted.push(e));
    const [a, b, c] = [secret(0xa), secret(0xb), secret(0xc)];
    cache.set(zid, { rs1: a, rs2: b, verified: false });
    // A new rs1: the old rs1 becomes rs2 (RFC 6189 §4.6.1) and the old rs2 is gone for good.
    cache.set(zid, { rs1: c, rs2: a, verified: false });
    expect(isZero(b)).toBe(true);
    expect(isZero(a) || isZero(c)).toBe(false);
    expect(posted.at(-1)).toMatchObject({ rs1: '0c'.repeat(32), rs2: '0a'.repeat(32) });
    cache.clear();
    expect(isZero(a) && isZero(c)).toBe(true);
    expect(cache.get(zid)).toBeUndefined();
  });
});
