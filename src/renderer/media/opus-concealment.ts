// Conceals lost Opus frames in the renderer when Opus is decoded by WebCodecs: the fallback for a
// window where libopus's module did not load (audio-codecs.ts; with libopus, opus-receiver.ts
// uses its PLC and in-band FEC instead). The worker's jitter buffer marks each lost frame (an
// audio frame with an empty payload, api.ts); WebCodecs' AudioDecoder is never called for a frame
// it does not receive, so nothing would fill the hole.
//
// Opus's own remedies are out of reach through WebCodecs: RFC 6716 §4.4 PLC runs when libopus is
// handed a missing packet, and in-band FEC (RFC 6716 §2.1.7, RFC 7587 §3.3) needs the next packet
// decoded with libopus's decode_fec flag; the WebCodecs AudioDecoder exposes neither (no "lost" chunk, no
// "decode the FEC of this chunk" option in EncodedAudioChunkInit or AudioDecoderConfig). So a
// lost frame is concealed on the decoded PCM by waveform repetition with a fade (the G.711
// Appendix I algorithm at 48 kHz, src/shared/audio/pitch-concealer.ts).
//
// The decoder answers asynchronously, so a loss that follows frames still being decoded waits
// for them: audio leaves in RTP order.

import { PitchConcealer } from '../../shared/audio/pitch-concealer';

export class OpusLossConcealment {
  /** Lost frames concealed here. */
  framesConcealed = 0;
  private concealer: PitchConcealer | null = null;
  /** In RTP order: 0 for a frame in the decoder, n > 0 for a lost frame of n samples. */
  private readonly queue: number[] = [];
  private rate = 0;
  private lastFrameSamples = 960;

  constructor(private readonly play: (samples: Float32Array, rate: number) => void) {}

  /** A frame went into the decoder; its output will come through `decoded`. */
  decoding(): void {
    this.queue.push(0);
  }

  /**
   * The jitter buffer declared a frame lost: `samples` long at the decoder's rate, by default as
   * long as the last decoded frame (the peer's packet duration; 20 ms before any).
   */
  lost(samples = this.lastFrameSamples): void {
    if (samples <= 0) return;
    if (this.queue.length === 0) this.conceal(samples);
    else this.queue.push(samples);
  }

  /** The decoder's output for the oldest frame in it. */
  decoded(samples: Float32Array, rate: number): void {
    if (this.queue[0] === 0) this.queue.shift();
    if (samples.length > 0) this.lastFrameSamples = samples.length;
    if (rate !== this.rate) {
      this.rate = rate;
      // The repetition's figures are defined at multiples of 8 kHz (Opus decodes at 48 kHz).
      this.concealer = rate % 8000 === 0 ? new PitchConcealer(rate) : null;
    }
    this.concealer?.receive(samples);
    this.play(samples, rate);
    this.releaseLosses();
  }

  /** The decoder dropped a frame without output (an error): do not hold the losses behind it. */
  decodeFailed(): void {
    if (this.queue[0] === 0) this.queue.shift();
    this.releaseLosses();
  }

  private releaseLosses(): void {
    while (this.queue.length > 0 && this.queue[0] > 0) this.conceal(this.queue.shift()!);
  }

  private conceal(samples: number): void {
    if (!this.concealer) return;
    const out = new Float32Array(samples);
    this.concealer.conceal(out);
    this.framesConcealed++;
    this.play(out, this.rate);
  }
}
