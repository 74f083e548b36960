// The renderer's Opus receiver on libopus (libopus-module.ts): decodes each packet, rebuilds a
// lost frame from the next packet's in-band FEC when the worker sent that packet with the loss
// (decode_fec, RFC 6716 §2.1.7; MediaFrameHeader.lost, api.ts), and otherwise has
// the decoder conceal it (its PLC, §4.4). One decoder sees the whole stream, lost frames
// included, so its FEC and PLC continue from the state the last packet left. Synchronous: the
// audio leaves in RTP order as it comes.
import { LibopusDecoder, type LibopusExports } from '../../shared/audio/libopus';
import type { AudioReceiver } from './audio-codecs';
import { pcm16ToFloat } from './g711-frames';

export const OPUS_DECODE_RATE = 48_000;

export interface OpusReceiverCounts {
  /** Lost frames rebuilt from the next packet's FEC. */
  recovered: number;
  /** Lost frames concealed by the decoder's PLC. */
  concealed: number;
}

export function createLibopusReceiver(lib: LibopusExports, onSamples: (samples: Float32Array, rate: number) => void, onError: (e: Error) => void): AudioReceiver & { counts: OpusReceiverCounts } {
  const decoder = new LibopusDecoder(lib, OPUS_DECODE_RATE, 1);
  const counts: OpusReceiverCounts = { recovered: 0, concealed: 0 };
  /** A lost frame is as long as the peer's packets (20 ms before the first). */
  let frameSamples = 960;
  return {
    counts,
    receive(payload, _timestamp, lost = false) {
      let out;
      if (payload.length === 0) {
        out = decoder.conceal(frameSamples);
        counts.concealed++;
      } else if (lost) {
        out = decoder.decodeFec(payload, frameSamples);
        counts.recovered++;
      } else {
        out = decoder.decode(payload);
        if (typeof out !== 'string') frameSamples = out.length;
      }
      if (typeof out === 'string') {
        onError(new Error(`libopus: ${out}`));
        // The frame's time still passes: silence, so later audio stays where it belongs.
        onSamples(new Float32Array(frameSamples), OPUS_DECODE_RATE);
        return;
      }
      onSamples(pcm16ToFloat(out), OPUS_DECODE_RATE);
    },
    close() {
      decoder.destroy();
    },
  };
}
