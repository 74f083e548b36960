// Small lexical helpers shared by the line and attribute parsers (RFC 8866 §9 grammar).

/** RFC 8866 §9 `token-char`: printable ASCII except SP and the separators below. */
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;

export function isToken(s: string): boolean {
  return TOKEN.test(s);
}

/**
 * A decimal integer without sign or leading zeros (so formatting it gives back the same text),
 * at most `max`. Returns undefined otherwise.
 */
export function parseDecimal(s: string, max: number): number | undefined {
  if (s.length === 0 || s.length > 16 || !/^(0|[1-9][0-9]*)$/.test(s)) return undefined;
  const n = Number(s);
  return n <= max ? n : undefined;
}

/** Same as parseDecimal for 64-bit values (o= sess-version). */
export function parseDecimalBig(s: string, maxDigits = 20): bigint | undefined {
  if (s.length === 0 || s.length > maxDigits || !/^(0|[1-9][0-9]*)$/.test(s)) return undefined;
  return BigInt(s);
}

export const MAX_PORT = 65_535;
export const MAX_PAYLOAD_TYPE = 127;

/** Splits on single spaces; returns undefined if there are empty fields (double or edge spaces). */
export function splitStrict(s: string, sep = ' '): string[] | undefined {
  const parts = s.split(sep);
  return parts.some((p) => p.length === 0) ? undefined : parts;
}
