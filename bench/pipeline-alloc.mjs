// Heap growth per packet of the whole media packet path after the socket (issues 5, 8 and 23,
// ARCHITECTURE.md "Packet buffer"): the real RtpStream send path (RTP header, payload, SRTP
// protect) and receive path (SRTP unprotect, parse, stats, jitter buffer / VP8 assembler, sink),
// with SDES keys, and SRTP protect+unprotect alone for every suite. Each stream's path.rtpSocket
// is replaced by a fake that hands the PacketBuffer straight to the other stream's receive
// handler; one scenario instead feeds the datagram to the receiver's real MediaSocket (demux and
// copy into the pool), so all handling after the socket is covered.
// Every scenario runs on both SRTP primitive sets, the two "paths":
//   node-crypto  the node:crypto adapter (src/main/media/srtp-node), the very object the media
//                worker passes to CallMedia (worker.ts: `new CallMedia(post, nodeSrtpPrimitives)`):
//                what a call really runs;
//   portable     the pure TypeScript primitives of src/crypto/srtp (tests, other hosts).
// Run: node --import tsx --expose-gc bench/pipeline-alloc.mjs
// Prints one JSON line per path:
//   {"bench":"pipeline-alloc","path":"node-crypto"|"portable","bytesPerPacket":…,"scenario":…,
//    "apiFloor":…,"scenarios":{name: bytesPerPacket…},"apiCalls":{…},…}
// bytesPerPacket is the audio call a call runs by default (PCMU, AES_CM_128_HMAC_SHA1_80 as ZRTP
// and SDES pick it, both directions, RTCP); `scenarios` has every other figure. node:crypto
// cannot reach 0 (Node 20's hash/update/getAuthTag return a new string or Buffer per call, a GCM
// IV needs a new cipher object): `apiCalls` are the bytes the bare node:crypto calls allocate,
// measured here the same way, and `apiFloor` what the headline scenario's calls alone cost.
// Exits 1 if the portable path allocates >= 1 byte per packet anywhere, or the node-crypto path
// more than its calls force (floor + 24 bytes) in an SRTP or audio scenario.
// VOUCH_ALLOC_PROFILE=1 adds, for each scenario that allocates, the sampling heap profiler's top
// allocation sites (function, file:line, bytes per packet); VOUCH_ALLOC_PROFILE=all does so for
// every scenario. What is measured is the growth of V8's young generation (where per-packet
// garbage lands; code and feedback V8 makes while optimizing do not) over n and 4n packets, and
// the slope reported (fixed costs cancel out); the script re-runs itself with a large new space
// so that no scavenge runs during a measurement (gcs counts those that still did).
import { execFileSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, hash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { getHeapSpaceStatistics } from 'node:v8';

if (!process.env.VOUCH_PIPELINE_ALLOC_CHILD) {
  try {
    execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', '--min-semi-space-size=256', '--max-semi-space-size=256', fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, VOUCH_PIPELINE_ALLOC_CHILD: '1' },
    });
    process.exit(0);
  } catch (e) {
    process.exit(typeof e.status === 'number' ? e.status : 1);
  }
}

const { PacketBuffer, PacketPool } = await import('../src/crypto/packet-buffer.ts');
const { SrtpSession } = await import('../src/crypto/srtp/index.ts');
const { SRTP_SUITES, protectionProfile } = await import('../src/crypto/srtp/protection-profile.ts');
const { RtpStream } = await import('../src/main/media/worker/rtp-stream.ts');
const { createEncodedFrame } = await import('../src/main/media/sources/index.ts');
const { nodeSrtpPrimitives } = await import('../src/main/media/srtp-node/index.ts');

if (typeof globalThis.gc !== 'function') {
  console.error('run with --expose-gc');
  process.exit(1);
}

let collections = 0;
const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
observer.observe({ entryTypes: ['gc'] });
const settle = () => new Promise((r) => setTimeout(r, 5));

/**
 * `step()` sends/handles packets and returns how many. A collection inside a measurement makes
 * the heap figure meaningless (it frees what the step allocated, or promotes it), and so does a
 * deoptimization: until V8 optimizes the function again its packets run in the interpreter,
 * which boxes every number. A window above `clean` (portable: 0.05; node-crypto, which
 * allocates by design: any figure without a collection) is repeated, at most three times, and
 * the lowest clean one reported with every attempt's figure (`attempts`): an allocation that
 * really happens per packet shows in all of them.
 */
