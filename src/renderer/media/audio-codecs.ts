// Audio encoders and decoders behind one shape: Opus through WebCodecs (48 kHz), G.711 in
// TypeScript (8 kHz, src/shared/g711) since WebCodecs cannot encode it.
import type { AudioCodec } from '../../shared/api';
import { decodeG711Frame, G711_RATE, G711Packetizer } from './g711-frames';
import { createResampler, type Resampler } from './resampler';
import { microsToRtp, rtpToMicros, unwrapRtp } from './rtp-clock';

export const OPUS_RATE = 48_000;

export interface EncodedAudio {
  payload: Uint8Array;
  timestamp: number;
}

export interface AudioSender {
  push(samples: Float32Array, rate: number): void;
  close(): void;
}

export interface AudioReceiver {
  receive(payload: Uint8Array, timestamp: number): void;
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
  encoder.configure({ codec: 'opus', sampleRate: OPUS_RATE, numberOfChannels: 1, bitrate: 32_000 });
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
    close() {
      if (encoder.state !== 'closed') encoder.close();
    },
  };
}

export function createAudioReceiver(codec: AudioCodec, onSamples: (samples: Float32Array, rate: number) => void, onError: (e: Error) => void): AudioReceiver {
  if (codec !== 'opus') {
    const law = codec === 'pcmu' ? 'PCMU' : 'PCMA';
    return {
      receive(payload) {
        onSamples(decodeG711Frame(law, payload), G711_RATE);
      },
      close() {},
    };
  }
  const decoder = new AudioDecoder({
    output: (data) => {
      const samples = new Float32Array(data.numberOfFrames);
      data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
      const rate = data.sampleRate;
      data.close();
      onSamples(samples, rate);
    },
    error: (e) => onError(e instanceof Error ? e : new Error(String(e))),
  });
  decoder.configure({ codec: 'opus', sampleRate: OPUS_RATE, numberOfChannels: 1 });
  let last: number | null = null;
  return {
    receive(payload, timestamp) {
      if (decoder.state !== 'configured') return;
      last = unwrapRtp(timestamp, last);
      decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: rtpToMicros(last, OPUS_RATE), data: payload }));
    },
    close() {
      if (decoder.state !== 'closed') decoder.close();
    },
  };
}
