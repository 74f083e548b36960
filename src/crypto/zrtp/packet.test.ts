import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { encodePacket, messageTypeOf, parsePacket } from './packet';
import { decodeMessage, encodeBareAck, encodeCommit, encodeDHPart, encodeError, encodeHello, encodePing } from './messages';
import { encodeConfirmWire } from './messages/confirm';
import { makeHashChain } from './hash-chain';

const chain = makeHashChain(new Uint8Array(32).fill(7));
const zid = new Uint8Array(12).fill(3);
const hello = encodeHello(
  { version: '1.10', clientId: 'Vouch', h3: chain.h3, zid, signatureCapable: false, mitm: true, passive: false, hashes: ['S256', 'S384'], ciphers: ['AES1'], authTags: ['HS80', 'HS32'], keyAgreements: ['X255', 'DH3k', 'Mult'], sasTypes: ['B32'] },
  chain.h2,
);
const samples = [
  hello,
  encodeCommit({ h2: chain.h2, zid, hash: 'S256', cipher: 'AES1', authTag: 'HS80', keyAgreement: 'X255', sas: 'B32', hvi: new Uint8Array(32).fill(9) }, chain.h1),
  encodeCommit({ h2: chain.h2, zid, hash: 'S256', cipher: 'AES1', authTag: 'HS80', keyAgreement: 'Mult', sas: 'B32', nonce: new Uint8Array(16).fill(5) }, chain.h1),
  encodeDHPart({ part: 1, h1: chain.h1, rs1Id: new Uint8Array(8), rs2Id: new Uint8Array(8), auxSecretId: new Uint8Array(8), pbxSecretId: new Uint8Array(8), pv: new Uint8Array(32).fill(4) }, chain.h0),
  encodeConfirmWire(2, new Uint8Array(8), new Uint8Array(16), new Uint8Array(40)),
  encodeBareAck('Conf2ACK'),
  encodeError(0x61),
  encodePing({ version: '1.10', endpointHash: new Uint8Array(8).fill(1) }),
];

describe('ZRTP packet (RFC 6189 §5)', () => {
  it('round-trips header fields and message', () => {
    const p = encodePacket(0x1234, 0xdeadbeef, hello);
    expect([p[0], p[1]]).toEqual([0x10, 0x00]);
    const r = parsePacket(p);
    expect(r.ok && r.packet.sequence).toBe(0x1234);
    expect(r.ok && r.packet.ssrc).toBe(0xdeadbeef);
    expect(r.ok && Array.from(r.packet.message)).toEqual(Array.from(hello));
  });

  it('decodes every message it encodes', () => {
    for (const m of samples) {
      const r = decodeMessage(m);
      expect(r.ok, String(!r.ok && r.error)).toBe(true);
    }
    const h = decodeMessage(hello);
    expect(h.ok && h.message.type === 'Hello' && h.message.hello.keyAgreements).toEqual(['X255', 'DH3k', 'Mult']);
    expect(h.ok && h.message.type === 'Hello' && h.message.hello.mitm).toBe(true);
  });

  it('names the message type of a well-formed packet only (§5.1.1 type block)', () => {
    expect(messageTypeOf(encodePacket(1, 2, hello))).toBe('Hello   ');
    expect(messageTypeOf(encodePacket(1, 2, samples[1]))).toBe('Commit  ');
    const broken = encodePacket(1, 2, hello);
    broken[20] ^= 1;
    expect(messageTypeOf(broken)).toBeUndefined();
    expect(messageTypeOf(new Uint8Array(10))).toBeUndefined();
  });

  it('drops every single flipped bit by CRC', () => {
    const p = encodePacket(7, 1, samples[1]);
    for (let bit = 0; bit < p.length * 8; bit++) {
      const q = p.slice();
      q[bit >> 3] ^= 1 << (bit & 7);
      const r = parsePacket(q);
      expect(r.ok).toBe(false);
    }
  });

  it('rejects a length word that disagrees with the packet', () => {
    const m = samples[5].slice();
    m[3] = 4;
    expect(parsePacket(encodePacket(1, 1, m))).toEqual({ ok: false, error: 'bad-length' });
  });

  it('never throws on random input (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        const r = parsePacket(bytes);
        if (r.ok) decodeMessage(r.packet.message);
        decodeMessage(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutated valid messages with a correct CRC (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: samples.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.integer({ min: -8, max: 8 }), (i, edits, resize) => {
        let m = samples[i].slice();
        for (const [at, v] of edits) m[at % m.length] = v;
        if (resize > 0) m = new Uint8Array([...m, ...new Uint8Array(resize * 4)]);
        else if (resize < 0) m = m.slice(0, Math.max(0, m.length + resize * 4));
        const r = parsePacket(encodePacket(1, 1, m));
        if (r.ok) decodeMessage(r.packet.message);
      }),
      { numRuns: 3000 },
    );
  });
});
