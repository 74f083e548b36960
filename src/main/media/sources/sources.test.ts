import { describe, it, expect, afterAll, vi } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IvfSink } from './ivf-sink';
import { IvfSource } from './ivf-source';
import { ivfFileHeader, parseIvf, vp8KeyframeSize } from './ivf';
import { createEncodedFrame } from './media-source';
import { dominantFrequency, goertzelPower, rms } from './test-support';
import { ToneSource } from './tone-source';
import { parseWav, wavHeader, wavPcmSamples } from './wav';
import { WavSink } from './wav-sink';
import { WavSource } from './wav-source';

const assets = fileURLToPath(new URL('../../../../assets', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vouch-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readPcm(path: string): Int16Array {
  const bytes = readFileSync(path);
  const info = parseWav(bytes);
  if (typeof info === 'string') throw new Error(info);
  return wavPcmSamples(bytes, info);
}

describe('tone analysis', () => {
  it('finds the frequency of a synthetic tone within 2 Hz and tells it from others', () => {
    const s = Int16Array.from({ length: 8000 }, (_, i) => Math.round(5000 * Math.sin((2 * Math.PI * 1234 * i) / 8000)));
    expect(Math.abs(dominantFrequency(s, 8000) - 1234)).toBeLessThan(2);
    expect(goertzelPower(s, 8000, 1234)).toBeGreaterThan(100 * goertzelPower(s, 8000, 1000));
    expect(rms(s)).toBeCloseTo(5000 / Math.SQRT2, -1);
  });
});

describe('WAV parsing', () => {
  it('reads the tone asset: 8 kHz mono 16-bit, 3 s', () => {
    const info = parseWav(readFileSync(join(assets, 'tone-1k.wav')));
    expect(info).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 });
    if (typeof info === 'string') return;
    expect((info.dataEnd - info.dataStart) / 2).toBe(24000);
  });

  it.each([
    ['not RIFF', new Uint8Array(44), 'not-riff'],
    ['RIFF but not WAVE', Uint8Array.from([...'RIFF\0\0\0\0AVI '].map((c) => c.charCodeAt(0))), 'not-wave'],
    ['a data chunk before fmt', Uint8Array.from([...'RIFF\0\0\0\0WAVEdata\0\0\0\0'].map((c) => c.charCodeAt(0))), 'no-fmt'],
  ] as const)('rejects %s', (_name, bytes, error) => {
    expect(parseWav(bytes)).toBe(error);
  });

  it('rejects 24-bit PCM and a fmt chunk claiming more than the file', () => {
    const h = wavHeader(8000, 1, 0);
    h[34] = 24;
    expect(parseWav(h)).toBe('unsupported-format');
    const t = wavHeader(8000, 1, 0).slice(0, 30);
    expect(parseWav(t)).toBe('truncated-chunk');
  });

  it('never throws on random or mutated input, and data offsets stay in the file', () => {
    const valid = readFileSync(join(assets, 'tone-1k.wav')).subarray(0, 200);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 100 }),
          fc.array(fc.tuple(fc.nat(60), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }).map((edits) => {
            const m = Uint8Array.from(valid);
            for (const [i, v] of edits) m[i] = v;
            return m;
          }),
        ),
        (bytes) => {
          const r = parseWav(bytes);
          return typeof r === 'string' || (r.dataStart <= r.dataEnd && r.dataEnd <= bytes.length);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('tone and WAV sources into a WAV sink', () => {
  it.each(['PCMU', 'PCMA'] as const)('a %s tone source recorded by the WAV sink measures 1 kHz', (law) => {
    const src = new ToneSource({ law, frequencyHz: 1000, durationMs: 1000 });
    const path = join(dir, `tone-${law}.wav`);
    const sink = new WavSink(path, law);
    const frame = createEncodedFrame();
    const timestamps: number[] = [];
    while (src.readFrame(frame)) {
      timestamps.push(frame.timestamp);
      sink.writeFrame(frame);
    }
    sink.close();
    expect(timestamps).toHaveLength(50);
    expect(timestamps[1] - timestamps[0]).toBe(160);
    const pcm = readPcm(path);
    expect(pcm.length).toBe(8000);
    expect(Math.abs(dominantFrequency(pcm, 8000) - 1000)).toBeLessThan(3);
  });

  it('the WAV source loops the tone asset as G.711 and a loss is concealed in the sink (G.711 App. I)', () => {
    const src = WavSource.open(join(assets, 'tone-1k.wav'), { law: 'PCMU' });
    if (typeof src === 'string') throw new Error(src);
    const path = join(dir, 'looped.wav');
    const sink = new WavSink(path, 'PCMU');
    const frame = createEncodedFrame();
    // 3 s file, 4 s read: it loops.
    for (let i = 0; i < 200; i++) {
      expect(src.readFrame(frame)).toBe(true);
      if (i === 10) sink.writeLoss(160);
      else sink.writeFrame(frame);
    }
    sink.close();
    const pcm = readPcm(path);
    expect(pcm.length).toBe(200 * 160);
    // The lost frame continues the tone (pitch repetition, full level in its first 10 ms, then
    // fading by 20 % per 10 ms) instead of a hole of silence.
    expect(sink.concealedSamples).toBe(160);
    expect(rms(pcm, 1600, 1680)).toBeGreaterThan(0.95 * rms(pcm, 1440, 1600));
    expect(rms(pcm, 1680, 1760)).toBeGreaterThan(0.8 * rms(pcm, 1440, 1600));
    expect(Math.abs(dominantFrequency(pcm.subarray(1600, 1760), 8000) - 1000)).toBeLessThan(60);
    expect(Math.abs(dominantFrequency(pcm.subarray(2000), 8000) - 1000)).toBeLessThan(3);
  });

  it('a loss whose next packet is given is interpolated into it in the sink: the tone holds its level', () => {
    const src = WavSource.open(join(assets, 'tone-1k.wav'), { law: 'PCMU' });
    if (typeof src === 'string') throw new Error(src);
    const path = join(dir, 'interpolated.wav');
    const sink = new WavSink(path, 'PCMU');
    const frames = Array.from({ length: 40 }, () => {
      const f = createEncodedFrame();
      expect(src.readFrame(f)).toBe(true);
      return f.data.slice(f.offset, f.offset + f.length);
    });
    const frame = createEncodedFrame();
    for (let i = 0; i < 40; i++) {
      frame.data = frames[i];
      frame.offset = 0;
      frame.length = frames[i].length;
      if (i === 10) sink.writeLoss(160, 0, frames[11]);
      else sink.writeFrame(frame);
    }
    sink.close();
    const pcm = readPcm(path);
    expect(pcm.length).toBe(40 * 160);
    expect(sink.concealedSamples).toBe(160);
    // Forward repetition alone fades in the frame's second half (previous test); interpolated
    // into the next frame's tone it keeps the level throughout.
    expect(rms(pcm, 1680, 1760)).toBeGreaterThan(0.95 * rms(pcm, 1440, 1600));
    expect(Math.abs(dominantFrequency(pcm.subarray(1600, 1760), 8000) - 1000)).toBeLessThan(60);
  });

  it('a sink recording from the stream start begins with silence for the time before the first audio', () => {
    // The sink's clock (performance.now) is vitest's fake one: 60 ms pass between its opening
    // and the first frame, exactly, however loaded the machine.
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const path = join(dir, 'lead-in.wav');
      const sink = new WavSink(path, 'PCMU', { fromStreamStart: true });
      vi.advanceTimersByTime(60);
      const src = new ToneSource({ law: 'PCMU', frequencyHz: 1000, durationMs: 100 });
      const frame = createEncodedFrame();
      while (src.readFrame(frame)) sink.writeFrame(frame);
      sink.close();
      const pcm = readPcm(path);
      // 60 ms of silence at 8 samples/ms, then the 100 ms tone.
      expect(pcm.length).toBe(60 * 8 + 800);
      expect(rms(pcm, 0, 60 * 8)).toBe(0);
      expect(Math.abs(dominantFrequency(pcm.subarray(60 * 8), 8000) - 1000)).toBeLessThan(30);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a WAV that is not 8 kHz rather than playing it at the wrong pitch', () => {
    const h = wavHeader(16000, 1, 4);
    const bytes = new Uint8Array(48);
    bytes.set(h);
    expect(WavSource.fromBytes(bytes, { law: 'PCMU' })).toBe('not-8khz');
  });

  it('a non-looping WAV source ends', () => {
    const bytes = new Uint8Array(44 + 400);
    bytes.set(wavHeader(8000, 1, 400));
    const src = WavSource.fromBytes(bytes, { law: 'PCMA', loop: false });
    if (typeof src === 'string') throw new Error(src);
    const frame = createEncodedFrame();
    expect([src.readFrame(frame), src.readFrame(frame), src.readFrame(frame)]).toEqual([true, true, false]);
  });
});

describe('IVF source and sink', () => {
  const clip = readFileSync(join(assets, 'test-vp8.ivf'));

  it('parses the VP8 clip: 320x240, 15 fps, 45 frames, a keyframe every 15', () => {
    const src = IvfSource.fromBytes(clip, { loop: false });
    if (typeof src === 'string') throw new Error(src);
    expect([src.info.width, src.info.height, src.frameCount, src.frameDuration]).toEqual([320, 240, 45, 6000]);
    const frame = createEncodedFrame();
    const keys: number[] = [];
    for (let i = 0; src.readFrame(frame); i++) if (frame.keyframe) keys.push(i);
    expect(keys).toEqual([0, 15, 30]);
    expect(clip.length).toBeLessThan(200 * 1024);
  });

  it('jumps to the next keyframe on request, and loops back to the start after the last one', () => {
    const src = IvfSource.fromBytes(clip);
    if (typeof src === 'string') throw new Error(src);
    const frame = createEncodedFrame();
    for (let i = 0; i < 3; i++) src.readFrame(frame);
    src.requestKeyframe();
    src.readFrame(frame);
    expect(frame.keyframe).toBe(true);
    expect(frame.offset).toBe(src.info.frameStarts[15]);
    expect(frame.timestamp).toBe(3 * 6000);
    for (let i = 0; i < 20; i++) src.readFrame(frame);
    src.requestKeyframe();
    src.readFrame(frame);
    expect(frame.offset).toBe(src.info.frameStarts[0]);
  });

  it('writes back a file whose frames equal the source frames', () => {
    const src = IvfSource.fromBytes(clip, { loop: false });
    if (typeof src === 'string') throw new Error(src);
    const path = join(dir, 'copy.ivf');
    const sink = new IvfSink(path);
    const frame = createEncodedFrame();
    while (src.readFrame(frame)) sink.writeFrame(frame);
    sink.close();
    const copy = parseIvf(readFileSync(path));
    if (typeof copy === 'string') throw new Error(copy);
    expect([copy.width, copy.height, copy.frameStarts.length]).toEqual([320, 240, 45]);
    const written = readFileSync(path);
    for (let i = 0; i < 45; i++) {
      const a = clip.subarray(src.info.frameStarts[i], src.info.frameStarts[i] + src.info.frameLengths[i]);
      const b = written.subarray(copy.frameStarts[i], copy.frameStarts[i] + copy.frameLengths[i]);
      expect(Buffer.compare(a, b)).toBe(0);
    }
    expect(Array.from(copy.framePts.subarray(0, 3))).toEqual([0, 6000, 12000]);
  });

  it('the sink skips delta frames until the first keyframe', () => {
    const src = IvfSource.fromBytes(clip, { loop: false });
    if (typeof src === 'string') throw new Error(src);
    const path = join(dir, 'late.ivf');
    const sink = new IvfSink(path);
    const frame = createEncodedFrame();
    src.readFrame(frame); // keyframe 0 lost
    while (src.readFrame(frame)) sink.writeFrame(frame);
    sink.close();
    expect(sink.framesWritten).toBe(30);
  });

  it('reads the frame size from a VP8 key frame header (RFC 6386 §9.1)', () => {
    const first = parseIvf(clip);
    if (typeof first === 'string') throw new Error(first);
    const s = first.frameStarts[0];
    expect(vp8KeyframeSize(clip, s, s + first.frameLengths[0])).toEqual({ width: 320, height: 240 });
    expect(vp8KeyframeSize(clip, first.frameStarts[1], first.frameStarts[1] + first.frameLengths[1])).toBeUndefined();
  });

  it('rejects what is not a VP8 IVF and never throws on mutated files', () => {
    expect(parseIvf(new Uint8Array(10))).toBe('not-ivf');
    const h = ivfFileHeader(1, 1, 15, 1, 0);
    expect(parseIvf(h)).toBe('no-frames');
    h[8] = 0x41;
    expect(parseIvf(h)).toBe('not-vp8');
    const head = clip.subarray(0, 400);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(399), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(400), (edits, cut) => {
        const m = Uint8Array.from(head.subarray(0, cut));
        for (const [i, v] of edits) if (i < m.length) m[i] = v;
        const r = parseIvf(m);
        if (typeof r === 'string') return true;
        for (let i = 0; i < r.frameStarts.length; i++) if (r.frameStarts[i] + r.frameLengths[i] > m.length) return false;
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});
