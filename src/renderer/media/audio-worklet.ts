// The AudioWorklet module (its own file, loaded with addModule from 'self'): playback pulls
// samples at the output rate from a bounded ring the main thread fills; capture posts the
// microphone in blocks to the main thread, which encodes them.
import { PlayoutRing } from './playout-ring';

declare const sampleRate: number;
declare function registerProcessor(name: string, processor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/** Half a second of playout at most: more means the decoder ran ahead and latency would grow. */
const PLAYOUT_SECONDS = 0.5;
/** Capture blocks of 10 ms: small enough for latency, large enough to keep messages few. */
const CAPTURE_BLOCK_SECONDS = 0.01;

class PlaybackProcessor extends AudioWorkletProcessor {
  private readonly ring = new PlayoutRing(Math.round(sampleRate * PLAYOUT_SECONDS));

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent) => {
      if (e.data instanceof Float32Array) this.ring.write(e.data);
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0];
    if (!channels || channels.length === 0) return true;
    this.ring.read(channels[0]);
    for (let c = 1; c < channels.length; c++) channels[c].set(channels[0]);
    return true;
  }
}

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly blockLength = Math.round(sampleRate * CAPTURE_BLOCK_SECONDS);
  private block = new Float32Array(this.blockLength);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0];
    if (!input) return true;
    let offset = 0;
    while (offset < input.length) {
      const n = Math.min(input.length - offset, this.block.length - this.filled);
      this.block.set(input.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.blockLength) {
        // Transferring detaches the block (its length becomes 0): size the next one from the constant.
        this.port.postMessage(this.block, [this.block.buffer]);
        this.block = new Float32Array(this.blockLength);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('vouch-playback', PlaybackProcessor);
registerProcessor('vouch-capture', CaptureProcessor);
