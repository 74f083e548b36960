// VP8 payload descriptor (RFC 7741 §4.2) and the VP8 payload header's keyframe bit (§4.3).

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';

export type Vp8ParseError = 'empty' | 'truncated-descriptor' | 'no-payload';

export interface Vp8Descriptor {
  /** N: the frame can be discarded without affecting others. */
  nonReference: boolean;
  /** S: first packet of a VP8 partition. */
  startOfPartition: boolean;
  /** PID: partition index (0-7). */
  partitionIndex: number;
  /** PictureID, -1 when absent (I = 0). */
  pictureId: number;
  /** 7 or 15 (the M bit), 0 when absent. */
  pictureIdBits: number;
  /** TL0PICIDX, -1 when absent. */
  tl0PicIdx: number;
  /** TID, -1 when absent (T = 0). */
  temporalLayerId: number;
  /** Y: layer sync bit (meaningful when TID is present). */
  layerSync: boolean;
  /** KEYIDX, -1 when absent (K = 0). */
  keyIndex: number;
  /** Absolute offset of the VP8 payload behind the descriptor. */
  payloadStart: number;
}

export function createVp8Descriptor(): Vp8Descriptor {
  return {
    nonReference: false,
    startOfPartition: false,
    partitionIndex: 0,
    pictureId: -1,
    pictureIdBits: 0,
    tl0PicIdx: -1,
    temporalLayerId: -1,
    layerSync: false,
    keyIndex: -1,
    payloadStart: 0,
  };
}

/** Parses the descriptor at the start of an RTP payload `bytes[start, end)`. */
export function parseVp8Descriptor(bytes: Uint8Array, start: number, end: number, out: Vp8Descriptor): Vp8ParseError | undefined {
  if (start < 0 || end > bytes.length || end - start < 1) return 'empty';
  const b0 = bytes[start];
  out.nonReference = (b0 & 0x20) !== 0;
  out.startOfPartition = (b0 & 0x10) !== 0;
  out.partitionIndex = b0 & 0x07;
  out.pictureId = -1;
  out.pictureIdBits = 0;
  out.tl0PicIdx = -1;
  out.temporalLayerId = -1;
  out.layerSync = false;
  out.keyIndex = -1;
  let pos = start + 1;
  if (b0 & 0x80) {
    if (pos >= end) return 'truncated-descriptor';
    const x = bytes[pos++];
    if (x & 0x80) {
      if (pos >= end) return 'truncated-descriptor';
      if (bytes[pos] & 0x80) {
        if (pos + 2 > end) return 'truncated-descriptor';
        out.pictureId = ((bytes[pos] & 0x7f) << 8) | bytes[pos + 1];
        out.pictureIdBits = 15;
        pos += 2;
      } else {
        out.pictureId = bytes[pos] & 0x7f;
        out.pictureIdBits = 7;
        pos += 1;
      }
    }
    if (x & 0x40) {
      if (pos >= end) return 'truncated-descriptor';
      out.tl0PicIdx = bytes[pos++];
    }
    // T and K share one octet (§4.2): present when either is set.
    if (x & 0x30) {
      if (pos >= end) return 'truncated-descriptor';
      const tk = bytes[pos++];
      if (x & 0x20) {
        out.temporalLayerId = tk >> 6;
        out.layerSync = (tk & 0x20) !== 0;
      }
      if (x & 0x10) out.keyIndex = tk & 0x1f;
    }
  }
  if (pos >= end) return 'no-payload';
  out.payloadStart = pos;
  return undefined;
}

/**
 * True when this packet starts a key frame: the start of partition 0 and the VP8 payload header's
 * P bit (inverse key frame flag, RFC 7741 §4.3 / RFC 6386 §9.1) is 0.
 */
export function isVp8KeyframeStart(bytes: Uint8Array, d: Vp8Descriptor): boolean {
  return d.startOfPartition && d.partitionIndex === 0 && (bytes[d.payloadStart] & 0x01) === 0;
}

/** True when a whole VP8 frame (RFC 6386 §9.1 frame tag) is a key frame. */
export function isVp8KeyframeData(bytes: Uint8Array, start: number, end: number): boolean {
  return end > start && (bytes[start] & 0x01) === 0;
}

/** Fields the writer takes; a Vp8Descriptor satisfies it. */
export type Vp8DescriptorFields = Omit<Vp8Descriptor, 'payloadStart'>;

export function vp8DescriptorLength(d: Vp8DescriptorFields): number {
  const i = d.pictureId >= 0 ? (d.pictureIdBits === 15 ? 2 : 1) : 0;
  const l = d.tl0PicIdx >= 0 ? 1 : 0;
  const tk = d.temporalLayerId >= 0 || d.keyIndex >= 0 ? 1 : 0;
  return 1 + (i + l + tk > 0 ? 1 + i + l + tk : 0);
}

/** Appends the descriptor at `p.end`. */
export function writeVp8Descriptor(p: PacketBuffer, d: Vp8DescriptorFields): PacketBufferError | undefined {
  const length = vp8DescriptorLength(d);
  const err = p.ensureTailroom(length);
  if (err) return err;
  const b = p.bytes;
  let pos = p.end;
  const extended = length > 1;
  b[pos++] = (extended ? 0x80 : 0) | (d.nonReference ? 0x20 : 0) | (d.startOfPartition ? 0x10 : 0) | (d.partitionIndex & 0x07);
  if (extended) {
    const hasI = d.pictureId >= 0;
    const hasL = d.tl0PicIdx >= 0;
    const hasT = d.temporalLayerId >= 0;
    const hasK = d.keyIndex >= 0;
    b[pos++] = (hasI ? 0x80 : 0) | (hasL ? 0x40 : 0) | (hasT ? 0x20 : 0) | (hasK ? 0x10 : 0);
    if (hasI) {
      if (d.pictureIdBits === 15) {
        b[pos++] = 0x80 | ((d.pictureId >> 8) & 0x7f);
        b[pos++] = d.pictureId & 0xff;
      } else {
        b[pos++] = d.pictureId & 0x7f;
      }
    }
    if (hasL) b[pos++] = d.tl0PicIdx & 0xff;
    if (hasT || hasK) {
      b[pos++] = (hasT ? (d.temporalLayerId & 0x03) << 6 : 0) | (hasT && d.layerSync ? 0x20 : 0) | (hasK ? d.keyIndex & 0x1f : 0);
    }
  }
  p.end = pos;
  return undefined;
}