const CLEAN = 0.05;
async function measure(name, packets, step, clean = CLEAN, always = false) {
  if (ONLY && !always && !name.includes(ONLY)) return undefined;
  let result;
  const attempts = [];
  for (let attempt = 0; attempt < 3 && !(result && result.gcs === 0 && result.bytesPerPacket < clean); attempt++) {
    const r = await measureOnce(name, packets, step);
    attempts.push(r.gcs ? `${r.bytesPerPacket} (${r.gcs} gc)` : r.bytesPerPacket);
    if (!result || (r.gcs === 0 && (result.gcs > 0 || r.bytesPerPacket < result.bytesPerPacket))) result = r;
  }
  result.attempts = attempts;
  const profiling = process.env.VOUCH_ALLOC_PROFILE;
  if (profiling && (profiling === 'all' || !(result.bytesPerPacket < clean))) await profile(name, packets, step);
  return result;
}

/**
 * Bytes in V8's young generation, where every short-lived object starts: per-packet garbage shows
 * here, while the code and type feedback V8 builds as it optimizes (old and code spaces) do not.
 */
function youngBytes() {
  for (const space of getHeapSpaceStatistics()) if (space.space_name === 'new_space') return space.space_used_size;
  throw new Error('no new_space in v8.getHeapSpaceStatistics()');
}

/** Where a scenario allocates: sampled allocation sites, objects freed by scavenges included. */
async function profile(name, packets, step) {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  let n = 0;
  while (n < packets) n += step();
  const { profile: tree } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const sites = new Map();
  const walk = (node, stack) => {
    const f = node.callFrame;
    const here = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    const s = [here, ...stack].slice(0, 3).join(' < ');
    if (node.selfSize) sites.set(s, (sites.get(s) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c, [here, ...stack]);
  };
  walk(tree.head, []);
  const top = [...sites].sort((a, b) => b[1] - a[1]).slice(0, 10);
  for (const [site, bytes] of top) console.log(JSON.stringify({ scenario: name, site, bytesPerPacket: Number((bytes / n).toFixed(2)) }));
}

async function measureOnce(name, packets, step) {
  let done = 0;
  // Warm-up as long as the measurement: a path that runs RTCP once a second needs that many
  // reports before V8 has optimized the report code.
  while (done < packets) done += step();
  const growth = async (target) => {
    globalThis.gc();
    await settle();
    const gcBefore = collections;
    let n = 0;
    const before = youngBytes();
    while (n < target) n += step();
    const grown = youngBytes() - before;
    await settle();
    return { n, grown, gcs: collections - gcBefore };
  };
  const short = await growth(packets / 5);
  const long = await growth((4 * packets) / 5);
  const bytesPerPacket = (long.grown - short.grown) / (long.n - short.n);
  return { name, packets: short.n + long.n, bytesPerPacket: Number(bytesPerPacket.toFixed(3)), gcs: short.gcs + long.gcs };
}

const key = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff);
const keysFor = (suite) => {
  const p = protectionProfile(suite);
  return { masterKey: key(p.keyLength, 1), masterSalt: key(p.saltLength, 2) };
};
let rnd = 7;
const random = (n) => Uint8Array.from({ length: n }, () => (rnd = (rnd * 1103515245 + 12345) & 0x7fffffff) & 0xff);
const hooks = { zrtp() {}, firstFrame() {}, dtmf() {}, keyframeRequested() {}, remoteBye() {}, log() {} };
const from = { address: '127.0.0.1', port: 40000, family: 'IPv4', size: 0 };

/** A sink that only counts: the stream's own frame object is reused, nothing is kept. */
function countingSink(kind) {
  return { kind, codec: kind === 'audio' ? 'PCMU' : 'VP8', frames: 0, losses: 0, writeFrame() { this.frames++; }, writeLoss() { this.losses++; }, close() {} };
}

/**
 * Two RtpStreams on `primitives`, `a` sending to `b` and back, over a fake socket: RTP goes to
 * the peer's receiver.onRtp, RTCP (RFC 5761 §4: payload type 192..223 in the second byte) to its
 * rtcp.onRtcp, which give it back to the shared pool (a real socket gives a sent buffer back once
 * the kernel has it; here the receiving side does when done with it: a video packet stays in the
 * frame assembler until its frame is out).
 */
