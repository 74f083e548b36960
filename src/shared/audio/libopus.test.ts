// The libopus binding on real packets: decode, in-band FEC (RFC 6716 §2.1.7) and PLC (§4.4).
import { describe, it, expect, beforeAll } from 'vitest';
import { LibopusDecoder, type LibopusExports } from './libopus';
import { correlation, encodeTestPackets, loadLibopusForTests } from './test-support';

let lib: LibopusExports;
beforeAll(async () => {
  lib = await loadLibopusForTests();
});

/** A decoder that has decoded `packets[0, upTo)`. */
function decoderAfter(packets: Uint8Array[], upTo: number): LibopusDecoder {
  const d = new LibopusDecoder(lib);
  for (let i = 0; i < upTo; i++) expect(d.decode(packets[i])).toBeInstanceOf(Int16Array);
  return d;
}

describe('libopus (WebAssembly)', () => {
  it('decodes 20 ms packets into 960 samples at 48 kHz', () => {
    const packets = encodeTestPackets(lib, 5, { fec: true, lossPercent: 10 });
    const d = new LibopusDecoder(lib);
    for (const p of packets) expect((d.decode(p) as Int16Array).length).toBe(960);
    expect(d.lastPacketDuration).toBe(960);
    d.destroy();
  });

  it('rebuilds a lost frame from the next packet’s FEC: the right length, close to the frame the decoder would have made', () => {
    const packets = encodeTestPackets(lib, 40, { fec: true, lossPercent: 10 });
    const lost = 20;
    const whole = decoderAfter(packets, lost);
    const intact = whole.decode(packets[lost]) as Int16Array;
    const d = decoderAfter(packets, lost);
    const rebuilt = d.decodeFec(packets[lost + 1], 960) as Int16Array;
    expect(rebuilt.length).toBe(960);
    expect(correlation(rebuilt, intact)).toBeGreaterThan(0.9);
    // Better than the decoder's concealment of the same hole.
    const plc = decoderAfter(packets, lost).conceal(960) as Int16Array;
    expect(correlation(rebuilt, intact)).toBeGreaterThan(correlation(plc, intact));
    // And the next packet still decodes after it.
    expect((d.decode(packets[lost + 1]) as Int16Array).length).toBe(960);
    for (const x of [whole, d]) x.destroy();
  });

  it('conceals a lost frame with the decoder’s PLC, as long as asked', () => {
    const packets = encodeTestPackets(lib, 10, { fec: false, lossPercent: 0 });
    const d = decoderAfter(packets, 10);
    expect((d.conceal(960) as Int16Array).length).toBe(960);
    expect((d.conceal(480) as Int16Array).length).toBe(480);
    d.destroy();
  });

  it('answers a malformed packet or a bad size with a typed error, not a throw', () => {
    const d = new LibopusDecoder(lib);
    expect(d.decode(new Uint8Array(0))).toBe('invalid-packet');
    expect(d.decode(Uint8Array.of(0x03))).toBe('invalid-packet'); // code 3 without its frame count byte
    expect(d.conceal(0)).toBe('bad-arg');
    expect(d.conceal(100_000)).toBe('bad-arg');
    d.destroy();
    expect(d.decode(Uint8Array.of(0xf8, 0xff, 0xfe))).toBe('invalid-state');
  });
});
