// libopus (the reference Opus codec, BSD-3-Clause) compiled to WebAssembly, driven through its C
// API: opus_decode with `decode_fec` (RFC 6716 §2.1.7 in-band FEC: rebuild a lost frame from the
// LBRR data in the packet after it) and with no packet (the decoder's own PLC, §4.4). WebCodecs'
// AudioDecoder offers neither, so the renderer decodes Opus here (audio-codecs.ts).
//
// The module is the one the npm package @evan/opus (MIT) ships as wasm/opus.wasm: a standalone
// (WASI reactor) build exporting opus_decoder_*/opus_encoder_* plus malloc/free, with its linear
// memory. This file only works on the instance's exports, so it runs anywhere; each layer
// compiles the module its own way (renderer: libopus-module.ts; Node tests: fs).

/** The instance's exports this binding calls (names as libopus and the module spell them). */
export interface LibopusExports {
  memory: { buffer: ArrayBuffer };
  malloc(bytes: number): number;
  free(ptr: number): void;
  opus_decoder_get_size(channels: number): number;
  opus_decoder_init(st: number, rate: number, channels: number): number;
  opus_decode(st: number, data: number, len: number, pcm: number, frameSize: number, decodeFec: number): number;
  opus_decoder_ctl_get(st: number, request: number): number;
  opus_encoder_get_size(channels: number): number;
  opus_encoder_init(st: number, rate: number, channels: number, application: number): number;
  opus_encode(st: number, pcm: number, frameSize: number, data: number, maxBytes: number): number;
  opus_encoder_ctl_set(st: number, request: number, value: number): number;
  _initialize?: () => void;
}

/** The module's imports: it writes nothing and grows its memory without telling us anything we need. */
export const LIBOPUS_IMPORTS = {
  wasi_snapshot_preview1: { fd_seek: () => 0, fd_write: () => 0, fd_close: () => 0, proc_exit: () => {} },
  env: { emscripten_notify_memory_growth: () => {} },
};

/** libopus's error codes (opus_defines.h). */
export type LibopusError = 'bad-arg' | 'buffer-too-small' | 'internal-error' | 'invalid-packet' | 'unimplemented' | 'invalid-state' | 'alloc-fail';
const ERRORS: readonly LibopusError[] = ['bad-arg', 'buffer-too-small', 'internal-error', 'invalid-packet', 'unimplemented', 'invalid-state', 'alloc-fail'];

/** A negative libopus return as its name. */
export function libopusError(code: number): LibopusError {
  return ERRORS[-code - 1] ?? 'internal-error';
}

/** opus_defines.h request numbers. */
export const OPUS_SET_BITRATE = 4002;
export const OPUS_SET_INBAND_FEC = 4012;
export const OPUS_SET_PACKET_LOSS_PERC = 4014;
export const OPUS_SET_DTX = 4016;
const OPUS_GET_LAST_PACKET_DURATION = 4039;
export const OPUS_APPLICATION_VOIP = 2048;

/** RFC 6716 §3.2.5: at most 120 ms per packet, 5760 samples at 48 kHz; §3.4 R1–R7: at most 1275 bytes a frame, 3 frames' worth here. */
export const OPUS_MAX_PACKET_SAMPLES = 5760;
const MAX_PACKET_BYTES = 4000;

/** Runs a reactor module's start-up once (static constructors; libopus has none, but the contract says so). */
const initialized = new WeakSet<LibopusExports>();
function initialize(lib: LibopusExports): void {
  if (initialized.has(lib)) return;
  initialized.add(lib);
  lib._initialize?.();
}

/**
 * What a decoder and an encoder both keep in the module's memory: the codec state and one packet
 * and one PCM buffer, malloc'ed once and freed by `destroy`. A failed init frees them and throws.
 */
abstract class LibopusCodec {
  protected state: number;
  protected readonly packetPtr: number;
  protected readonly pcmPtr: number;

  protected constructor(
    protected readonly lib: LibopusExports,
    readonly sampleRate: number,
    readonly channels: number,
    initName: string,
    /** Called, not passed as a number, so the size is read after the module's `_initialize`. */
    stateBytes: () => number,
    init: (state: number) => number,
  ) {
    initialize(lib);
    this.state = lib.malloc(stateBytes());
    this.packetPtr = lib.malloc(MAX_PACKET_BYTES);
    this.pcmPtr = lib.malloc(OPUS_MAX_PACKET_SAMPLES * channels * 2);
    const r = init(this.state);
    if (r < 0) {
      this.destroy();
      throw new Error(`${initName}: ${libopusError(r)}`);
    }
  }

