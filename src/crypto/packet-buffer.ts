// The packet buffer every RTP/RTCP packet lives in (ARCHITECTURE.md "Packet buffer"). It exists so
// that appending an SRTP trailer can never fail for lack of room (baresip #3408: a 60-byte RTCP
// packet in a 64-byte buffer and `protect_ctrl failed: Out of memory`). The backing store is a
// resizable ArrayBuffer: growing it is in place, and `bytes` (made without a length) tracks it.

/** Largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header). */
export const MAX_UDP_PAYLOAD_IPV4 = 65507;
/** Largest UDP payload over IPv6: 65535 - 8 (UDP header); the IPv6 header is not counted. */
export const MAX_UDP_PAYLOAD_IPV6 = 65527;
/** Room kept in front of the payload by default (e.g. for a TURN ChannelData header later). */
export const DEFAULT_HEADROOM = 0;

export interface PacketBufferError {
  readonly kind: 'over-max-payload';
  /** Payload length that was asked for. */
  readonly requested: number;
  readonly maxPayload: number;
}

export interface PacketBufferOptions {
  /** Bytes before the payload; `reset()` returns `start` here. */
  headroom?: number;
  /** Largest payload this buffer may ever hold (defaults to the IPv6 UDP maximum). */
  maxPayload?: number;
}

function checkSize(name: string, n: number, max: number): void {
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new RangeError(`PacketBuffer: ${name} must be an integer in [0, ${max}], got ${n}`);
  }
}

/**
 * Public members: the bytes and their window (start, end, headroom, tailroom) that the packet
 * path reads and writes in place, and the few operations on them; more than fifteen because
 * parsers and SRTP work on the fields directly instead of through copies.
 */
export class PacketBuffer {
  /** Length-tracking view over the whole backing ArrayBuffer: always `backing.byteLength` long. */
  readonly bytes: Uint8Array;
  /** Payload is `bytes[start, end)`. */
  start: number;
  end: number;
  readonly maxPayload: number;
  readonly defaultHeadroom: number;
  private readonly backing: ArrayBuffer;

  private constructor(backing: ArrayBuffer, headroom: number, maxPayload: number) {
    this.backing = backing;
    this.bytes = new Uint8Array(backing);
    this.defaultHeadroom = headroom;
    this.maxPayload = maxPayload;
    this.start = headroom;
    this.end = headroom;
  }

  /**
   * A buffer with `headroom + capacity` bytes backing it now and room to grow in place to
   * `headroom + maxPayload`. Arguments are the caller's configuration, not packet data: invalid
   * ones throw a RangeError.
   */
  static alloc(capacity: number, opts: PacketBufferOptions = {}): PacketBuffer {
    const headroom = opts.headroom ?? DEFAULT_HEADROOM;
    const maxPayload = opts.maxPayload ?? MAX_UDP_PAYLOAD_IPV6;
    checkSize('maxPayload', maxPayload, MAX_UDP_PAYLOAD_IPV6);
    checkSize('headroom', headroom, MAX_UDP_PAYLOAD_IPV6);
    checkSize('capacity', capacity, maxPayload);
    const backing = new ArrayBuffer(headroom + capacity, { maxByteLength: headroom + maxPayload });
    return new PacketBuffer(backing, headroom, maxPayload);
  }

  /**
   * A buffer holding a copy of `payload` (e.g. a datagram the socket handed over) with `tailroom`
   * spare bytes behind it. A payload over `maxPayload` is an error, not a throw: it is peer data.
   */
  static from(
    payload: Uint8Array,
    opts: PacketBufferOptions & { tailroom?: number } = {},
  ): PacketBuffer | PacketBufferError {
    const maxPayload = opts.maxPayload ?? MAX_UDP_PAYLOAD_IPV6;
    if (payload.length > maxPayload) return overMax(payload.length, maxPayload);
    const capacity = Math.min(maxPayload, payload.length + (opts.tailroom ?? 0));
    const p = PacketBuffer.alloc(capacity, opts);
    p.bytes.set(payload, p.start);
    p.end = p.start + payload.length;
    return p;
  }

  get length(): number {
    return this.end - this.start;
  }

  get headroom(): number {
    return this.start;
  }

  get tailroom(): number {
    return this.bytes.length - this.end;
  }

