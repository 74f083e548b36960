// G.711 in the renderer (WebCodecs cannot encode it): microphone samples at 8 kHz are cut into
// 20 ms frames of 160 samples (RFC 3551 §4.5.14 default packetization) and encoded with
// src/shared/g711; received frames decode back to float samples.
import { decodeG711, encodeG711, type G711Law } from '../../shared/g711';

export const G711_RATE = 8000;
export const G711_FRAME_SAMPLES = 160;

export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] || 0));
    out[i] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
  }
  return out;
}

export function pcm16ToFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] / 32768;
  return out;
}

export interface G711Frame {
  payload: Uint8Array;
  /** RTP timestamp (8 kHz clock) of the frame's first sample. */
  timestamp: number;
}

/** Collects 8 kHz samples and emits whole 20 ms G.711 frames with running RTP timestamps. */
export class G711Packetizer {
  private readonly pending = new Int16Array(G711_FRAME_SAMPLES);
  private filled = 0;
  private timestamp: number;

  constructor(
    readonly law: G711Law,
    startTimestamp = 0,
  ) {
    this.timestamp = startTimestamp >>> 0;
  }

  push(samples8k: Float32Array): G711Frame[] {
    const pcm = floatToPcm16(samples8k);
    const frames: G711Frame[] = [];
    let offset = 0;
    while (offset < pcm.length) {
      const n = Math.min(pcm.length - offset, G711_FRAME_SAMPLES - this.filled);
      this.pending.set(pcm.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === G711_FRAME_SAMPLES) {
        const payload = new Uint8Array(G711_FRAME_SAMPLES);
        encodeG711(this.law, this.pending, payload);
        frames.push({ payload, timestamp: this.timestamp });
        this.timestamp = (this.timestamp + G711_FRAME_SAMPLES) >>> 0;
        this.filled = 0;
      }
    }
    return frames;
  }
}

export function decodeG711Frame(law: G711Law, payload: Uint8Array): Float32Array {
  const pcm = new Int16Array(payload.length);
  decodeG711(law, payload, pcm);
  return pcm16ToFloat(pcm);
}
