// The LBRR flag read from real libopus packets, cross-checked with libopus itself: where the flag
// is clear, decode_fec gives exactly the decoder's PLC (there was nothing to decode); where it is
// set, it does not. Malformed input never throws (RFC 6716 §3.2 packets of any shape).
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { LibopusDecoder, type LibopusExports } from './libopus';
import { opusPacketHasLbrr } from './opus-lbrr';
import { encodeTestPackets, loadLibopusForTests } from './test-support';

let lib: LibopusExports;
beforeAll(async () => {
  lib = await loadLibopusForTests();
});

const same = (a: Int16Array, b: Int16Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe('opusPacketHasLbrr', () => {
  it('finds LBRR in the packets of an encoder with FEC on, and none with it off', () => {
    const withFec = encodeTestPackets(lib, 30, { fec: true, lossPercent: 10 });
    const flags = withFec.map((p) => opusPacketHasLbrr(p));
    expect(flags[0]).toBe(false); // nothing before the first frame to protect
    expect(flags.filter((f) => f === true).length).toBeGreaterThan(15);
    const withoutFec = encodeTestPackets(lib, 30, { fec: false, lossPercent: 0 });
    expect(withoutFec.map((p) => opusPacketHasLbrr(p))).toEqual(withoutFec.map(() => false));
  });

  it('agrees with libopus: decode_fec is the PLC exactly when the flag is clear', () => {
    for (const fec of [true, false]) {
      const packets = encodeTestPackets(lib, 30, { fec, lossPercent: 10 });
      for (let lost = 1; lost < packets.length - 1; lost++) {
        const a = new LibopusDecoder(lib);
        const b = new LibopusDecoder(lib);
        for (let i = 0; i < lost; i++) {
          a.decode(packets[i]);
          b.decode(packets[i]);
        }
        const rebuilt = a.decodeFec(packets[lost + 1], 960) as Int16Array;
        const concealed = b.conceal(960) as Int16Array;
        expect(same(rebuilt, concealed), `packet ${lost + 1}, fec ${fec}`).toBe(opusPacketHasLbrr(packets[lost + 1]) === false);
        a.destroy();
        b.destroy();
      }
    }
  });

  it('says false for CELT-only packets and empty (DTX) frames', () => {
    expect(opusPacketHasLbrr(Uint8Array.of(31 << 3, 0xff, 0xff, 0xff))).toBe(false); // CELT FB 20 ms
    expect(opusPacketHasLbrr(Uint8Array.of(1 << 3))).toBe(false); // SILK NB 20 ms, no frame data
  });

  it('reads the first frame of every frame packing code (§3.2)', () => {
    const [, p] = encodeTestPackets(lib, 8, { fec: true, lossPercent: 10 }).filter((x) => opusPacketHasLbrr(x) === true);
    const frame = p.subarray(1);
    const toc = p[0] & ~3;
    expect(opusPacketHasLbrr(Uint8Array.of(toc | 1, ...frame, ...frame))).toBe(true);
    expect(opusPacketHasLbrr(Uint8Array.of(toc | 2, frame.length, ...frame, 0x00))).toBe(true);
    expect(opusPacketHasLbrr(Uint8Array.of(toc | 3, 0x02, ...frame, ...frame))).toBe(true); // CBR, 2 frames
    expect(opusPacketHasLbrr(Uint8Array.of(toc | 3, 0xc2, 3, frame.length, ...frame, 0x00, 1, 2, 3))).toBe(true); // VBR + padding
    expect(opusPacketHasLbrr(Uint8Array.of(toc | 1, ...frame, 0))).toBe('malformed'); // odd length for two equal frames
    expect(opusPacketHasLbrr(Uint8Array.of(toc | 2, 250, 1, 2))).toBe('malformed');
    expect(opusPacketHasLbrr(Uint8Array.of(toc | 3))).toBe('malformed');
    expect(opusPacketHasLbrr(new Uint8Array(0))).toBe('malformed');
  });

  it('never throws, and answers a boolean or malformed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = opusPacketHasLbrr(bytes);
        expect(r === true || r === false || r === 'malformed').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
