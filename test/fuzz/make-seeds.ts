// Writes the seed inputs of corpus/<target>/seed-*.bin (run: `node --import tsx test/fuzz/make-seeds.ts`).
// Written here from the RFCs' examples, not copied from message files; every host is 127.0.0.1
// (issue 20: the RFCs' example hosts are real machines on this network). Binary seeds are built
// with Vouch's own encoders so they start valid and the mutator walks away from valid.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePacket } from '../../src/crypto/zrtp/packet';
import { encodeBareAck, encodeCommit, encodeDHPart, encodeError, encodeHello, encodePing } from '../../src/crypto/zrtp/messages';
import { encodeConfirmWire } from '../../src/crypto/zrtp/messages/confirm';
import { makeHashChain } from '../../src/crypto/zrtp/hash-chain';
import { PacketBuffer } from '../../src/crypto/packet-buffer';
import { SrtpSession } from '../../src/crypto/srtp/session';
import { AttributeType, StunMethod, serializeMessage } from '../../src/main/net/stun/message';
import { encodeErrorCode, encodeLifetime, encodePriority, encodeTieBreaker, encodeXorMappedAddress } from '../../src/main/net/stun/attributes';
import { encodeChannelData } from '../../src/main/net/turn/channel-data';
import { defaultSettings } from '../../src/main/store/settings';
import { COMMAND_NAMES, EVENT_TYPES } from '../../src/shared/api';
import { encodeMediaFrame } from '../../src/shared/wire';

const root = join(import.meta.dirname, 'corpus');
const crlf = (lines: string[]): string => lines.join('\r\n');
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
function write(target: string, seeds: (string | Uint8Array)[]): void {
  const dir = join(root, target);
  mkdirSync(dir, { recursive: true });
  seeds.forEach((s, i) => writeFileSync(join(dir, `seed-${String(i).padStart(2, '0')}.bin`), typeof s === 'string' ? Buffer.from(s, 'utf8') : s));
}

