// The audio playout buffer between the decoder and the AudioWorklet: a ring of samples at the
// output rate. Bounded: when the decoder runs ahead, the oldest samples go (latency stays low);
// when it starves, the worklet plays silence. Shared by the worklet and its tests.
export class PlayoutRing {
  private readonly data: Float32Array;
  private readIndex = 0;
  private size = 0;
  underruns = 0;
  overflows = 0;

  constructor(readonly capacity: number) {
    this.data = new Float32Array(capacity);
  }

  get available(): number {
    return this.size;
  }

  write(samples: Float32Array): void {
    let input = samples;
    if (input.length > this.capacity) {
      this.overflows += input.length - this.capacity;
      input = input.subarray(input.length - this.capacity);
    }
    const excess = this.size + input.length - this.capacity;
    if (excess > 0) {
      this.readIndex = (this.readIndex + excess) % this.capacity;
      this.size -= excess;
      this.overflows += excess;
    }
    let writeIndex = (this.readIndex + this.size) % this.capacity;
    for (let i = 0; i < input.length; i++) {
      this.data[writeIndex] = input[i];
      writeIndex = writeIndex + 1 === this.capacity ? 0 : writeIndex + 1;
    }
    this.size += input.length;
  }

  /** Fills `out`; what the ring lacks is silence. Returns how many samples were real. */
  read(out: Float32Array): number {
    const n = Math.min(out.length, this.size);
    for (let i = 0; i < n; i++) {
      out[i] = this.data[this.readIndex];
      this.readIndex = this.readIndex + 1 === this.capacity ? 0 : this.readIndex + 1;
    }
    out.fill(0, n);
    this.size -= n;
    if (n < out.length) this.underruns++;
    return n;
  }
}
