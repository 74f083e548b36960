import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { createRtpHeader, parseRtpHeader, writeRtpHeader } from '../rtp/header';
import { G711_SAMPLES_PER_PACKET, g711LawForPayloadType, readG711Payload, writeG711Payload } from './g711';
import { opusPacketSamples, writeOpusPayload } from './opus';
import { dtmfDigit, dtmfEventCode, TelephoneEventReceiver, TelephoneEventSender } from './telephone-event';

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
}

describe('PCMU/PCMA payload (RFC 3551 §4.5.14)', () => {
  it('maps payload types 0 and 8 and nothing else', () => {
    expect([g711LawForPayloadType(0), g711LawForPayloadType(8), g711LawForPayloadType(9)]).toEqual(['PCMU', 'PCMA', undefined]);
  });

  it.each(['PCMU', 'PCMA'] as const)('%s carries 20 ms as 160 octets and decodes back within the quantization error', (law) => {
    const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));
    const p = PacketBuffer.alloc(12);
    writeRtpHeader(p, Object.assign(createRtpHeader(), { payloadType: law === 'PCMU' ? 0 : 8 }));
    expect(writeG711Payload(p, law, pcm)).toBeUndefined();
    expect(p.length).toBe(12 + G711_SAMPLES_PER_PACKET);
    const h = createRtpHeader();
    parseRtpHeader(p.bytes, p.start, p.end, h);
    const back = new Int16Array(160);
    expect(readG711Payload(law, p.bytes, h.payloadStart, h.payloadEnd, back)).toBe(160);
    for (let i = 0; i < 160; i++) expect(Math.abs(back[i] - pcm[i])).toBeLessThan(300);
  });

  it('decodes no more than the output holds', () => {
    expect(readG711Payload('PCMU', new Uint8Array(200), 0, 200, new Int16Array(160), 100)).toBe(60);
  });
});

describe('Opus payload (RFC 7587, TOC of RFC 6716 §3.1)', () => {
  it.each([
    ['CELT FB 20 ms, one frame (config 31, code 0)', 'f8', 960],
    ['SILK WB 20 ms, one frame (config 9, code 0)', '48', 960],
    ['SILK NB 60 ms, code 1: two frames', '19', 5760],
    ['CELT NB 2.5 ms, code 3 with 4 frames', '83 04', 480],
    ['code 3 with zero frames is malformed', '83 00', -1],
    ['SILK 60 ms x 3 frames exceeds 120 ms', '1b 03', -1],
    ['code 3 without the count byte', '83', -1],
  ] as const)('%s', (_name, toc, samples) => {
    const b = hex(toc);
    expect(opusPacketSamples(b, 0, b.length)).toBe(samples);
  });

  it('copies the Opus packet unchanged as the payload', () => {
    const p = PacketBuffer.alloc(0);
    writeOpusPayload(p, hex('f8 0102 03'));
    expect(Array.from(p.payload())).toEqual([0xf8, 1, 2, 3]);
  });
});

describe('telephone-event (RFC 4733)', () => {
  it('maps DTMF digits to event codes (§3.2)', () => {
    expect('0123456789*#ABCD'.split('').map(dtmfEventCode)).toEqual([...Array(16).keys()]);
    expect(dtmfEventCode('x')).toBe(-1);
    expect(dtmfDigit(11)).toBe('#');
    expect(dtmfDigit(16)).toBeUndefined();
  });

  function sendAll(sender: TelephoneEventSender): Array<{ marker: boolean; ts: number; payload: number[] }> {
    const out = [];
    while (sender.active) {
      const p = PacketBuffer.alloc(4);
      sender.writeNext(p);
      out.push({ marker: sender.marker, ts: sender.timestamp, payload: Array.from(p.payload()) });
    }
    return out;
  }

  it('sends growing durations under one timestamp, marker first, the end packet three times (§2.5.1)', () => {
    const s = new TelephoneEventSender(8000, 20);
    s.begin(dtmfEventCode('7'), 100, 12345, 10);
    const packets = sendAll(s);
    // 100 ms at 8 kHz = 800 units, 160 per packet: 160..640 updates, then 800 with E three times.
    expect(packets.map((p) => (p.payload[2] << 8) | p.payload[3])).toEqual([160, 320, 480, 640, 800, 800, 800]);
    expect(packets.map((p) => p.payload[1] >> 7)).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(packets.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
    expect(new Set(packets.map((p) => p.ts))).toEqual(new Set([12345]));
    expect(packets.every((p) => p.payload[0] === 7 && (p.payload[1] & 0x3f) === 10)).toBe(true);
  });

  function receive(r: TelephoneEventReceiver, ts: number, payloadHex: string): string {
    const p = PacketBuffer.alloc(16);
    writeRtpHeader(p, Object.assign(createRtpHeader(), { payloadType: 101, timestamp: ts }));
    p.append(hex(payloadHex));
    const h = createRtpHeader();
    parseRtpHeader(p.bytes, p.start, p.end, h);
    return r.push(p.bytes, h);
  }

  it('reports each event once as begun and once as ended, deduplicating by timestamp (§2.5.2)', () => {
    const r = new TelephoneEventReceiver();
    const verdicts = [
      receive(r, 1000, '05 0a 00a0'),
      receive(r, 1000, '05 0a 0140'),
      receive(r, 1000, '05 8a 0320'),
      receive(r, 1000, '05 8a 0320'),
      receive(r, 1000, '05 8a 0320'),
      receive(r, 1000, '05 0a 0140'), // late reordered update
      receive(r, 2000, '0b 8a 0320'), // first packets lost: only the end arrives
      receive(r, 2000, '0b 8a 0320'),
    ];
    expect(verdicts).toEqual(['begin', 'repeat', 'end', 'repeat', 'repeat', 'repeat', 'begin-end', 'repeat']);
    expect(dtmfDigit(r.event)).toBe('#');
    expect(r.duration).toBe(800);
  });

  it('calls a short payload malformed and never throws on random payloads', () => {
    const r = new TelephoneEventReceiver();
    expect(receive(r, 1, '05 0a')).toBe('malformed');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.integer({ min: 0, max: 3 }), (payload, ts) => {
        const hexed = Array.from(payload, (b) => b.toString(16).padStart(2, '0')).join('');
        const v = payload.length ? receive(r, ts, hexed) : 'malformed';
        return ['begin', 'end', 'begin-end', 'repeat', 'malformed'].includes(v);
      }),
    );
  });
});
