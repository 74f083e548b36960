import { describe, it, expect } from 'vitest';
import { FrameCodecGate } from './frame-codec-gate';

describe('FrameCodecGate (issue 16: no Opus frames under a G.711 payload type)', () => {
  it('passes frames of the negotiated codec and drops and counts the others, per stream', () => {
    const gate = new FrameCodecGate();
    expect(gate.admit('audio', 'pcmu', 'pcmu')).toBe(true);
    expect(gate.admit('audio', 'opus', 'pcmu')).toBe(false);
    expect(gate.admit('audio', 'pcma', 'pcmu')).toBe(false);
    expect(gate.admit('video', 'vp8', 'vp8')).toBe(true);
    expect(gate.admit('video', 'opus', 'vp8')).toBe(false);
    expect(gate.droppedFor('audio')).toBe(2);
    expect(gate.droppedFor('video')).toBe(1);
  });

  it('drops frames for a stream whose codec is not negotiated yet', () => {
    const gate = new FrameCodecGate();
    expect(gate.admit('audio', 'opus', undefined)).toBe(false);
    expect(gate.droppedFor('audio')).toBe(1);
    expect(gate.droppedFor('video')).toBe(0);
  });
});
