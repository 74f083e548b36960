// Splits one VP8 frame into RTP payloads (RFC 7741 §4.1, §4.2): a descriptor with a 15-bit
// PictureID on every packet, S=1 on the first, partition index 0 throughout (we do not split at
// partition boundaries, which §4.4 allows), the marker on the last.

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { copyBytes } from '../rtp/bytes';
import { createVp8Descriptor, vp8DescriptorLength, writeVp8Descriptor } from './vp8-descriptor';

/** RTP payload budget: a 1200-byte packet minus the 12-byte RTP header. */
export const DEFAULT_VP8_MAX_PAYLOAD = 1200 - 12;

export class Vp8Packetizer {
  readonly maxPayloadSize: number;
  private readonly descriptor = createVp8Descriptor();
  private frame: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  private chunk = 0;

  /** `initialPictureId` should be random (as RTP's initial values are). */
  constructor(initialPictureId: number, maxPayloadSize = DEFAULT_VP8_MAX_PAYLOAD) {
    this.maxPayloadSize = maxPayloadSize;
    this.descriptor.pictureIdBits = 15;
    // One less: `begin` advances it before the first frame.
    this.descriptor.pictureId = (initialPictureId - 1) & 0x7fff;
    const room = maxPayloadSize - vp8DescriptorLength(this.descriptor);
    if (room < 1) throw new RangeError(`VP8 max payload ${maxPayloadSize} leaves no room for data`);
    this.chunk = room;
  }

  /** PictureID of the frame being packetized. */
  get pictureId(): number {
    return this.descriptor.pictureId;
  }

  /**
   * Starts a frame `frame[start, end)`. The packetizer keeps a reference, not a copy: the frame
   * must stay unchanged until `done`. Packets are sized evenly so the last is not a runt.
   */
  begin(frame: Uint8Array, start = 0, end = frame.length): void {
    this.frame = frame;
    this.pos = start;
    this.end = end;
    this.descriptor.pictureId = (this.descriptor.pictureId + 1) & 0x7fff;
    this.descriptor.startOfPartition = true;
    this.descriptor.nonReference = false;
    const room = this.maxPayloadSize - vp8DescriptorLength(this.descriptor);
    const packets = Math.max(1, Math.ceil((end - start) / room));
    this.chunk = Math.ceil((end - start) / packets);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Whether the next packet is the frame's last (its RTP header needs the marker bit). */
  get nextIsLast(): boolean {
    return this.end - this.pos <= this.chunk;
  }

  /** Appends the next payload (descriptor + fragment) at `p.end`; call until `done`. */
  writeNext(p: PacketBuffer): PacketBufferError | undefined {
    const n = Math.min(this.chunk, this.end - this.pos);
    const err = writeVp8Descriptor(p, this.descriptor) ?? p.ensureTailroom(n);
    if (err) return err;
    copyBytes(this.frame, this.pos, this.pos + n, p.bytes, p.end);
    p.end += n;
    this.pos += n;
    this.descriptor.startOfPartition = false;
    return undefined;
  }
}