// --- SIP: RFC 3261 §24.2 (Alice calls Bob), §10.2 REGISTER, §11.1 OPTIONS, §7.3.3 compact form.
const sdpBody = crlf(['v=0', 'o=alice 2890844526 2890844526 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 49170 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', '']);
const invite = crlf([
  'INVITE sip:bob@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnashds8;rport',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@127.0.0.1>',
  'From: Alice <sip:alice@127.0.0.1>;tag=1928301774',
  'Call-ID: a84b4c76e66710@127.0.0.1',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@127.0.0.1:5060;transport=udp>',
  'Route: <sip:127.0.0.1:5062;lr>',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(sdpBody)}`,
  '',
  sdpBody,
]);
const ok = crlf([
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnashds8;received=127.0.0.1',
  'To: Bob <sip:bob@127.0.0.1>;tag=a6c85cf',
  'From: Alice <sip:alice@127.0.0.1>;tag=1928301774',
  'Call-ID: a84b4c76e66710@127.0.0.1',
  'CSeq: 314159 INVITE',
  'Contact: <sip:bob@127.0.0.1:5070>',
  'Record-Route: <sip:127.0.0.1:5062;lr>',
  'Content-Length: 0',
  '',
  '',
]);
const register = crlf([
  'REGISTER sip:127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnashds7',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@127.0.0.1>',
  'From: Bob <sip:bob@127.0.0.1>;tag=456248',
  'Call-ID: 843817637684230@998sdasdh09',
  'CSeq: 1826 REGISTER',
  'Contact: <sip:bob@127.0.0.1>;expires=7200, "Bob" <sip:bob@127.0.0.1:5070>;q=0.5',
  'Authorization: Digest username="bob", realm="127.0.0.1", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:127.0.0.1", response="6629fae49393a05397450978507c4ef1", algorithm=MD5',
  'Expires: 7200',
  'Content-Length: 0',
  '',
  '',
]);
const compact = crlf([
  'OPTIONS sips:carol@127.0.0.1;maddr=127.0.0.1?Subject=hi SIP/2.0',
  'v: SIP/2.0/TCP 127.0.0.1:5061;branch=z9hG4bKhjhs8ass877',
  ' ;received=127.0.0.1',
  'Max-Forwards: 70',
  't: <sip:carol@127.0.0.1>',
  'f: "Alice \\"A\\"" <sip:alice@127.0.0.1>;tag=1928301774',
  'i: a84b4c76e66710',
  'CSeq: 63104 OPTIONS',
  'm: <sip:alice@127.0.0.1>',
  'Accept: application/sdp',
  'Require: 100rel',
  'l: 0',
  '',
  '',
]);
const bye = crlf(['BYE sip:alice@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKnashds10', 'Max-Forwards: 70', 'From: Bob <sip:bob@127.0.0.1>;tag=a6c85cf', 'To: Alice <sip:alice@127.0.0.1>;tag=1928301774', 'Call-ID: a84b4c76e66710@127.0.0.1', 'CSeq: 231 BYE', 'Content-Length: 0', '', '']);
write('sip', [invite, ok, register, compact, bye]);

// --- SDP: RFC 8866 §5 example; an offer as Vouch makes them (RFC 8839 ICE, RFC 4568, RFC 6189 §8).
write('sdp', [
  crlf(['v=0', 'o=jdoe 3724394400 3724394405 IN IP4 127.0.0.1', 's=Call to John Smith', 'i=SDP Offer #1', 'u=http://127.0.0.1/jdoe', 'e=Jane Doe <jane@127.0.0.1>', 'p=+1 617 555-6011', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 49170 RTP/AVP 0', 'm=audio 49180 RTP/AVP 0', 'm=video 51372 RTP/AVP 99', 'c=IN IP6 ::1', 'a=rtpmap:99 h263-1998/90000', '']),
  crlf([
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'a=ice-options:trickle', 'a=zrtp-hash:1.10 fe30efd02423cb054e50efd0248742ac7a52c8f91bc2df881ae642c371ba46df',
    'm=audio 40000 RTP/SAVP 111 0 8 101', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=rtcp-mux', 'a=sendrecv',
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4', 'a=ice-ufrag:8hhY', 'a=ice-pwd:asd88fgpdd777uzjYhagZg',
    'a=candidate:1 1 UDP 2130706431 127.0.0.1 40000 typ host', 'a=candidate:2 1 UDP 1694498815 127.0.0.1 45664 typ srflx raddr 127.0.0.1 rport 40000', 'a=end-of-candidates',
    'm=video 40002 RTP/SAVP 96', 'a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 nack', 'a=rtcp-fb:96 nack pli', 'a=rtcp-fb:96 ccm fir', 'a=rtcp:40003 IN IP4 127.0.0.1', 'a=recvonly', '',
  ]),
]);

// --- RTP (RFC 3550 §5.1): plain; CSRCs + marker; one-byte extension (RFC 8285 §4.2) + padding.
write('rtp', [
  hex('80 00 00 01 00 00 00 a0 12 34 56 78 ff ff ff ff'),
  hex('82 e0 ff ff 00 01 00 00 12 34 56 78 00 00 00 01 00 00 00 02 aa bb'),
  hex('b0 60 00 02 00 00 0b b8 12 34 56 78 be de 00 01 10 ff 00 00 01 02 03 00 00 04'),
]);

// --- RTCP (RFC 3550 §6.4.1 SR + §6.5 SDES CNAME; RR + BYE with reason; RFC 4585 §6.2.1 NACK,
// §6.3.1 PLI; RFC 5104 §4.3.1 FIR; an APP packet).
const sr = '81 c8 00 0c 12 34 56 78 e9 5b 5e 2a 00 00 00 00 00 00 03 e8 00 00 00 0a 00 00 06 40 87 65 43 21 05 00 00 02 00 00 10 00 00 00 00 10 00 00 00 00 00 00 00 00';
const sdes = '81 ca 00 06 12 34 56 78 01 0f 76 6f 75 63 68 40 31 32 37 2e 30 2e 30 2e 31 00';
write('rtcp', [
  hex(sr + sdes),
  hex('80 c9 00 01 12 34 56 78 81 cb 00 03 12 34 56 78 05 6c 65 61 76 65 00 00'),
  hex('81 cd 00 03 12 34 56 78 87 65 43 21 00 10 00 05'),
  hex('81 ce 00 02 12 34 56 78 87 65 43 21'),
  hex('84 ce 00 04 12 34 56 78 00 00 00 00 87 65 43 21 07 00 00 00'),
  hex('a0 cc 00 03 12 34 56 78 6e 61 6d 65 00 00 00 02'),
]);

// --- ZRTP (RFC 6189 §5): each message type as Vouch encodes it, bare and framed.
const chain = makeHashChain(new Uint8Array(32).fill(7));
const zid = new Uint8Array(12).fill(3);
const zrtp = [
  encodeHello({ version: '1.10', clientId: 'Vouch', h3: chain.h3, zid, signatureCapable: false, mitm: false, passive: false, hashes: ['S256', 'S384'], ciphers: ['AES1', 'AES3'], authTags: ['HS80', 'HS32'], keyAgreements: ['X255', 'EC25', 'DH3k', 'Mult'], sasTypes: ['B32', 'B256'] }, chain.h2),
  encodeCommit({ h2: chain.h2, zid, hash: 'S256', cipher: 'AES1', authTag: 'HS80', keyAgreement: 'X255', sas: 'B32', hvi: new Uint8Array(32).fill(9) }, chain.h1),
  encodeCommit({ h2: chain.h2, zid, hash: 'S256', cipher: 'AES1', authTag: 'HS80', keyAgreement: 'Mult', sas: 'B32', nonce: new Uint8Array(16).fill(5) }, chain.h1),
  encodeDHPart({ part: 1, h1: chain.h1, rs1Id: new Uint8Array(8), rs2Id: new Uint8Array(8), auxSecretId: new Uint8Array(8), pbxSecretId: new Uint8Array(8), pv: new Uint8Array(32).fill(4) }, chain.h0),
  encodeConfirmWire(1, new Uint8Array(8), new Uint8Array(16), new Uint8Array(40)),
  encodeBareAck('HelloACK'),
  encodeBareAck('Conf2ACK'),
  encodeError(0x61),
  encodePing({ version: '1.10', endpointHash: new Uint8Array(8).fill(1) }),
];
write('zrtp', [...zrtp, encodePacket(1, 0x01020304, zrtp[0])]);

// --- SRTP: a packet protected under each of the target's suites (first byte picks the suite).
const masterKey = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
const masterSalt = Uint8Array.from({ length: 14 }, (_, i) => 0xa0 + i);
const srtpSuites = [
  new SrtpSession({ suite: 'AES_CM_128_HMAC_SHA1_80', masterKey, masterSalt }),
  new SrtpSession({ suite: 'AES_CM_128_HMAC_SHA1_32', masterKey, masterSalt, mki: Uint8Array.of(0, 0, 0, 1) }),
  new SrtpSession({ suite: 'AEAD_AES_128_GCM', masterKey, masterSalt: masterSalt.subarray(0, 12) }),
];
const srtpSeeds: Uint8Array[] = [];
srtpSuites.forEach((s, i) => {
  for (const [plain, rtcp] of [[hex('80 00 00 01 00 00 00 a0 12 34 56 78 01 02 03 04 05 06 07 08'), false], [hex(sr), true]] as const) {
    const p = PacketBuffer.from(plain, { tailroom: s.maxTrailerLength });
    if (!(p instanceof PacketBuffer)) throw new Error('seed packet');
    const err = rtcp ? s.protectRtcp(p) : s.protectRtp(p);
    if (err) throw new Error(`seed protect: ${err.kind}`);
    srtpSeeds.push(Uint8Array.of(i, ...p.payload()));
  }
});
write('srtp', srtpSeeds);

// --- VP8 (RFC 7741 §4.2): a keyframe in two packets (S bit, PictureID, keyframe header), then a
// one-packet interframe; each payload behind its length byte (see targets/vp8.ts).
const vp8Packets = [hex('90 80 01 10 02 9d 01 2a 40 00 30 00 00 00'), hex('80 80 01 aa bb cc dd'), hex('90 80 02 31 00 00 ee ff')];
write('vp8', [Uint8Array.from(vp8Packets.flatMap((p) => [p.length, ...p]))]);

// --- STUN (RFC 8489 §14, RFC 8445 §7.1.1 check attributes, RFC 8656 Allocate error).
const tid = hex('b7 e7 a7 01 bc 34 d6 86 fa 87 df ae');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
write('stun', [
  serializeMessage({ method: StunMethod.Binding, cls: 'request', transactionId: tid, attributes: [
    { type: AttributeType.Username, value: text('evtj:h6vY') },
    { type: AttributeType.Priority, value: encodePriority(0x6e0001ff) },
    { type: AttributeType.IceControlled, value: encodeTieBreaker(0x932ff9b151263b36n) },
  ] }),
  serializeMessage({ method: StunMethod.Binding, cls: 'success', transactionId: tid, attributes: [{ type: AttributeType.XorMappedAddress, value: encodeXorMappedAddress({ family: 'IPv4', address: '127.0.0.1', port: 32853 }, tid) }] }),
  serializeMessage({ method: StunMethod.Binding, cls: 'success', transactionId: tid, attributes: [{ type: AttributeType.XorMappedAddress, value: encodeXorMappedAddress({ family: 'IPv6', address: '::1', port: 32853 }, tid) }] }),
  serializeMessage({ method: StunMethod.Allocate, cls: 'error', transactionId: tid, attributes: [
    { type: AttributeType.ErrorCode, value: encodeErrorCode({ code: 401, reason: 'Unauthorized' }) },
    { type: AttributeType.Realm, value: text('127.0.0.1') },
    { type: AttributeType.Nonce, value: text('f//499k954d6OL34oL9FSTvy64sA') },
    { type: AttributeType.Lifetime, value: encodeLifetime(600) },
  ] }),
]);

// --- TURN ChannelData (RFC 8656 §12.4): over UDP and over TCP (padded).
write('turn-channel-data', [encodeChannelData(0x4000, hex('80 00 00 01 00 00 00 a0 12 34 56 78 01'), 'udp'), encodeChannelData(0x4ffe, hex('01 02 03'), 'tcp')]);

// --- ICE candidates (RFC 8839 §5.1).
write('ice-candidate', [
  'candidate:1 1 UDP 2130706431 127.0.0.1 8998 typ host',
  'candidate:2 1 UDP 1694498815 127.0.0.1 45664 typ srflx raddr 127.0.0.1 rport 8998',
  'candidate:3 1 udp 16777215 127.0.0.1 50000 typ relay raddr 127.0.0.1 rport 45664 generation 0 network-id 1',
  'candidate:4 1 TCP 1518280447 ::1 9 typ host tcptype active',
]);

// --- Settings and ZRTP cache files: the defaults as saved, and a cache with one peer.
write('settings-file', [JSON.stringify(defaultSettings(), null, 2) + '\n', '{"sipPort":0}', '{"rtpPortMin":10000,"sipTlsPort":5061}']);
write('zrtp-cache-file', [
  JSON.stringify({ version: 1, zid: '000102030405060708090a0b', peers: { '0c0d0e0f1011121314151617': { rs1: 'aa'.repeat(32), rs2: 'bb'.repeat(32), verified: true, updatedAt: 1 } }, identities: { 'sip:bob@127.0.0.1': '0c0d0e0f1011121314151617' } }),
]);

// --- wire.ts: a request per command, an event per type, two responses, a media frame; first byte
// 0/1/2 picks the decoder (see targets/wire.ts).
const json = (i: number, v: unknown): Uint8Array => Uint8Array.from([i, ...Buffer.from(JSON.stringify(v))]);
write('wire', [
  ...COMMAND_NAMES.map((command, id) => json(0, { kind: 'request', id, command, args: {} })),
  ...EVENT_TYPES.map((type) => json(1, { kind: 'event', event: { type, callId: 7 } })),
  json(1, { kind: 'response', id: 3, ok: true, result: {} }),
  json(1, { kind: 'response', id: 4, ok: false, error: { code: 'invalid-setting', message: 'x' } }),
  Uint8Array.from([2, ...encodeMediaFrame({ header: { stream: 'video', keyframe: true, callId: 7, timestamp: 9000, codec: 'vp8' }, payload: hex('10 02 9d 01 2a') })]),
]);
