import { describe, expect, it, vi } from 'vitest';
import { CALL_START_LOSS_PERCENT, createAudioReceiver, createAudioSender } from './audio-codecs';
import { G711Packetizer, G711_RATE } from './g711-frames';

/** 20 ms G.711 frames of a 200 Hz tone, as the peer sends them. */
function toneFrames(law: 'PCMU' | 'PCMA', count: number): Uint8Array[] {
  const samples = new Float32Array(count * 160);
  for (let n = 0; n < samples.length; n++) samples[n] = 0.4 * Math.sin((2 * Math.PI * 200 * n) / G711_RATE);
  return new G711Packetizer(law).push(samples).map((f) => f.payload);
}

const rms = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);

describe('G.711 receiver (renderer)', () => {
  it('conceals a frame the worker marked lost (empty payload) instead of leaving a hole', () => {
    for (const [codec, law] of [['pcmu', 'PCMU'], ['pcma', 'PCMA']] as const) {
      const played: { samples: Float32Array; rate: number }[] = [];
      const r = createAudioReceiver(codec, (samples, rate) => played.push({ samples, rate }), (e) => {
        throw e;
      });
      const frames = toneFrames(law, 12);
      frames.forEach((f, i) => r.receive(i === 8 ? new Uint8Array(0) : f, i * 160));
      expect(played.map((p) => [p.samples.length, p.rate])).toEqual(frames.map(() => [160, G711_RATE]));
      // The concealed frame carries the tone on (fading only after its first 10 ms).
      expect(rms(played[8].samples)).toBeGreaterThan(0.8 * rms(played[7].samples));
      r.close();
    }
  });

  it('interpolates a lost frame sent with the packet after it (flagged) into that packet: the tone holds its level', () => {
    const played: Float32Array[] = [];
    const r = createAudioReceiver('pcmu', (samples) => played.push(samples), (e) => {
      throw e;
    });
    const frames = toneFrames('PCMU', 12);
    frames.forEach((f, i) => (i === 8 ? r.receive(frames[9], i * 160, true) : r.receive(f, i * 160)));
    expect(played.map((p) => p.length)).toEqual(frames.map(() => 160));
    // Repetition alone fades in the frame's second half; interpolated into frame 9 it does not.
    expect(rms(played[8].subarray(80))).toBeGreaterThan(0.95 * rms(played[7].subarray(80)));
    r.close();
  });

  it('conceals a lost 30 ms packet as 240 samples when the peer sends 30 ms packets', () => {
    const played: Float32Array[] = [];
    const r = createAudioReceiver('pcmu', (samples) => played.push(samples), (e) => {
      throw e;
    });
    const frames = toneFrames('PCMU', 6);
    for (let i = 0; i < 4; i++) r.receive(new Uint8Array([...frames[i], ...frames[i].subarray(0, 80)]), i * 240);
    r.receive(new Uint8Array(0), 960);
    expect(played.map((p) => p.length)).toEqual([240, 240, 240, 240, 240]);
  });
});

describe('Opus sender: in-band FEC sized for the loss (RFC 7587 §3.3)', () => {
  /** Node has no WebCodecs: a stand-in AudioEncoder that keeps every configuration it is given. */
  class RecordingAudioEncoder {
    static configs: { opus?: { packetlossperc?: number; useinbandfec?: boolean; usedtx?: boolean } }[] = [];
    state = 'unconfigured';
    configure(config: (typeof RecordingAudioEncoder.configs)[number]) {
      RecordingAudioEncoder.configs.push(config);
      this.state = 'configured';
    }
    close() {
      this.state = 'closed';
    }
  }

  it('sends FEC from the call’s first packet (10 % expected loss), then follows the peer’s reports', () => {
    vi.stubGlobal('AudioEncoder', RecordingAudioEncoder);
    try {
      RecordingAudioEncoder.configs = [];
      const sender = createAudioSender('opus', () => {}, (e) => {
        throw e;
      });
      const losses = () => RecordingAudioEncoder.configs.map((c) => c.opus?.packetlossperc);
      expect(RecordingAudioEncoder.configs[0].opus).toEqual({ useinbandfec: true, usedtx: true, packetlossperc: CALL_START_LOSS_PERCENT });
      expect(CALL_START_LOSS_PERCENT).toBeGreaterThan(0);
      sender.setPacketLoss(0.09); // within the step: no reconfiguration
      expect(losses()).toEqual([10]);
      sender.setPacketLoss(0); // the first report measured none: FEC off
      sender.setPacketLoss(0.05);
      sender.setPacketLoss(Number.NaN); // a report with nothing in it counts as no loss
      expect(losses()).toEqual([10, 0, 5, 0]);
      sender.close();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