function pair(kind, suite, primitives, deliver = true) {
  const pool = new PacketPool({ packetSize: 1500, tailroom: 64, max: 512 });
  const codec = kind === 'audio' ? { name: 'PCMU', payloadType: 0, clockRate: 8000 } : { name: 'VP8', payloadType: 96, clockRate: 90000 };
  const a = new RtpStream(kind, hooks, primitives, random, 'a@bench');
  const b = new RtpStream(kind, hooks, primitives, random, 'b@bench');
  const socketTo = (peer) => ({
    pool,
    counters: { dtls: 0, short: 0, unknown: 0 },
    send(p) {
      if (!deliver) return pool.give(p);
      const pt = p.bytes[p.start + 1];
      if (pt >= 192 && pt <= 223) peer.rtcp.onRtcp(p, peer.path.rtpSocket, from);
      else peer.receiver.onRtp(p, from);
    },
    sendBytes() {},
    close() {},
  });
  a.path.rtpSocket = socketTo(b);
  b.path.rtpSocket = socketTo(a);
  const local = keysFor(suite);
  const remote = { masterKey: key(local.masterKey.length, 3), masterSalt: key(local.masterSalt.length, 4) };
  const start = (local, remote) => ({
    stream: kind,
    remote: { address: '127.0.0.1', rtpPort: 40000, rtcpAddress: '127.0.0.1', rtcpPort: 40000 },
    rtcpMux: true,
    security: { mode: 'sdes', keys: { suite, local, remote } },
    codec,
    direction: 'sendrecv',
    nack: true,
    pli: true,
    source: { kind: 'frames' },
    sink: { kind: 'frames' },
    initialSequenceNumber: 65000,
  });
  const sinkA = countingSink(kind);
  const sinkB = countingSink(kind);
  a.start(start(local, remote), undefined, sinkA);
  b.start(start(remote, local), undefined, sinkB);
  // The bench drives the clocks itself: each stream leaves the shared intervals (shared-interval.ts)
  // it joined for its RTCP and playout/video upkeep; one left running would keep the process alive
  // (and run that work between measurements).
  for (const s of [a, b]) {
    for (const leave of s.timers) leave();
    s.timers = [];
  }
  return { a, b, sinkB };
}

/** A 20 ms G.711 frame (160 bytes of `fill`) for a stream to send. */
function g711Frame(fill) {
  const f = createEncodedFrame();
  f.data = new Uint8Array(160).fill(fill);
  f.length = 160;
  return f;
}

/** VOUCH_ALLOC_SCALE=0.2 runs a fifth of the packets (quicker, noisier); VOUCH_ALLOC_ONLY=text only the scenarios naming it. */
const ONLY = process.env.VOUCH_ALLOC_ONLY;
const SCALE = Number(process.env.VOUCH_ALLOC_SCALE ?? 1);

const DEFAULT_CALL = 'RtpStream audio PCMU AES_CM_128_HMAC_SHA1_80: send+protect -> unprotect+parse+jitter+playout (+RTCP 1/s)';

/**
 * Every scenario on one set of primitives. node:crypto's native memory (the Buffers its calls
 * return) also counts towards V8's collection triggers, so that path runs fewer packets per window
 * to keep collections out of it.
 */
