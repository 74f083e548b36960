// 32-bit access to packet bytes. Byte-wise loops over a Uint8Array on a resizable ArrayBuffer are
// about 3x slower than over a plain one on Node 20's V8, so the hot loops read and write whole
// little-endian words through an Int32Array over the same memory when the data is 4-byte aligned.
// One view is made per backing buffer and kept (a pooled packet reuses it: no allocation per packet).

export const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

const views = new WeakMap<ArrayBufferLike, Int32Array>();

/** An Int32Array over data's whole buffer, or undefined when words cannot be used. */
export function int32View(data: Uint8Array): Int32Array | undefined {
  if (!LITTLE_ENDIAN || (data.byteOffset & 3) !== 0) return undefined;
  const buf = data.buffer;
  let v = views.get(buf);
  // Fixed-length views (a length-tracking Int32Array needs a byte length divisible by 4); a view
  // is replaced only when its buffer grew, which a pooled packet does rarely.
  if (!v || v.length !== buf.byteLength >>> 2) {
    v = new Int32Array(buf, 0, buf.byteLength >>> 2);
    views.set(buf, v);
  }
  return v;
}

/** Byte-swaps a 32-bit word (big-endian value <-> little-endian memory word). */
export function bswap32(x: number): number {
  return (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}
