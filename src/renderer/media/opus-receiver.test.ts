// The renderer's Opus receiver on recorded packet sequences (libopus-encoded, in-band FEC on):
// a lost frame sent up with the next packet is rebuilt from its FEC, exactly as libopus's own
// decode_fec rebuilds it; a loss with nothing after it is concealed by the decoder's PLC, and
// fades over consecutive losses.
import { describe, it, expect, beforeAll } from 'vitest';
import { LibopusDecoder, type LibopusExports } from '../../shared/audio/libopus';
import { opusPacketHasLbrr } from '../../shared/audio/opus-lbrr';
import { correlation, encodeTestPackets, loadLibopusForTests } from '../../shared/audio/test-support';
import { createAudioReceiver } from './audio-codecs';
import { OPUS_DECODE_RATE } from './opus-receiver';

let lib: LibopusExports;
beforeAll(async () => {
  lib = await loadLibopusForTests();
});

const noError = (e: Error) => {
  throw e;
};
const rms = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((a, v) => a + v * v, 0) / x.length);
const toPcm16 = (x: Float32Array) => Int16Array.from(x, (v) => Math.round(v * 32768));

/** What libopus itself makes of `packets[0, upTo)` then `last` (a decoder fed the same history). */
function libopusAfter(packets: Uint8Array[], upTo: number, last: (d: LibopusDecoder) => Int16Array | string): Int16Array {
  const d = new LibopusDecoder(lib);
  for (let i = 0; i < upTo; i++) d.decode(packets[i]);
  const out = last(d);
  d.destroy();
  if (typeof out === 'string') throw new Error(out);
  return out;
}

describe('Opus receiver (libopus)', () => {
  it('rebuilds a lost frame from the next packet’s FEC: the exact libopus decode_fec output, close to the lost original', () => {
    const packets = encodeTestPackets(lib, 30, { fec: true, lossPercent: 10 });
    const lost = packets.findIndex((_, i) => i >= 10 && opusPacketHasLbrr(packets[i + 1]) === true);
    const played: { samples: Float32Array; rate: number }[] = [];
    const r = createAudioReceiver('opus', (samples, rate) => played.push({ samples, rate }), noError, lib);
    packets.forEach((p, i) => {
      if (i === lost) r.receive(packets[i + 1], i * 960, true); // what the worker sends for the loss
      else r.receive(p, i * 960);
    });
    expect(played.map((p) => [p.samples.length, p.rate])).toEqual(packets.map(() => [960, OPUS_DECODE_RATE]));
    const rebuilt = toPcm16(played[lost].samples);
    expect(rebuilt).toEqual(libopusAfter(packets, lost, (d) => d.decodeFec(packets[lost + 1], 960)));
    const original = libopusAfter(packets, lost, (d) => d.decode(packets[lost]));
    expect(correlation(rebuilt, original)).toBeGreaterThan(0.9);
    // The packet after it plays as it would have after its FEC was used.
    const next = libopusAfter(packets, lost, (d) => (d.decodeFec(packets[lost + 1], 960), d.decode(packets[lost + 1])));
    expect(toPcm16(played[lost + 1].samples)).toEqual(next);
    r.close();
  });

  it('conceals a loss with nothing after it by the decoder’s PLC, the right length, fading over consecutive losses', () => {
    const packets = encodeTestPackets(lib, 20, { fec: true, lossPercent: 10 });
    const played: Float32Array[] = [];
    const r = createAudioReceiver('opus', (samples) => played.push(samples), noError, lib);
    for (let i = 0; i < 12; i++) r.receive(packets[i], i * 960);
    for (let i = 12; i < 20; i++) r.receive(new Uint8Array(0), i * 960);
    expect(played.map((p) => p.length)).toEqual(packets.map(() => 960));
    expect(toPcm16(played[12])).toEqual(libopusAfter(packets, 12, (d) => d.conceal(960)));
    // The first concealed frame carries the voice on; by the eighth it has faded.
    expect(rms(played[12])).toBeGreaterThan(0.3 * rms(played[11]));
    expect(rms(played[19])).toBeLessThan(0.1 * rms(played[12]));
    r.close();
  });

  it('conceals lost frames as long as the peer’s packets (10 ms here)', () => {
    const decoder = new LibopusDecoder(lib);
    const played: number[] = [];
    const r = createAudioReceiver('opus', (samples) => played.push(samples.length), noError, lib);
    // A 10 ms CELT packet (TOC config 30: CELT FB 10 ms, code 0) of silence-ish bytes.
    const tenMs = Uint8Array.of(30 << 3, 0xff, 0xfe);
    expect((decoder.decode(tenMs) as Int16Array).length).toBe(480);
    r.receive(tenMs, 0);
    r.receive(new Uint8Array(0), 480);
    expect(played).toEqual([480, 480]);
    decoder.destroy();
    r.close();
  });

  it('reports a packet libopus cannot decode and plays the frame’s time as silence', () => {
    const errors: string[] = [];
    const played: Float32Array[] = [];
    const r = createAudioReceiver('opus', (samples) => played.push(samples), (e) => errors.push(e.message), lib);
    r.receive(Uint8Array.of(0x03), 0); // code 3 without its frame count
    expect(errors).toEqual(['libopus: invalid-packet']);
    expect(played.map((p) => [p.length, rms(p)])).toEqual([[960, 0]]);
    r.close();
  });
});
