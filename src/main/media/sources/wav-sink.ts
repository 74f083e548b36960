// Writes received G.711 audio as a 16-bit PCM WAV, incrementally: a header with zero sizes first,
// samples appended as frames arrive, sizes fixed up on close (a crash leaves a file whose data
// size is 0, which parseWav and most players read to the end).

import { closeSync, openSync, writeSync } from 'node:fs';
import { G711ConcealingDecoder } from '../../../shared/audio/g711-plc';
import type { G711Law } from '../../../shared/g711';
import type { EncodedFrame, MediaSink } from './media-source';
import { WAV_HEADER_LENGTH, wavHeader } from './wav';

const SAMPLE_RATE = 8000;
/** At most this much leading silence (the call's set-up before its first audio). */
const MAX_LEAD_IN_SAMPLES = 10 * SAMPLE_RATE;

export class WavSink implements MediaSink {
  readonly kind = 'audio';
  readonly codec: G711Law;
  private fd: number | undefined;
  private readonly decoder: G711ConcealingDecoder;
  private dataLength = 0;
  private pcm = new Int16Array(160);
  private out = new Uint8Array(320);
  /** When the stream opened: the file's time zero. */
  private readonly openedAt = performance.now();
  private started: boolean;

  /**
   * `fromStreamStart`: the file starts when the sink opens (with the stream), silence until the
   * first audio; otherwise with the first frame.
   */
  constructor(path: string, law: G711Law, options: { fromStreamStart?: boolean } = {}) {
    this.started = !options.fromStreamStart;
    this.codec = law;
    this.decoder = new G711ConcealingDecoder(law);
    this.fd = openSync(path, 'w');
    writeSync(this.fd, wavHeader(SAMPLE_RATE, 1, 0), 0, WAV_HEADER_LENGTH, 0);
  }

  /** Samples concealed so far (8 kHz). */
  get concealedSamples(): number {
    return this.decoder.concealedSamples;
  }

  /** Sample bytes written so far. */
  get bytesWritten(): number {
    return this.dataLength;
  }

  writeFrame(frame: EncodedFrame): void {
    if (this.fd === undefined) return;
    this.leadIn();
    this.reserve(frame.length);
    this.decoder.decode(frame.data, this.pcm, frame.length, frame.offset, 0);
    this.append(frame.length);
  }

  /**
   * Conceals a loss (ITU-T G.711 Appendix I: pitch repetition fading to silence after 60 ms), so
   * the file's timeline matches the call's and a lost frame is not a hole. With `following`, the
   * packet after it that the jitter buffer already holds, the loss is interpolated into it instead.
   */
  writeLoss(duration: number, _timestamp = 0, following?: Uint8Array): void {
    if (this.fd === undefined || duration <= 0) return;
    const n = Math.min(duration, SAMPLE_RATE);
    this.leadIn();
    this.reserve(n);
    if (following !== undefined && following.length > 0) this.decoder.concealBefore(this.pcm, n, 0, following, 0, following.length);
    else this.decoder.conceal(this.pcm, n, 0);
    this.append(n);
  }

  close(): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, wavHeader(SAMPLE_RATE, 1, this.dataLength), 0, WAV_HEADER_LENGTH, 0);
    closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * Before the first sample: silence for the time since the stream opened, so the file's timeline
   * starts with the call's media as a phone's speaker does (and linphonec's recording), and the
   * position of what was said in it shows the mouth-to-ear delay (bench/call-quality.mjs).
   */
  private leadIn(): void {
    if (this.started) return;
    this.started = true;
    let n = Math.min(MAX_LEAD_IN_SAMPLES, Math.round(((performance.now() - this.openedAt) * SAMPLE_RATE) / 1000));
    while (n > 0) {
      const chunk = Math.min(n, this.pcm.length);
      this.pcm.fill(0, 0, chunk);
      this.append(chunk);
      n -= chunk;
    }
  }

  private reserve(samples: number): void {
    if (samples <= this.pcm.length) return;
    this.pcm = new Int16Array(samples);
    this.out = new Uint8Array(samples * 2);
  }

  private append(samples: number): void {
    for (let i = 0; i < samples; i++) {
      this.out[2 * i] = this.pcm[i] & 0xff;
      this.out[2 * i + 1] = (this.pcm[i] >> 8) & 0xff;
    }
    writeSync(this.fd!, this.out, 0, samples * 2, WAV_HEADER_LENGTH + this.dataLength);
    this.dataLength += samples * 2;
  }
}
