import { describe, it, expect } from 'vitest';
import { decodeG711Frame, floatToPcm16, G711Packetizer, pcm16ToFloat } from './g711-frames';

describe('G.711 frames', () => {
  it('converts float to 16-bit PCM with clamping and back', () => {
    expect([...floatToPcm16(Float32Array.of(0, 1, -1, 2, -2, 0.5, NaN))]).toEqual([0, 32767, -32768, 32767, -32768, 16384, 0]);
    expect([...pcm16ToFloat(Int16Array.of(-32768, 16384))]).toEqual([-1, 0.5]);
  });

  it('cuts 20 ms frames of 160 samples with running timestamps, across pushes', () => {
    const p = new G711Packetizer('PCMU', 4294967200);
    expect(p.push(new Float32Array(100))).toHaveLength(0);
    const frames = p.push(new Float32Array(400));
    expect(frames.map((f) => f.payload.length)).toEqual([160, 160, 160]);
    expect(frames.map((f) => f.timestamp)).toEqual([4294967200, (4294967200 + 160) >>> 0, (4294967200 + 320) >>> 0]);
  });

  it('round-trips a tone through µ-law and A-law within G.711 precision', () => {
    const tone = Float32Array.from({ length: 160 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 8000));
    for (const law of ['PCMU', 'PCMA'] as const) {
      const [frame] = new G711Packetizer(law).push(tone);
      const back = decodeG711Frame(law, frame.payload);
      for (let i = 0; i < tone.length; i++) expect(Math.abs(back[i] - tone[i])).toBeLessThan(0.02);
    }
  });
});
