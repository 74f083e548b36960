// Heap growth per packet of the per-packet media code (issue 8: "everything after the socket
// allocates nothing per packet in steady state"). Each case warms up, then runs N iterations with
// a new space large enough that no scavenge hides an allocation; a GC during the run is reported.
// Run: node --import tsx --expose-gc --max-semi-space-size=64 bench/media-alloc.mjs
// Prints one JSON line per case: {case, iterations, bytesPerIteration, gcs}; an allocation per
// iteration would show as >= 12 bytes (the smallest V8 heap object), and as gcs > 0.
import { PacketBuffer, PacketPool } from '../src/crypto/packet-buffer.ts';
import { createDemuxCounters, demuxPacket } from '../src/main/media/worker/demux.ts';
import { AudioJitterBuffer, VideoFrameAssembler } from '../src/main/media/jitter/index.ts';
import { TelephoneEventReceiver, TelephoneEventSender, Vp8Depacketizer, Vp8Packetizer, writeG711Payload } from '../src/main/media/payload/index.ts';
import {
  RtcpCompoundParser,
  createReportBlock,
  createRtcpReport,
  nackedSequenceNumbers,
  writeNack,
  writePli,
  writeRtcpReport,
  writeSdesCname,
} from '../src/main/media/rtcp/index.ts';
import { RtpReceiverStats, RtpSendHistory, RtpSenderState, createRtpHeader, parseRtpHeader, writeRtpHeader } from '../src/main/media/rtp/index.ts';
import { ToneSource, createEncodedFrame } from '../src/main/media/sources/index.ts';

if (typeof globalThis.gc !== 'function') {
  console.error('run with --expose-gc');
  process.exit(1);
}

// The step gets a counter that keeps growing from warm-up into the measured runs, so sequence
// numbers and clocks move on as in a call (restarting them would measure the resync paths).
// Growth is measured over n and 4n iterations and the slope reported: a fixed cost (a late JIT
// tier-up, the measuring itself) cancels out, an allocation per iteration does not.
function measure(name, n, step) {
  let k = 0;
  for (let i = 0; i < 100_000; i++) step(k++);
  // A collection during the run would hide allocations: the heap shrinking between two samples
  // is counted as one.
  let gcs = 0;
  const growth = (iterations) => {
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    let last = before;
    for (let i = 0; i < iterations; i++) {
      step(k++);
      if ((i & 1023) === 0) {
        const now = process.memoryUsage().heapUsed;
        if (now < last) gcs++;
        last = now;
      }
    }
    return process.memoryUsage().heapUsed - before;
  };
  const short = growth(n);
  const long = growth(4 * n);
  const result = { case: name, iterations: 5 * n, bytesPerIteration: Number(((long - short) / (3 * n)).toFixed(3)), gcs };
  console.log(JSON.stringify(result));
  return result;
}

const N = 50_000;
const results = [];

// Audio send: tone source -> RTP header + G.711 payload into a pooled buffer, history, demux,
// parse, receiver stats, jitter buffer push/pop.
{
  const tone = new ToneSource({ law: 'PCMU' });
  const frame = createEncodedFrame();
  const sender = new RtpSenderState({ ssrc: 1, clockRate: 8000, initialSequenceNumber: 65000, initialTimestamp: 7 });
  const history = new RtpSendHistory();
  const stats = new RtpReceiverStats(1, 8000);
  const jb = new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160 });
  const counters = createDemuxCounters();
  const h = createRtpHeader();
  const parsed = createRtpHeader();
  const p = PacketBuffer.alloc(1200, { maxPayload: 1500 });
  const pcm = new Int16Array(160);
  h.payloadType = 0;
  h.ssrc = 1;
  results.push(
    measure('audio: tone -> RTP/G.711 -> history -> demux -> parse -> stats -> jitter buffer', N, (i) => {
      tone.readFrame(frame);
      p.reset();
      h.sequenceNumber = sender.takeSequenceNumber();
      h.timestamp = sender.rtpTimestamp(frame.timestamp);
      writeRtpHeader(p, h);
      writeG711Payload(p, 'PCMU', pcm);
      sender.onPacketSent(160, h.timestamp, i * 20);
      history.store(p.bytes, p.start, p.end);
      if (demuxPacket(p.bytes, p.start, p.end, counters) !== 'rtp') throw new Error('demux');
      if (parseRtpHeader(p.bytes, p.start, p.end, parsed)) throw new Error('parse');
      stats.onPacket(parsed.sequenceNumber, parsed.timestamp, i * 20);
      jb.push(parsed.sequenceNumber, parsed.timestamp, p.bytes, parsed.payloadStart, parsed.payloadEnd, i * 20);
      while (jb.pop(i * 20) === 'frame');
    }),
  );
}

