// The audio side of the renderer: one AudioContext, created in the Call/Answer click handler
// (Chromium keeps a context suspended without a user gesture), the worklet module loaded once,
// and the playback and capture nodes built on it.
import workletUrl from './audio-worklet?worker&url';
import { createResampler, type Resampler } from './resampler';
import { createLevelSmoother, dbToMeter, rmsDbfs } from './level-meter';

let context: AudioContext | null = null;
let workletReady: Promise<void> | null = null;

/** Call synchronously inside a click handler: creates or resumes the context while the gesture counts. */
export function primeAudio(): AudioContext {
  if (!context || context.state === 'closed') {
    context = new AudioContext({ latencyHint: 'interactive' });
    workletReady = context.audioWorklet.addModule(workletUrl);
  }
  void context.resume();
  return context;
}

export async function audioContext(): Promise<AudioContext> {
  const ctx = primeAudio();
  await workletReady;
  return ctx;
}

export function deviceConstraint(id: string): ConstrainDOMString | undefined {
  return id && id !== 'default' ? { exact: id } : undefined;
}

type SinkableContext = AudioContext & { setSinkId?: (id: string) => Promise<void>; sinkId?: string | object };

/** Plays decoded audio at any rate: resamples to the context's rate and feeds the playback worklet. */
export class AudioPlayout {
  private resampler: Resampler | null = null;
  private readonly smoother = createLevelSmoother();
  level = 0;

  private constructor(
    private readonly ctx: AudioContext,
    private readonly node: AudioWorkletNode,
  ) {}

  static async create(speakerId: string): Promise<AudioPlayout> {
    const ctx = await audioContext();
    const node = new AudioWorkletNode(ctx, 'vouch-playback', { numberOfInputs: 0, outputChannelCount: [1] });
    node.connect(ctx.destination);
    const playout = new AudioPlayout(ctx, node);
    if (speakerId && speakerId !== 'default') await playout.setSpeaker(speakerId).catch(() => undefined);
    return playout;
  }

  /**
   * Plays through another output device, also mid-call: AudioContext.setSinkId moves the running
   * graph ('' = the system default). Rejects where the browser cannot choose the output.
   */
  async setSpeaker(speakerId: string): Promise<void> {
    const sink = this.ctx as SinkableContext;
    if (!sink.setSinkId) throw new Error('this browser cannot choose the speaker');
    await sink.setSinkId(speakerId === 'default' ? '' : speakerId);
  }

  /** The output device in use ('' for the system default). */
  get speakerId(): string {
    const id = (this.ctx as SinkableContext).sinkId;
    return typeof id === 'string' ? id : '';
  }

  play(samples: Float32Array, rate: number): void {
    if (!this.resampler || this.resampler.inRate !== rate) this.resampler = createResampler(rate, this.ctx.sampleRate);
    const out = this.resampler.process(samples);
    this.level = this.smoother.next(dbToMeter(rmsDbfs(samples)), samples.length / rate);
    this.node.port.postMessage(out, [out.buffer]);
  }

  close(): void {
    this.node.disconnect();
  }
}

/** Captures the microphone through the capture worklet; hands blocks at the context's rate. */
export class AudioCapture {
  private readonly smoother = createLevelSmoother();
  level = 0;

  private constructor(
    readonly stream: MediaStream,
    readonly sampleRate: number,
    private readonly source: MediaStreamAudioSourceNode,
    private readonly node: AudioWorkletNode,
  ) {}

  static async open(microphoneId: string, onBlock: (samples: Float32Array, rate: number) => void): Promise<AudioCapture> {
    const ctx = await audioContext();
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { deviceId: deviceConstraint(microphoneId), echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
    });
    const source = ctx.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(ctx, 'vouch-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
    source.connect(node);
    const capture = new AudioCapture(stream, ctx.sampleRate, source, node);
    node.port.onmessage = (e: MessageEvent) => {
      if (!(e.data instanceof Float32Array)) return;
      capture.level = capture.smoother.next(dbToMeter(rmsDbfs(e.data)), e.data.length / ctx.sampleRate);
      onBlock(e.data, ctx.sampleRate);
    };
    return capture;
  }

  /** The microphone the capture really uses (its track's settings), '' when unknown. */
  get deviceId(): string {
    return this.stream.getAudioTracks()[0]?.getSettings().deviceId ?? '';
  }

  close(): void {
    this.node.port.onmessage = null;
    this.source.disconnect();
    this.node.disconnect();
    for (const t of this.stream.getTracks()) t.stop();
  }
}
