// Whether an Opus packet carries in-band FEC for the frame before it: the LBRR flag of its first
// frame's SILK layer (RFC 6716 §4.2.3–§4.2.4). A receiver that lost packet N hands packet N+1 to
// the decoder with decode_fec only when this says there is something to decode; otherwise the
// decoder would conceal instead, and counting that as an FEC recovery would be wrong.
//
// The flags are the first range-coded symbols of the frame, each a bit with probability 1/2
// (§4.2.3: the VAD flags of each SILK frame, then the LBRR flag, per channel), so a range decoder
// reading two or three symbols (§4.1.1 init and normalisation, §4.1.3.1 ec_dec_bit_logp) is all
// this needs.

export type OpusLbrrResult = boolean | 'malformed';

/** SILK frames (20 ms each, or one of 10 ms) in one Opus frame of TOC configuration `config` (§3.1 Table 2, §4.2.2). */
function silkFramesPerOpusFrame(config: number): number {
  if (config >= 12) return 1; // hybrid: 10 or 20 ms
  const size = config & 3; // SILK-only: 10, 20, 40, 60 ms
  return size <= 1 ? 1 : size; // 40 ms → 2, 60 ms → 3
}

/**
 * Where the first Opus frame of the packet `p` starts and ends (§3.2: frame packing codes 0–3),
 * or null for a malformed packet.
 */
function firstFrame(p: Uint8Array): [number, number] | null {
  const code = p[0] & 3;
  if (code === 0) return [1, p.length];
  if (code === 1) {
    const size = (p.length - 1) / 2;
    return Number.isInteger(size) ? [1, 1 + size] : null;
  }
  if (code === 2) {
    const len = frameLength(p, 1);
    if (!len) return null;
    const start = 1 + len[1];
    return start + len[0] <= p.length ? [start, start + len[0]] : null;
  }
  if (p.length < 2) return null;
  const count = p[1] & 0x3f;
  const vbr = (p[1] & 0x80) !== 0;
  const padded = (p[1] & 0x40) !== 0;
  if (count === 0) return null;
  let at = 2;
  let padding = 0;
  if (padded) {
    // §3.2.5: each 255 adds 254 bytes and says another length byte follows.
    while (true) {
      if (at >= p.length) return null;
      const b = p[at++];
      padding += b === 255 ? 254 : b;
      if (b !== 255) break;
    }
  }
  const dataEnd = p.length - padding;
  if (vbr) {
    const len = frameLength(p, at);
    if (!len) return null;
    // The other frames' lengths follow the first's; the first frame starts after all of them.
    let lengthsEnd = at + len[1];
    for (let i = 1; i < count - 1; i++) {
      const l = frameLength(p, lengthsEnd);
      if (!l) return null;
      lengthsEnd += l[1];
    }
    return lengthsEnd + len[0] <= dataEnd ? [lengthsEnd, lengthsEnd + len[0]] : null;
  }
  const size = (dataEnd - at) / count;
  return Number.isInteger(size) && size >= 0 ? [at, at + size] : null;
}

/** §3.2.1: a frame length of one or two bytes at `at`; [length, bytes used], or null past the end. */
function frameLength(p: Uint8Array, at: number): [number, number] | null {
  if (at >= p.length) return null;
  const b = p[at];
  if (b < 252) return [b, 1];
  if (at + 1 >= p.length) return null;
  return [p[at + 1] * 4 + b, 2];
}

/** The range decoder of §4.1, just far enough for equiprobable bits. */
class RangeBits {
  private rng = 128;
  private val: number;
  private rem: number;
  private at: number;

  constructor(
    private readonly p: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.at = start;
    this.rem = this.byte();
    this.val = this.rng - 1 - (this.rem >> 1);
    this.normalize();
  }

  /** ec_dec_bit_logp(1): a bit with probability 1/2 of being 1. */
  bit(): boolean {
    const s = Math.floor(this.rng / 2);
    const one = this.val < s;
    if (!one) this.val -= s;
    this.rng = one ? s : this.rng - s;
    this.normalize();
    return one;
  }

  private byte(): number {
    return this.at < this.end ? this.p[this.at++] : 0;
  }

  private normalize(): void {
    while (this.rng <= 1 << 23) {
      this.rng *= 256;
      const sym = ((this.rem << 8) | (this.rem = this.byte())) >> 1;
      this.val = (this.val * 256 + (255 & ~sym)) % 2 ** 31;
    }
  }
}

/**
 * Whether packet `p`'s first frame carries LBRR (FEC) data for the frame before the packet:
 * false for CELT-only packets (no SILK layer) and empty frames (DTX), 'malformed' for what no
 * encoder sends.
 */
export function opusPacketHasLbrr(p: Uint8Array): OpusLbrrResult {
  if (p.length === 0) return 'malformed';
  const config = p[0] >> 3;
  if (config >= 16) return false;
  const frame = firstFrame(p);
  if (!frame) return 'malformed';
  const [start, end] = frame;
  if (end - start < 2) return false;
  const bits = new RangeBits(p, start, end);
  const vadFlags = silkFramesPerOpusFrame(config);
  const channels = (p[0] & 4) !== 0 ? 2 : 1;
  let lbrr = false;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < vadFlags; i++) bits.bit();
    if (bits.bit()) lbrr = true;
  }
  return lbrr;
}