  destroy(): void {
    if (this.state === 0) return;
    this.lib.free(this.state);
    this.lib.free(this.packetPtr);
    this.lib.free(this.pcmPtr);
    this.state = 0;
  }
}

/** A libopus decoder (mono or stereo, interleaved 16-bit output). Call `destroy` when done. */
export class LibopusDecoder extends LibopusCodec {
  constructor(
    lib: LibopusExports,
    sampleRate = 48_000,
    channels = 1,
  ) {
    super(lib, sampleRate, channels, 'opus_decoder_init', () => lib.opus_decoder_get_size(channels), (st) => lib.opus_decoder_init(st, sampleRate, channels));
  }

  /** Decodes `packet`; the samples per channel, or the error (a bad packet is a typed error, not a throw). */
  decode(packet: Uint8Array): Int16Array | LibopusError {
    return this.run(packet, OPUS_MAX_PACKET_SAMPLES, 0);
  }

  /**
   * The lost frame before `nextPacket`, `samples` long, rebuilt from `nextPacket`'s in-band FEC
   * (decode_fec = 1). A packet without LBRR data gives libopus's PLC instead. Decode
   * `nextPacket` itself afterwards as usual.
   */
  decodeFec(nextPacket: Uint8Array, samples: number): Int16Array | LibopusError {
    return this.run(nextPacket, samples, 1);
  }

  /** `samples` of libopus's own concealment for a lost packet (opus_decode with no data). */
  conceal(samples: number): Int16Array | LibopusError {
    return this.run(null, samples, 0);
  }

  /** Samples per channel of the last packet decoded or concealed (OPUS_GET_LAST_PACKET_DURATION). */
  get lastPacketDuration(): number {
    return this.lib.opus_decoder_ctl_get(this.state, OPUS_GET_LAST_PACKET_DURATION);
  }

  private run(packet: Uint8Array | null, frameSize: number, decodeFec: number): Int16Array | LibopusError {
    if (this.state === 0) return 'invalid-state';
    if (packet && (packet.length === 0 || packet.length > MAX_PACKET_BYTES)) return 'invalid-packet';
    if (frameSize <= 0 || frameSize > OPUS_MAX_PACKET_SAMPLES) return 'bad-arg';
    if (packet) new Uint8Array(this.lib.memory.buffer, this.packetPtr, packet.length).set(packet);
    const n = this.lib.opus_decode(this.state, packet ? this.packetPtr : 0, packet ? packet.length : 0, this.pcmPtr, frameSize, decodeFec);
    if (n < 0) return libopusError(n);
    // A copy: the module's memory may grow (and its buffer be replaced) on the next call.
    return new Int16Array(this.lib.memory.buffer, this.pcmPtr, n * this.channels).slice();
  }
}

/** A libopus encoder (for tests that need real Opus packets, with FEC as a peer sends it). */
export class LibopusEncoder extends LibopusCodec {
  constructor(
    lib: LibopusExports,
    sampleRate = 48_000,
    channels = 1,
    application = OPUS_APPLICATION_VOIP,
  ) {
    super(lib, sampleRate, channels, 'opus_encoder_init', () => lib.opus_encoder_get_size(channels), (st) => lib.opus_encoder_init(st, sampleRate, channels, application));
  }

  /** opus_encoder_ctl with one integer argument (OPUS_SET_INBAND_FEC, OPUS_SET_PACKET_LOSS_PERC, …). */
  set(request: number, value: number): void {
    const r = this.lib.opus_encoder_ctl_set(this.state, request, value);
    if (r < 0) throw new Error(`opus_encoder_ctl ${request}: ${libopusError(r)}`);
  }

  /** Encodes one frame of interleaved samples (2.5–60 ms worth) into a packet. */
  encode(pcm: Int16Array): Uint8Array | LibopusError {
    if (this.state === 0) return 'invalid-state';
    if (pcm.length === 0 || pcm.length > OPUS_MAX_PACKET_SAMPLES * this.channels) return 'bad-arg';
    new Int16Array(this.lib.memory.buffer, this.pcmPtr, pcm.length).set(pcm);
    const n = this.lib.opus_encode(this.state, this.pcmPtr, pcm.length / this.channels, this.packetPtr, MAX_PACKET_BYTES);
    if (n < 0) return libopusError(n);
    return new Uint8Array(this.lib.memory.buffer, this.packetPtr, n).slice();
  }
}
