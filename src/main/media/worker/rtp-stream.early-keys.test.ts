// A stream keyed before it starts (ZRTP finished before the 200 OK reached the caller, RFC 6189
// §4.1) while the peer already sends SRTP: the packets that come before the start are not played,
// but SRTP must see them. A receiver's rollover counter is 0 at its first packet (RFC 3711
// §3.3.1); if the peer's sequence number wrapped while we were not looking, every packet after
// the start would be checked with the wrong ROC and fail authentication: a call that is secure
// and silent (the e2e slow-signalling flake).
import { describe, it, expect, afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { PacketBuffer } from '../../../crypto/packet-buffer';
import type { Endpoint } from './media-socket';
import { ToneSource, type MediaSink } from '../sources';
import type { StreamStart } from '../worker-protocol';
import { RtpStream } from './rtp-stream';
import { toneAudioStart, until } from './test-support';

const streams: RtpStream[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
});

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const masterKey = (k: Uint8Array) => ({ masterKey: k.slice(0, 16), masterSalt: k.slice(16, 30) });

async function audioStream(draw = random): Promise<{ stream: RtpStream; port: number }> {
  const noop = () => undefined;
  const stream = new RtpStream('audio', { zrtp: noop, firstFrame: noop, dtmf: noop, keyframeRequested: noop, remoteBye: noop, log: noop }, undefined, draw, 'test@127.0.0.1');
  streams.push(stream);
  const { rtpPort } = await stream.open('127.0.0.1', true);
  return { stream, port: rtpPort };
}

const pcmuStart = (peerPort: number, security: StreamStart['security'], initialSequenceNumber?: number): StreamStart => ({ ...toneAudioStart(security, peerPort), initialSequenceNumber });

describe('RtpStream keyed before its start (ZRTP done before the answer)', () => {
  it("plays the peer's audio after the start although its sequence number wrapped before it (RFC 3711 §3.3.1 ROC)", async () => {
    const [caller, callee] = await Promise.all([audioStream(), audioStream()]);
    const [kCaller, kCallee] = [random(30), random(30)];
    // The caller's keys come from ZRTP while its answer is still on the way: keyed, not started.
    caller.stream.setKeys('AES_CM_128_HMAC_SHA1_80', masterKey(kCaller), masterKey(kCallee));
    // The callee sends from its 200 OK on, its sequence number 6 short of wrapping.
    const calleeStart = pcmuStart(caller.port, { mode: 'sdes', keys: { suite: 'AES_CM_128_HMAC_SHA1_80', local: masterKey(kCallee), remote: masterKey(kCaller) } }, 0xffff - 5);
    callee.stream.start(calleeStart, new ToneSource({ law: 'PCMU' }), undefined);
    await until('the callee sent past the wrap', () => callee.stream.sender.packetsSent >= 20);

    const frames: number[] = [];
    const sink: MediaSink = { kind: 'audio', codec: 'PCMU', writeFrame: (f) => frames.push(f.timestamp), writeLoss: () => undefined, close: () => undefined };
    caller.stream.start({ ...pcmuStart(callee.port, { mode: 'zrtp' }), source: { kind: 'frames' } }, undefined, sink);
    await until("the callee's audio at the caller", () => frames.length >= 10);
    expect(caller.stream.stats('PCMU').dropped.auth).toBe(0);
  });

  it('draws its first sequence number below 2^15, so a receiver that missed the first packets still guesses ROC 0 right', async () => {
    // Every random byte 0xff: a full 16-bit draw would start at 65535 and wrap at the next packet.
    const [sender, peer] = await Promise.all([audioStream((n) => new Uint8Array(n).fill(0xff)), audioStream()]);
    const socket = sender.stream.path.rtpSocket;
    const send = socket.send.bind(socket);
    const sequenceNumbers: number[] = [];
    socket.send = (p: PacketBuffer, to: Endpoint) => {
      // RFC 3550 §5.1: the sequence number is header bytes 2-3 (SRTP leaves the header in clear).
      if (p.length >= 172) sequenceNumbers.push((p.bytes[p.start + 2] << 8) | p.bytes[p.start + 3]);
      send(p, to);
    };
    const k = random(30);
    sender.stream.start(pcmuStart(peer.port, { mode: 'sdes', keys: { suite: 'AES_CM_128_HMAC_SHA1_80', local: masterKey(k), remote: masterKey(k) } }), new ToneSource({ law: 'PCMU' }), undefined);
    await until('a packet sent', () => sequenceNumbers.length > 0);
    expect(sequenceNumbers[0]).toBeLessThan(0x8000);
  });
});
