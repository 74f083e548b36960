// Rollover counter estimation (RFC 3711 §3.3.1 and Appendix A).

/**
 * The packet index a receiver infers for sequence number `seq`, given its rollover counter `roc`
 * and highest sequence number `sl` (Appendix A). While the ROC is 0 there is no earlier ROC to
 * guess, so a jump of more than 2^15 forward stays in ROC 0 (as libsrtp does). The result can reach
 * 2^48 (past the last ROC): callers reject that.
 */
export function estimateIndex(roc: number, sl: number, seq: number): number {
  let v = roc;
  if (sl < 0x8000) {
    if (seq - sl > 0x8000 && roc > 0) v = roc - 1;
  } else if (sl - 0x8000 > seq) {
    v = roc + 1;
  }
  return v * 0x10000 + seq;
}

/** ROC part of a 48-bit packet index (an integer result, so V8 keeps it unboxed). */
export function rocOf(index: number): number {
  return (index / 0x10000) >>> 0;
}

/** 2^48: the first SRTP index that does not exist (RFC 3711 §3.3.1). */
export const SRTP_INDEX_LIMIT = 0x1000000000000;
/** 2^31: the first SRTCP index that does not exist (RFC 3711 §3.4). */
export const SRTCP_INDEX_LIMIT = 0x80000000;
