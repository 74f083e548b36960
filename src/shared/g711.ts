// G.711 (ITU-T Rec. G.711, 11/88): 8-bit companded PCM at 8 kHz, mu-law (PCMU) and A-law (PCMA).
// Runs anywhere (renderer, CLI sources, tests): WebCodecs cannot encode it. Decoding is one table
// look-up; encoding computes the segment, which is cheap enough for 8000 samples per second.

/** mu-law: bias added before finding the segment, so the segment boundaries fall on powers of 2. */
const MU_LAW_BIAS = 0x84;
/** Largest magnitude mu-law can represent once the bias is added (8159 << 2 + bias headroom). */
const MU_LAW_CLIP = 32635;

function buildMuLawDecodeTable(): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff;
    const t = (((u & 0x0f) << 3) + MU_LAW_BIAS) << ((u & 0x70) >> 4);
    table[i] = u & 0x80 ? MU_LAW_BIAS - t : t - MU_LAW_BIAS;
  }
  return table;
}

function buildALawDecodeTable(): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    // A-law inverts the even bits on the wire (G.711 Table 1a/1b, "character signal").
    const a = i ^ 0x55;
    const segment = (a & 0x70) >> 4;
    let t = (a & 0x0f) << 4;
    t = segment === 0 ? t + 8 : (t + 0x108) << (segment - 1);
    table[i] = a & 0x80 ? t : -t;
  }
  return table;
}

const MU_LAW_DECODE = buildMuLawDecodeTable();
const A_LAW_DECODE = buildALawDecodeTable();

/** Segment (exponent) of a 15-bit magnitude: the position of its highest set bit above bit 7. */
function segmentOf(magnitude: number, firstBoundary: number): number {
  let segment = 0;
  let boundary = firstBoundary;
  while (segment < 7 && magnitude > boundary) {
    segment++;
    boundary = boundary * 2 + 1;
  }
  return segment;
}

/** One 16-bit linear sample to a mu-law byte. */
export function linearToMuLaw(sample: number): number {
  let s = sample | 0;
  let sign = 0;
  if (s < 0) {
    s = -s;
    sign = 0x80;
  }
  if (s > MU_LAW_CLIP) s = MU_LAW_CLIP;
  s += MU_LAW_BIAS;
  const segment = segmentOf(s, 0xff);
  const mantissa = (s >> (segment + 3)) & 0x0f;
  return ~(sign | (segment << 4) | mantissa) & 0xff;
}

/** One mu-law byte to a 16-bit linear sample. */
export function muLawToLinear(byte: number): number {
  return MU_LAW_DECODE[byte & 0xff];
}

/** One 16-bit linear sample to an A-law byte. */
export function linearToALaw(sample: number): number {
  let s = sample | 0;
  let sign = 0x80;
  if (s < 0) {
    // A-law is sign-magnitude on a 13-bit scale; -1 and 0 land on the same code either side.
    s = -s - 1;
    sign = 0;
  }
  if (s > 32767) s = 32767;
  s >>= 3;
  const segment = segmentOf(s, 0x1f);
  const mantissa = segment === 0 ? (s >> 1) & 0x0f : (s >> segment) & 0x0f;
  return (sign | (segment << 4) | mantissa) ^ 0x55;
}

/** One A-law byte to a 16-bit linear sample. */
export function aLawToLinear(byte: number): number {
  return A_LAW_DECODE[byte & 0xff];
}

/** The two G.711 laws by their RTP names (RFC 3551 §4.5.14: PT 0 is PCMU, PT 8 is PCMA). */
export type G711Law = 'PCMU' | 'PCMA';

/** Encodes with the law named by the payload format. */
export function encodeG711(
  law: G711Law,
  pcm: Int16Array,
  out: Uint8Array,
  count = pcm.length,
  pcmOffset = 0,
  outOffset = 0,
): void {
  const encode = law === 'PCMU' ? linearToMuLaw : linearToALaw;
  for (let i = 0; i < count; i++) out[outOffset + i] = encode(pcm[pcmOffset + i]);
}

/** Decodes with the law named by the payload format. */
export function decodeG711(
  law: G711Law,
  g711: Uint8Array,
  pcm: Int16Array,
  count = g711.length,
  g711Offset = 0,
  pcmOffset = 0,
): void {
  const table = law === 'PCMU' ? MU_LAW_DECODE : A_LAW_DECODE;
  for (let i = 0; i < count; i++) pcm[pcmOffset + i] = table[g711[g711Offset + i]];
}
