// Rollover counter estimation (RFC 3711 §3.3.1 and Appendix A).

/**
 * The packet index a receiver infers for sequence number `seq`, given its rollover counter `roc`
 * and highest sequence number `sl` (Appendix A). It can be negative (a late packet from before the
 * first ROC) or reach 2^48 (past the last ROC): callers reject both.
 */
export function estimateIndex(roc: number, sl: number, seq: number): number {
  let v = roc;
  if (sl < 0x8000) {
    if (seq - sl > 0x8000) v = roc - 1;
  } else if (sl - 0x8000 > seq) {
    v = roc + 1;
  }
  return v * 0x10000 + seq;
}

/** ROC part of a 48-bit packet index. */
export function rocOf(index: number): number {
  return Math.floor(index / 0x10000);
}

/** 2^48: the first SRTP index that does not exist (RFC 3711 §3.3.1). */
export const SRTP_INDEX_LIMIT = 0x1000000000000;
/** 2^31: the first SRTCP index that does not exist (RFC 3711 §3.4). */
export const SRTCP_INDEX_LIMIT = 0x80000000;
