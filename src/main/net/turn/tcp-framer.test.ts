// The TCP framer (RFC 8656 §12.5): any split of a stream of STUN and ChannelData messages yields
// the same messages; garbage fails typed; the buffer stays bounded.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StunMethod, serializeMessage } from '../stun/message';
import { encodeChannelData } from './channel-data';
import { TcpFramer } from './tcp-framer';

const arbMessage = fc.oneof(
  fc
    .record({ tid: fc.uint8Array({ minLength: 12, maxLength: 12 }), value: fc.uint8Array({ maxLength: 40 }) })
    .map(({ tid, value }) =>
      serializeMessage({ method: StunMethod.Data, cls: 'indication', transactionId: tid, attributes: [{ type: 0x0013, value }] }),
    ),
  fc
    .record({ channel: fc.integer({ min: 0x4000, max: 0x4fff }), data: fc.uint8Array({ maxLength: 40 }) })
    .map(({ channel, data }) => encodeChannelData(channel, data, 'tcp')),
);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

describe('TURN TCP framer', () => {
  it('returns the same messages however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(arbMessage, { maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 20 }), (msgs, cuts) => {
        const stream = concat(msgs);
        const framer = new TcpFramer();
        const out: Uint8Array[] = [];
        let pos = 0;
        for (const cut of [...cuts, stream.length]) {
          const r = framer.push(stream.subarray(pos, Math.min(stream.length, pos + cut)));
          expect(r.ok).toBe(true);
          if (r.ok) out.push(...r.messages);
          pos = Math.min(stream.length, pos + cut);
        }
        expect(out.map((m) => Array.from(m))).toEqual(msgs.map((m) => Array.from(m)));
        expect(framer.buffered).toBe(0);
      }),
    );
  });

  it('holds a partial message until its last byte arrives', () => {
    const framer = new TcpFramer();
    const msg = encodeChannelData(0x4000, Uint8Array.of(1, 2, 3, 4, 5), 'tcp');
    expect(framer.push(msg.subarray(0, 7))).toEqual({ ok: true, messages: [] });
    expect(framer.buffered).toBe(7);
    const r = framer.push(msg.subarray(7));
    expect(r.ok && r.messages.length).toBe(1);
  });

  it('fails typed, and stays failed, on a first byte that is neither STUN nor ChannelData', () => {
    const framer = new TcpFramer();
    expect(framer.push(Uint8Array.of(0x80, 0, 0, 0))).toEqual({ ok: false, error: 'not-turn' });
    expect(framer.push(encodeChannelData(0x4000, new Uint8Array(4), 'tcp'))).toEqual({ ok: false, error: 'not-turn' });
    expect(new TcpFramer().push(Uint8Array.of(0, 1, 0, 3))).toEqual({ ok: false, error: 'bad-stun-length' });
  });

  it('never throws and never buffers more than one message on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 10 }), (chunks) => {
        const framer = new TcpFramer();
        for (const c of chunks) {
          framer.push(c);
          expect(framer.buffered).toBeLessThanOrEqual(20 + 0xffff);
        }
      }),
    );
  });
});
