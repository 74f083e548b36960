import { describe, it, expect } from 'vitest';
import { RtpSenderState } from './sender-state';

describe('RtpSenderState (RFC 3550 §5.1, §6.4.1)', () => {
  it('hands out consecutive sequence numbers across the 16-bit wrap and counts cycles', () => {
    const s = new RtpSenderState({ ssrc: 1, clockRate: 8000, initialSequenceNumber: 65534, initialTimestamp: 0 });
    expect([s.takeSequenceNumber(), s.takeSequenceNumber(), s.takeSequenceNumber()]).toEqual([65534, 65535, 0]);
    expect(s.cycles).toBe(1);
  });

  it('offsets timestamps by the random initial value, modulo 2^32', () => {
    const s = new RtpSenderState({ ssrc: 1, clockRate: 8000, initialSequenceNumber: 0, initialTimestamp: 0xffffff00 });
    expect(s.rtpTimestamp(0) >>> 0).toBe(0xffffff00);
    expect(s.rtpTimestamp(0)).toBe(0xffffff00 | 0); // the signed pattern the worker passes unboxed
    expect(s.rtpTimestamp(0x100)).toBe(0);
    expect(s.rtpTimestamp(0x1a0)).toBe(0xa0);
  });

  it('counts packets and payload octets and extrapolates the SR timestamp from the last packet', () => {
    const s = new RtpSenderState({ ssrc: 1, clockRate: 8000, initialSequenceNumber: 0, initialTimestamp: 1000 });
    expect(s.rtpTimestampAt(5)).toBe(1000);
    s.onPacketSent(160, s.rtpTimestamp(0), 100);
    s.onPacketSent(160, s.rtpTimestamp(160), 120);
    expect([s.packetCount, s.octetCount]).toEqual([2, 320]);
    // 50 ms after the last packet at 8 kHz: 400 ticks later.
    expect(s.rtpTimestampAt(170)).toBe(1000 + 160 + 400);
  });
});
