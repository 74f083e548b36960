// Audio encoders and decoders behind one shape: Opus encoded through WebCodecs (48 kHz) and
// decoded by libopus (opus-receiver.ts), G.711 in TypeScript (8 kHz, src/shared/g711) since
// WebCodecs cannot encode it. A received frame with an empty payload is one the worker's jitter
// buffer declared lost: it is concealed (G.711 App. I for G.711, libopus's PLC for Opus). A lost
// Opus frame can also come with the next packet, whose in-band FEC rebuilds it (decode_fec).
// Without libopus (its module failed to load) Opus is decoded by WebCodecs, which can do
// neither: a lost frame is then concealed by waveform repetition (opus-concealment.ts).
import type { AudioCodec } from '../../shared/api';
import type { LibopusExports } from '../../shared/audio/libopus';
import { G711ConcealingDecoder } from '../../shared/audio/g711-plc';
import { G711_FRAME_SAMPLES, G711_RATE, G711Packetizer, pcm16ToFloat } from './g711-frames';
import { OpusLossConcealment } from './opus-concealment';
import { createLibopusReceiver } from './opus-receiver';
import { createResampler, type Resampler } from './resampler';
import { microsToRtp, rtpToMicros, unwrapRtp } from './rtp-clock';

export const OPUS_RATE = 48_000;
/** Reconfigure the encoder's expected loss when the measured loss moved by this many points. */
const PACKET_LOSS_STEP_PERCENT = 2;
/**
 * The expected loss a call starts with, before the peer's first receiver report (RFC 3550 §6.4.2,
 * about 5 s in) says what it measures: with 0 the encoder sends no in-band FEC, so the call's
 * first losses could not be rebuilt. 10 % is Opus's usual VoIP setting; the first report then
 * takes over (0 % turns FEC off).
 */
export const CALL_START_LOSS_PERCENT = 10;

export interface EncodedAudio {
  payload: Uint8Array;
  timestamp: number;
}

export interface AudioSender {
  push(samples: Float32Array, rate: number): void;
  /**
   * The loss the peer reports for what we send (0..1, RTCP RR fraction lost): Opus sizes its
   * in-band FEC for it (`packetlossperc`, RFC 7587 §3.3). G.711 has nothing to tune.
   */
  setPacketLoss(fraction: number): void;
  close(): void;
}

export interface AudioReceiver {
  /**
   * A frame from the worker. `lost` (MediaFrameHeader.lost, api.ts): the frame at `timestamp` was
   * lost, and `payload`, unless empty, is the packet after it (in-band FEC for Opus, interpolation
   * for G.711). An empty payload is a loss too.
   */
  receive(payload: Uint8Array, timestamp: number, lost?: boolean): void;
  close(): void;
}

function resamplerTo(target: number) {
  let r: Resampler | null = null;
  return (samples: Float32Array, rate: number) => {
    if (!r || r.inRate !== rate) r = createResampler(rate, target);
    return r.process(samples);
  };
}

export function createAudioSender(codec: AudioCodec, onEncoded: (e: EncodedAudio) => void, onError: (e: Error) => void): AudioSender {
  const toRate = resamplerTo(codec === 'opus' ? OPUS_RATE : G711_RATE);
  if (codec !== 'opus') {
    const packetizer = new G711Packetizer(codec === 'pcmu' ? 'PCMU' : 'PCMA');
    return {
      push(samples, rate) {
        for (const f of packetizer.push(toRate(samples, rate))) onEncoded(f);
      },
      setPacketLoss() {},
      close() {},
    };
  }
  const encoder = new AudioEncoder({
    output: (chunk) => {
      const payload = new Uint8Array(chunk.byteLength);
      chunk.copyTo(payload);
      onEncoded({ payload, timestamp: microsToRtp(chunk.timestamp, OPUS_RATE) });
    },
    error: (e) => onError(e instanceof Error ? e : new Error(String(e))),
  });
  // In-band FEC and DTX on, as the SDP says (useinbandfec=1; usedtx=1, RFC 7587 §6.1); the FEC
  // is sized for the loss the peer measures.
  let lossPercent = CALL_START_LOSS_PERCENT;
  const configure = () =>
    encoder.configure({ codec: 'opus', sampleRate: OPUS_RATE, numberOfChannels: 1, bitrate: 32_000, opus: { useinbandfec: true, usedtx: true, packetlossperc: lossPercent } });
  configure();
  let samplesSent = 0;
  return {
    push(samples, rate) {
      if (encoder.state !== 'configured') return;
      const data = toRate(samples, rate);
      if (data.length === 0) return;
      const audio = new AudioData({ format: 'f32-planar', sampleRate: OPUS_RATE, numberOfFrames: data.length, numberOfChannels: 1, timestamp: rtpToMicros(samplesSent, OPUS_RATE), data });
      samplesSent += data.length;
      encoder.encode(audio);
      audio.close();
    },
    setPacketLoss(fraction) {
      const percent = Math.round(Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)) * 100);
      if (Math.abs(percent - lossPercent) < PACKET_LOSS_STEP_PERCENT || encoder.state !== 'configured') return;
      lossPercent = percent;
      configure();
    },
    close() {
      if (encoder.state !== 'closed') encoder.close();
    },
  };
}

export function createAudioReceiver(codec: AudioCodec, onSamples: (samples: Float32Array, rate: number) => void, onError: (e: Error) => void, libopus: LibopusExports | null = null): AudioReceiver {
  if (codec === 'opus' && libopus) return createLibopusReceiver(libopus, onSamples, onError);
  if (codec !== 'opus') {
    const decoder = new G711ConcealingDecoder(codec === 'pcmu' ? 'PCMU' : 'PCMA');
    // A lost packet lasts as long as the peer's packets do (one byte per sample).
    let packetSamples = G711_FRAME_SAMPLES;
    return {
      receive(payload, _timestamp, flaggedLost = false) {
        const lost = payload.length === 0 || flaggedLost;
        if (!lost) packetSamples = payload.length;
        const pcm = new Int16Array(packetSamples);
        // A loss sent with the packet after it (already in the worker's jitter buffer) is
        // interpolated into that packet's audio; that packet follows as a frame of its own.
        if (lost && payload.length > 0) decoder.concealBefore(pcm, pcm.length, 0, payload, 0, payload.length);
        else if (lost) decoder.conceal(pcm, pcm.length);
        else decoder.decode(payload, pcm);
        onSamples(pcm16ToFloat(pcm), G711_RATE);
      },
      close() {},
    };
  }
  const concealment = new OpusLossConcealment(onSamples);
  const decoder = new AudioDecoder({
    output: (data) => {
      const samples = new Float32Array(data.numberOfFrames);
      data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
      const rate = data.sampleRate;
      data.close();
      concealment.decoded(samples, rate);
    },
    error: (e) => {
      concealment.decodeFailed();
      onError(e instanceof Error ? e : new Error(String(e)));
    },
  });
  decoder.configure({ codec: 'opus', sampleRate: OPUS_RATE, numberOfChannels: 1 });
  let last: number | null = null;
  return {
    receive(payload, timestamp, lost = false) {
      if (decoder.state !== 'configured') return;
      if (payload.length === 0 || lost) {
        concealment.lost();
        return;
      }
      last = unwrapRtp(timestamp, last);
      concealment.decoding();
      decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: rtpToMicros(last, OPUS_RATE), data: payload }));
    },
    close() {
      if (decoder.state !== 'closed') decoder.close();
    },
  };
}