async function scenarios(primitives) {
  const node = primitives !== undefined;
  const AUDIO_PACKETS = Math.round((node ? 200_000 : 1_000_000) * SCALE);
  const VIDEO_PACKETS = Math.round((node ? 50_000 : 200_000) * SCALE);
  const clean = node ? Infinity : CLEAN;
  const results = [];

  // Audio G.711: one 20 ms frame per packet, both directions; every 50 packets (1 s) each side's
  // RTCP SR + SDES; the receiver's playout runs as its 10 ms timer would.
  // The send path alone (`a` only, its packets dropped at the fake socket) tells the two halves apart.
  {
    const { a } = pair('audio', 'AES_CM_128_HMAC_SHA1_80', primitives, false);
    const f = g711Frame(0xd5);
    results.push(
      await measure('RtpStream audio PCMU AES_CM_128_HMAC_SHA1_80: send+protect only', AUDIO_PACKETS, () => {
        f.timestamp += 160;
        a.sender.sendFrame(f);
        return 1;
      }, clean),
    );
  }
  for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM']) {
    const { a, b, sinkB } = pair('audio', suite, primitives);
    const fa = g711Frame(0xd5);
    const fb = g711Frame(0x55);
    let t = 0;
    results.push(
      await measure(`RtpStream audio PCMU ${suite}: send+protect -> unprotect+parse+jitter+playout (+RTCP 1/s)`, AUDIO_PACKETS, () => {
        t += 160;
        fa.timestamp = t;
        fb.timestamp = t;
        a.sender.sendFrame(fa);
        b.sender.sendFrame(fb);
        b.receiver.playout();
        a.receiver.playout();
        if (t % 8000 === 0) {
          a.rtcp.sendReport();
          b.rtcp.sendReport();
          return 4;
        }
        return 2;
      }, clean),
    );
    if (results.at(-1) && (sinkB.frames + sinkB.losses === 0 || b.receiver.packetsReceived === 0)) throw new Error(`audio ${suite}: nothing reached the sink`);
  }

  // The receive side from the socket on: b's real MediaSocket (bound on loopback, nothing sent to
  // it) gets each datagram as node:dgram hands it over (a Buffer; here one reused Buffer of the
  // packet's size, since node allocating it is the socket's part), demultiplexes it (RFC 7983),
  // copies it into a pooled PacketBuffer and calls b's RTP handler: unprotect, stats, jitter buffer.
  {
    const { a, b, sinkB } = pair('audio', 'AES_CM_128_HMAC_SHA1_80', primitives);
    await b.open('127.0.0.1', true);
    const datagram = Buffer.alloc(12 + 160 + 10);
    a.path.rtpSocket.send = (p) => {
      for (let i = p.start, j = 0; i < p.end; i++, j++) datagram[j] = p.bytes[i];
      b.path.rtpSocket.receive(datagram, from);
      a.path.rtpSocket.pool.give(p);
    };
    const f = g711Frame(0xd5);
    results.push(
      await measure('MediaSocket receive (demux, copy to pool) -> RtpStream audio AES_CM_128_HMAC_SHA1_80 unprotect+parse+jitter+playout', AUDIO_PACKETS, () => {
        f.timestamp += 160;
        a.sender.sendFrame(f);
        b.receiver.playout();
        return 1;
      }, clean),
    );
    if (results.at(-1) && sinkB.frames === 0) throw new Error('socket path: nothing reached the sink');
    await b.close();
  }

  // Video VP8: a 5 kB frame (4-5 packets) per step from a to b, keyframe every 30th; b's 20 ms tick
  // (NACK scan, PLI, drain) and RTCP reports both ways.
  for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM']) {
    const { a, b, sinkB } = pair('video', suite, primitives);
    const key = new Uint8Array(5000).fill(0x42);
    key.set([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]); // VP8 keyframe tag, 640x480
    const inter = new Uint8Array(5000).fill(0x43);
    inter.set([0x11, 0x02, 0x00]); // interframe tag
    const f = createEncodedFrame();
    f.offset = 0;
    f.length = 5000;
    let i = 0;
    let t = 0;
    results.push(
      await measure(`RtpStream video VP8 ${suite}: packetize+protect -> unprotect+assemble+sink (+tick, RTCP)`, VIDEO_PACKETS, () => {
        t += 3000;
        f.data = i++ % 30 === 0 ? key : inter;
        f.keyframe = f.data === key;
        f.timestamp = t;
        const before = a.sender.packetsSent;
        a.sender.sendFrame(f);
        b.receiver.videoTick();
        if (i % 30 === 0) {
          a.rtcp.sendReport();
          b.rtcp.sendReport();
        }
        return a.sender.packetsSent - before;
      }, clean),
    );
    if (results.at(-1) && sinkB.frames === 0) throw new Error(`video ${suite}: no frame reached the sink`);
  }

  // SRTP alone: protect + unprotect in place, every suite, 160 and 1200 B payloads.
  for (const suite of SRTP_SUITES) {
    for (const size of [160, 1200]) {
      const k = keysFor(suite);
      const tx = new SrtpSession({ suite, ...k, primitives });
      const rx = new SrtpSession({ suite, ...k, primitives });
      const p = PacketBuffer.alloc(size + 12 + 64);
      const payload = new Uint8Array(size).fill(0xab);
      let seq = 65000;
      let ts = 0;
      results.push(
        await measure(`SRTP ${suite} ${size} B: protect+unprotect`, size === 160 ? AUDIO_PACKETS : VIDEO_PACKETS, () => {
          p.reset();
          const b = p.bytes;
          const s = p.start;
          seq = (seq + 1) & 0xffff;
          ts = (ts + 160) >>> 0;
          b[s] = 0x80;
          b[s + 1] = 0;
          b[s + 2] = seq >> 8;
          b[s + 3] = seq & 0xff;
          b[s + 4] = ts >>> 24;
          b[s + 5] = (ts >>> 16) & 0xff;
          b[s + 6] = (ts >>> 8) & 0xff;
          b[s + 7] = ts & 0xff;
          b[s + 8] = 0x12;
          b[s + 9] = 0x34;
          b[s + 10] = 0x56;
          b[s + 11] = 0x78;
          b.set(payload, s + 12);
          p.end = s + 12 + size;
          if (tx.protectRtp(p) || rx.unprotectRtp(p)) throw new Error(`${suite}: round trip failed`);
          return 1;
        }, clean),
      );
    }
  }
  return results.filter(Boolean);
}

