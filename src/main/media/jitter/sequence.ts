// Unwrapping 16-bit RTP sequence numbers and 32-bit timestamps against a reference: the value
// nearest to the reference wins (RFC 3550 §5.1 arithmetic modulo 2^16 / 2^32).

/** Extended sequence number of `seq` nearest to the extended reference `ref`. */
export function unwrapSequence(seq: number, ref: number): number {
  const delta = ((seq - ref) << 16) >> 16;
  return ref + delta;
}

/** Extended timestamp of `ts` nearest to the extended reference `ref`. */
export function unwrapTimestamp(ts: number, ref: number): number {
  const delta = (ts - ref) | 0;
  return ref + delta;
}
