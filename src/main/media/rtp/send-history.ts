// Recently sent RTP packets, kept for NACK retransmission (RFC 4585 §6.2.1). Fixed memory: one
// slab of `capacity` slots of `slotSize` bytes, indexed by sequence number modulo capacity, so
// storing a packet never allocates and an old packet is simply overwritten.

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { copyBytes, readU16 } from './bytes';

export interface RtpSendHistoryOptions {
  /** Packets kept (a power of two keeps the modulo cheap); 512 is ~1.7 s of 300 packets/s video. */
  capacity?: number;
  /** Largest packet kept; larger ones are counted in `oversized` and not stored. */
  slotSize?: number;
}

export class RtpSendHistory {
  readonly capacity: number;
  readonly slotSize: number;
  /** Packets that did not fit a slot. */
  oversized = 0;
  private readonly slab: Uint8Array;
  private readonly lengths: Int32Array;
  /** Sequence number held by each slot, -1 when empty. */
  private readonly seqs: Int32Array;

  constructor(opts: RtpSendHistoryOptions = {}) {
    this.capacity = opts.capacity ?? 512;
    this.slotSize = opts.slotSize ?? 1500;
    this.slab = new Uint8Array(this.capacity * this.slotSize);
    this.lengths = new Int32Array(this.capacity);
    this.seqs = new Int32Array(this.capacity).fill(-1);
  }

  /** Keeps a copy of the plain RTP packet `bytes[start, end)` (sequence number read from it). */
  store(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (length < 12 || end > bytes.length) return false;
    if (length > this.slotSize) {
      this.oversized++;
      return false;
    }
    const seq = readU16(bytes, start + 2);
    const slot = seq % this.capacity;
    copyBytes(bytes, start, end, this.slab, slot * this.slotSize);
    this.lengths[slot] = length;
    this.seqs[slot] = seq;
    return true;
  }

  has(sequenceNumber: number): boolean {
    return this.seqs[(sequenceNumber & 0xffff) % this.capacity] === (sequenceNumber & 0xffff);
  }

  /**
   * Replaces `p`'s payload with the stored packet. Returns false when it is no longer (or never
   * was) in the history.
   */
  copyTo(sequenceNumber: number, p: PacketBuffer): boolean | PacketBufferError {
    const seq = sequenceNumber & 0xffff;
    const slot = seq % this.capacity;
    if (this.seqs[slot] !== seq) return false;
    p.reset();
    const err = p.setLength(this.lengths[slot]);
    if (err) return err;
    const from = slot * this.slotSize;
    copyBytes(this.slab, from, from + this.lengths[slot], p.bytes, p.start);
    return true;
  }
}