// Video: packetize a 5 kB frame, assemble it again, NACK list. The assembler keeps each packet's
// buffer until its frame is out, then gives it back to the pool (as RtpReceiver does).
{
  const frameBytes = new Uint8Array(5000);
  const pk = new Vp8Packetizer(1);
  const pool = new PacketPool({ packetSize: 1200, tailroom: 0, maxPayload: 1500 });
  const asm = new VideoFrameAssembler({ release: (q) => pool.give(q) });
  const dp = new Vp8Depacketizer();
  const h = createRtpHeader();
  const parsed = createRtpHeader();
  const nacks = new Uint16Array(64);
  h.payloadType = 96;
  let seq = 0;
  results.push(
    measure('video: VP8 packetize 5 kB frame -> assembler + depacketizer -> NACK scan (per frame)', N / 5, (i) => {
      pk.begin(frameBytes);
      h.timestamp = i * 3000;
      while (!pk.done) {
        const p = pool.take();
        h.marker = pk.nextIsLast;
        h.sequenceNumber = seq++ & 0xffff;
        writeRtpHeader(p, h);
        pk.writeNext(p);
        parseRtpHeader(p.bytes, p.start, p.end, parsed);
        dp.push(p.bytes, parsed);
        if (asm.push(p.bytes, parsed, i, p) !== 'stored') pool.give(p);
      }
      while (asm.pollFrame());
      asm.collectNacks(i, nacks);
      asm.tick(i);
    }),
  );
}

// RTCP: write SR + SDES + NACK + PLI into one buffer, parse it back.
{
  const p = PacketBuffer.alloc(1500);
  const sr = createRtcpReport();
  sr.isSenderReport = true;
  sr.reportCount = 1;
  const stats = new RtpReceiverStats(2, 8000);
  stats.onPacket(1, 0, 0);
  stats.onPacket(2, 160, 20);
  const cname = new TextEncoder().encode('bench@127.0.0.1');
  const lost = new Uint16Array([1, 2, 5, 40]);
  const parser = new RtcpCompoundParser();
  const out = new Uint16Array(64);
  let seen = 0;
  const handler = {
    onReport: (r) => (seen += r.reportCount),
    onSdes: (s) => (seen += s.chunkCount),
    onNack: (fb, bytes) => (seen += nackedSequenceNumbers(bytes, fb, out)),
    onPli: () => seen++,
  };
  createReportBlock();
  results.push(
    measure('rtcp: write SR+SDES+NACK+PLI compound, parse it', N, (i) => {
      p.reset();
      stats.fillReportBlock(sr.reports[0], i);
      writeRtcpReport(p, sr);
      writeSdesCname(p, 1, cname);
      writeNack(p, 1, 2, lost);
      writePli(p, 1, 2);
      if (parser.parse(p.bytes, p.start, p.end, handler).error) throw new Error('rtcp');
    }),
  );
}

// DTMF: sender and receiver.
{
  const s = new TelephoneEventSender();
  const r = new TelephoneEventReceiver();
  const h = createRtpHeader();
  const parsed = createRtpHeader();
  const p = PacketBuffer.alloc(64);
  h.payloadType = 101;
  results.push(
    measure('telephone-event: send and receive', N, (i) => {
      if (!s.active) s.begin(i % 16, 100, i * 160);
      p.reset();
      writeRtpHeader(p, h);
      s.writeNext(p);
      parseRtpHeader(p.bytes, p.start, p.end, parsed);
      parsed.timestamp = s.timestamp;
      r.push(p.bytes, parsed);
    }),
  );
}

// The smallest V8 heap object is 12 bytes: anything allocated per iteration shows as >= 12. What
// stays below is the sampling's own memoryUsage() objects (one per 1024 iterations) and noise.
const worst = Math.max(...results.map((r) => r.bytesPerIteration));
const zeroAllocation = worst < 4 && results.every((r) => r.gcs === 0);
console.log(JSON.stringify({ case: 'summary', worstBytesPerIteration: worst, zeroAllocation }));
if (!zeroAllocation) process.exitCode = 1;