  /** The payload as a view (allocates a view object: not for the per-packet hot path). */
  payload(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }

  /**
   * Makes sure `n` bytes fit behind `end`, growing the backing buffer in place (and, if the
   * payload sits far into the buffer, moving it back to the default headroom). Fails only when
   * the payload would exceed `maxPayload`.
   */
  ensureTailroom(n: number): PacketBufferError | undefined {
    const needed = this.end + n;
    if (needed <= this.bytes.length) return undefined;
    const payloadLength = this.end - this.start + n;
    if (!(n >= 0) || payloadLength > this.maxPayload) return overMax(payloadLength, this.maxPayload);
    if (needed > this.backing.maxByteLength) this.moveTo(Math.min(this.start, this.defaultHeadroom));
    this.backing.resize(this.end + n);
    return undefined;
  }

  /** Sets the payload length to `n` bytes from `start`, growing when needed. */
  setLength(n: number): PacketBufferError | undefined {
    if (n > this.length) {
      const err = this.ensureTailroom(n - this.length);
      if (err) return err;
    } else if (!(n >= 0)) {
      return overMax(n, this.maxPayload);
    }
    this.end = this.start + n;
    return undefined;
  }

  append(src: Uint8Array): PacketBufferError | undefined {
    const err = this.ensureTailroom(src.length);
    if (err) return err;
    this.bytes.set(src, this.end);
    this.end += src.length;
    return undefined;
  }

  /** Replaces the payload with a copy of `src`, starting at the default headroom. */
  assign(src: Uint8Array): PacketBufferError | undefined {
    this.reset();
    return this.append(src);
  }

  /**
   * Replaces the payload with a copy of `src[start, end)` without making a view of it (a relayed
   * datagram's payload sits behind its 4-byte ChannelData header).
   */
  assignRange(src: Uint8Array, start: number, end: number): PacketBufferError | undefined {
    if (start === 0 && end === src.length) return this.assign(src);
    this.reset();
    const n = end - start;
    const err = this.ensureTailroom(n);
    if (err) return err;
    const b = this.bytes;
    const at = this.end;
    for (let i = 0; i < n; i++) b[at + i] = src[start + i];
    this.end += n;
    return undefined;
  }

  /** Empties the payload; the grown capacity is kept, so a pooled buffer does not shrink. */
  reset(): void {
    this.start = this.defaultHeadroom;
    this.end = this.start;
  }

  private moveTo(newStart: number): void {
    this.bytes.copyWithin(newStart, this.start, this.end);
    this.end = newStart + (this.end - this.start);
    this.start = newStart;
  }
}

function overMax(requested: number, maxPayload: number): PacketBufferError {
  return { kind: 'over-max-payload', requested, maxPayload };
}

export interface PacketPoolOptions {
  /** Largest plain packet expected (e.g. the MTU-sized RTP packet). */
  packetSize: number;
  /** Room behind the packet: the largest trailer of the session's suite (tag + MKI + SRTCP index). */
  tailroom: number;
  headroom?: number;
  /** Buffers kept for reuse; beyond this `give` lets them go. */
  max?: number;
  maxPayload?: number;
}

/**
 * A free list of PacketBuffers for the media worker: after warm-up, `take`/`give` allocate
 * nothing. Buffers that grew keep their size when returned.
 */
export class PacketPool {
  private readonly free: PacketBuffer[] = [];
  private readonly capacity: number;
  private readonly headroom: number;
  private readonly maxPayload: number;
  private readonly max: number;

  constructor(opts: PacketPoolOptions) {
    this.maxPayload = opts.maxPayload ?? MAX_UDP_PAYLOAD_IPV6;
    this.capacity = Math.min(this.maxPayload, opts.packetSize + opts.tailroom);
    this.headroom = opts.headroom ?? DEFAULT_HEADROOM;
    this.max = opts.max ?? 256;
  }

  /** Buffers waiting for reuse. */
  get available(): number {
    return this.free.length;
  }

  take(): PacketBuffer {
    const p = this.free.pop();
    if (p) return p;
    return PacketBuffer.alloc(this.capacity, { headroom: this.headroom, maxPayload: this.maxPayload });
  }

  give(p: PacketBuffer): void {
    p.reset();
    if (this.free.length < this.max && !this.free.includes(p)) this.free.push(p);
  }
}