/**
 * What the node:crypto calls themselves allocate, measured the same way: the floor of the
 * node-crypto path. A packet of an AES-CM suite costs one SHA-1 per direction (the inner hash,
 * returned as a 20-character string); AES-ECB keystream comes in batches (one Buffer per
 * update() for many packets). A GCM packet costs a cipher object and what update(), final() and,
 * when sealing, getAuthTag() return.
 */
async function apiCalls() {
  const message = Buffer.alloc(64 + 172 + 4, 0x5a);
  const gcmKey = Buffer.alloc(16, 7);
  const iv = new Uint8Array(12);
  const aad = Buffer.alloc(12, 1);
  const text = Buffer.alloc(160, 2);
  const seal = () => {
    const c = createCipheriv('aes-128-gcm', gcmKey, iv);
    c.setAAD(aad);
    c.update(text);
    c.final();
    return c.getAuthTag();
  };
  const sealed = Buffer.from(seal());
  const ct = createCipheriv('aes-128-gcm', gcmKey, iv).setAAD(aad).update(text);
  const open = () => {
    const d = createDecipheriv('aes-128-gcm', gcmKey, iv);
    d.setAAD(aad);
    d.setAuthTag(sealed);
    d.update(ct);
    d.final();
  };
  const ecb = createCipheriv('aes-128-ecb', gcmKey, null).setAutoPadding(false);
  const counters = Buffer.alloc(16 * 11);
  const n = Math.round(100_000 * SCALE);
  const m = (name, f) => measure(name, n, () => (f(), 1), Infinity, true);
  const calls = {
    sha1: await m('hash sha1 (latin1 digest)', () => hash('sha1', message, 'binary')),
    ecbUpdate: await m('aes-ecb update', () => ecb.update(counters)),
    gcmSeal: await m('aes-gcm createCipheriv+setAAD+update+final+getAuthTag', seal),
    gcmOpen: await m('aes-gcm createDecipheriv+setAAD+setAuthTag+update+final', open),
  };
  return Object.fromEntries(Object.entries(calls).map(([k, r]) => [k, r.bytesPerPacket]));
}

const round1 = (x) => Math.round(x * 10) / 10;
let failed = false;
const api = await apiCalls();
for (const [path, primitives] of [
  ['node-crypto', nodeSrtpPrimitives],
  ['portable', undefined],
]) {
  const results = await scenarios(primitives);
  if (!results.length) continue;
  const headline = results.find((r) => r.name === DEFAULT_CALL) ?? results[0];
  /** What a scenario's node:crypto calls force per packet: each packet is protected once and unprotected once. */
  const floorOf = (name) => (path === 'portable' ? 0 : name.includes('GCM') ? api.gcmSeal + api.gcmOpen : 2 * api.sha1);
  const over = results.filter((r) => !(r.bytesPerPacket < floorOf(r.name) + (path === 'portable' ? 1 : 24)) && (path === 'portable' || !r.name.includes('video')));
  if (over.length) failed = true;
  console.log(
    JSON.stringify({
      bench: 'pipeline-alloc',
      path,
      bytesPerPacket: round1(headline.bytesPerPacket),
      scenario: headline.name,
      apiFloor: round1(floorOf(headline.name)),
      worst: round1(Math.max(...results.map((r) => r.bytesPerPacket))),
      gcs: results.reduce((s, r) => s + r.gcs, 0),
      scenarios: Object.fromEntries(results.map((r) => [r.name, r.bytesPerPacket])),
      ...(path === 'node-crypto' ? { apiCalls: api } : {}),
      ...(over.length ? { overBudget: over.map((r) => r.name) } : {}),
    }),
  );
}
observer.disconnect();
if (failed) {
  console.error('a path allocates more per packet than its budget (see overBudget)');
  process.exit(1);
}
