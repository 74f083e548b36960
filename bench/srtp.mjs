// SRTP throughput and allocation benchmark (issues 5 and 23). Not a test: prints JSON lines
//   {impl, suite, size, op, pps, bytesPerPacket, ratioToLibsrtp, rounds}
// and, for the AEAD suites, node's lines add {ceilingPps, ratioToCeiling}.
// Run:  node --import tsx bench/srtp.mjs            (full: 5 rounds, 1 M packets for the heap figure)
//       node --import tsx bench/srtp.mjs --quick    (1 round, fewer packets)
//       SRTP_BENCH_SUITES=AES_CM_128_HMAC_SHA1_80 SRTP_BENCH_SIZES=1200 SRTP_BENCH_OPS=protect \
//         node --import tsx bench/srtp.mjs                (a subset)
// Implementations: "portable" (src/crypto/srtp, pure TypeScript), "node" (the node:crypto adapter of
// src/main/media/srtp-node), "werift" (werift-rtp, dev dependency), "libsrtp" (bench/libsrtp-bench.c,
// built here with gcc -lsrtp2 when libsrtp2-dev is installed), and for the AEAD suites
// "node-api-ceiling": the bare node:crypto calls a GCM packet needs at least and nothing else
// (createCipheriv, setAAD, update, final, getAuthTag; unprotect: createDecipheriv, setAAD,
// setAuthTag, update, final) on Buffers of the same sizes, the most node's public API allows
// without a native addon. SRTP_BENCH_IMPLS=node,node-api-ceiling runs a subset (libsrtp always
// runs when built). Every figure is the median of the rounds, measured in this run, one core, in
// a worker thread, without sockets; rounds of all implementations are interleaved.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 5;
const SIZES = (process.env.SRTP_BENCH_SIZES ?? '160,1200').split(',').map(Number);
const SUITES = (process.env.SRTP_BENCH_SUITES ?? 'AES_CM_128_HMAC_SHA1_80,AEAD_AES_128_GCM').split(',');
const OPS = (process.env.SRTP_BENCH_OPS ?? 'protect,unprotect').split(',');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function masterKey(suite) {
  const gcm = suite.startsWith('AEAD');
  const keyLength = suite.includes('256') ? 32 : 16;
  return {
    key: Uint8Array.from({ length: keyLength }, (_, i) => (i * 7 + 1) & 0xff),
    salt: Uint8Array.from({ length: gcm ? 12 : 14 }, (_, i) => (i * 7 + 1 + keyLength) & 0xff),
  };
}

function writeRtpHeader(bytes, off, seq) {
  bytes[off] = 0x80;
  bytes[off + 1] = 0x60;
  bytes[off + 2] = (seq >> 8) & 0xff;
  bytes[off + 3] = seq & 0xff;
  bytes.set([0, 0, 0x12, 0x34, 0xca, 0xfe, 0xba, 0xbe], off + 4);
}

// ---------------------------------------------------------------- worker side
async function startWorker({ impl, suite, size, op, packetsPerRound, heapPackets }) {
  // Module hooks from `--import tsx` do not reach worker threads on Node 20: register them here.
  (await import('tsx/esm/api')).register();
  const v8 = await import('node:v8');
  const vm = await import('node:vm');
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const { key, salt } = masterKey(suite);
  const BATCH = 2048;

  let protectOne;
  let makeReceiver;
  if (impl === 'node-api-ceiling') {
    const { createCipheriv, createDecipheriv } = await import('node:crypto');
    const algorithm = key.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
    const k = Buffer.from(key);
    const iv = Buffer.from(salt.subarray(0, 12));
    const aad = Buffer.alloc(12, 0x80);
    const text = Buffer.alloc(size - 12, 0xab);
    let tag;
    protectOne = (seq) => {
      iv[11] = seq;
      const c = createCipheriv(algorithm, k, iv);
      c.setAAD(aad);
      c.update(text);
      c.final();
      tag = c.getAuthTag();
      return tag;
    };
    makeReceiver = () => {
      // One packet opened over and over: the same calls as opening distinct ones.
      const ivOpen = Buffer.from(iv);
      const c = createCipheriv(algorithm, k, ivOpen);
      c.setAAD(aad);
      const ct = c.update(text);
      c.final();
      const sealed = c.getAuthTag();
      return () => {
        const d = createDecipheriv(algorithm, k, ivOpen);
        d.setAAD(aad);
        d.setAuthTag(sealed);
        d.update(ct);
        d.final();
      };
    };
  } else if (impl === 'werift') {
    const { SrtpSession, RtpHeader, ProtectionProfileAes128CmHmacSha1_80, ProtectionProfileAeadAes128Gcm } = await import('werift-rtp');
    const profile = suite.startsWith('AEAD') ? ProtectionProfileAeadAes128Gcm : ProtectionProfileAes128CmHmacSha1_80;
    const keys = { localMasterKey: Buffer.from(key), localMasterSalt: Buffer.from(salt), remoteMasterKey: Buffer.from(key), remoteMasterSalt: Buffer.from(salt) };
    const session = new SrtpSession({ keys, profile });
    const plain = Buffer.alloc(size, 0xab);
    writeRtpHeader(plain, 0, 0);
    const header = RtpHeader.deSerialize(plain);
    const payload = plain.subarray(12);
    protectOne = (seq) => {
      header.sequenceNumber = seq & 0xffff;
      return session.encrypt(payload, header);
    };
    makeReceiver = () => {
      const rx = new SrtpSession({ keys, profile });
      return (pkt) => rx.decrypt(pkt);
    };
  } else {
    const { PacketBuffer } = await import('../src/crypto/packet-buffer.ts');
    const { SrtpSession } = await import('../src/crypto/srtp/index.ts');
    const primitives = impl === 'node' ? (await import('../src/main/media/srtp-node/index.ts')).nodeSrtpPrimitives : undefined;
    const tx = new SrtpSession({ suite, masterKey: key, masterSalt: salt, primitives });
    const p = PacketBuffer.alloc(size + 32);
    p.setLength(size);
    p.bytes.fill(0xab);
    writeRtpHeader(p.bytes, p.start, 0);
    protectOne = (seq) => {
      p.end = p.start + size;
      p.bytes[p.start + 2] = (seq >> 8) & 0xff;
      p.bytes[p.start + 3] = seq & 0xff;
      const err = tx.protectRtp(p);
      if (err) throw new Error(err.kind);
      return p;
    };
    makeReceiver = () => {
      const rx = new SrtpSession({ suite, masterKey: key, masterSalt: salt, primitives });
      return (pkt) => {
        const err = rx.unprotectRtp(pkt);
        if (err) throw new Error(err.kind);
      };
    };
  }

  // Unprotect needs distinct valid packets: protect a batch (untimed) into a pool of buffers that
  // is reused batch after batch, as the worker's packet pool is, then time its unprotect.
  let seq = 0;
  const pool = [];
  function protectedBatch() {
    for (let i = 0; i < BATCH; i++) {
      const r = protectOne(seq++);
      if (impl === 'werift' || impl === 'node-api-ceiling') pool[i] = r;
      else {
        if (!pool[i]) pool[i] = r.constructor.alloc(size + 32);
        pool[i].assign(r.payload());
      }
    }
    return pool;
  }

  let receive;
  function timedRound(n, withHeap) {
    let elapsed = 0;
    let allocated = 0;
    let done = 0;
    if (op === 'protect') {
      const chunk = withHeap ? 1024 : n;
      while (done < n) {
        if (withHeap) gc();
        const h0 = withHeap ? v8.getHeapStatistics().used_heap_size : 0;
        const t0 = performance.now();
        for (let i = 0; i < chunk; i++) protectOne(seq++);
        elapsed += performance.now() - t0;
        if (withHeap) allocated += v8.getHeapStatistics().used_heap_size - h0;
        done += chunk;
      }
    } else {
      receive ??= makeReceiver();
      while (done < n) {
        const batch = protectedBatch();
        const chunk = withHeap ? 1024 : BATCH;
        for (let off = 0; off < BATCH; off += chunk) {
          if (withHeap) gc();
          const h0 = withHeap ? v8.getHeapStatistics().used_heap_size : 0;
          const t0 = performance.now();
          for (let i = off; i < off + chunk; i++) receive(batch[i]);
          elapsed += performance.now() - t0;
          if (withHeap) allocated += v8.getHeapStatistics().used_heap_size - h0;
        }
        done += BATCH;
      }
    }
    return { pps: (done / elapsed) * 1000, bytesPerPacket: allocated / done };
  }

  timedRound(Math.min(packetsPerRound, 50_000), false); // warm-up (JIT)
  // Heap figure: one gc(), then all packets, then the growth of the used heap. Valid only if no GC
  // ran in between (a steady state that allocates nothing never triggers one); otherwise fall back
  // to chunks with a gc() before each (an estimate: a scavenge inside a chunk hides its garbage).
  async function heap() {
    if (heapPackets <= 0) return undefined;
    const { PerformanceObserver } = await import('node:perf_hooks');
    let collections = 0;
    const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
    observer.observe({ entryTypes: ['gc'] });
    gc();
    await new Promise((r) => setTimeout(r, 10));
    collections = 0;
    const h0 = v8.getHeapStatistics().used_heap_size;
    const { pps } = timedRound(heapPackets, false);
    const grown = v8.getHeapStatistics().used_heap_size - h0;
    await new Promise((r) => setTimeout(r, 10));
    observer.disconnect();
    void pps;
    if (collections === 0) return grown / heapPackets;
    return timedRound(Math.min(heapPackets, 200_000), true).bytesPerPacket;
  }
  return { round: () => timedRound(packetsPerRound, false).pps, heap };
}

// ---------------------------------------------------------------- main side
/** A worker running one implementation; `ask('round' | 'heap')` resolves with its answer. */
async function spawn(job) {
  const w = new Worker(fileURLToPath(import.meta.url), { workerData: job });
  const answers = [];
  let waiting;
  w.on('message', (m) => (waiting ? (waiting(m), (waiting = undefined)) : answers.push(m)));
  const next = () => (answers.length ? Promise.resolve(answers.shift()) : new Promise((r) => (waiting = r)));
  w.on('error', (e) => {
    console.error(e);
    process.exit(1);
  });
  await next(); // ready (warmed up)
  return {
    ask: (what) => {
      w.postMessage(what);
      return next();
    },
    stop: () => w.terminate(),
  };
}

function buildLibsrtp() {
  if (!existsSync('/usr/include/srtp2/srtp.h')) return undefined;
  const out = join(here, '.build', 'libsrtp-bench');
  mkdirSync(dirname(out), { recursive: true });
  execFileSync('gcc', ['-O2', '-o', out, join(here, 'libsrtp-bench.c'), '-lsrtp2']);
  return out;
}

async function main() {
  const libsrtp = buildLibsrtp();
  for (const suite of SUITES) {
    for (const size of SIZES) {
      for (const op of OPS) {
        const gcm = suite.startsWith('AEAD');
        const only = process.env.SRTP_BENCH_IMPLS?.split(',');
        const impls = ['portable', 'node', 'werift', ...(gcm ? ['node-api-ceiling'] : [])].filter((i) => !only || only.includes(i));
        const workers = {};
        for (const impl of impls) {
          const slow = impl === 'werift' || (impl === 'portable' && gcm);
          const packetsPerRound = quick ? 20_000 : slow ? 20_000 : size > 500 ? 60_000 : 150_000;
          const heapPackets = impl === 'werift' ? 0 : impl === 'node-api-ceiling' ? 50_000 : quick ? 50_000 : slow ? 100_000 : 1_000_000;
          workers[impl] = await spawn({ impl, suite, size, op, packetsPerRound, heapPackets });
        }
        // Rounds are interleaved (libsrtp, portable, node, werift, libsrtp, ...) so that load from
        // other processes hits every implementation alike.
        const pps = { libsrtp: [], portable: [], node: [], werift: [], 'node-api-ceiling': [] };
        for (let r = 0; r < ROUNDS; r++) {
          if (libsrtp) {
            const n = size > 500 ? 100_000 : 250_000;
            pps.libsrtp.push(Number(execFileSync(libsrtp, [suite, String(size), op, String(n)], { encoding: 'utf8' }).trim()));
          }
          for (const impl of impls) pps[impl].push(await workers[impl].ask('round'));
        }
        const reference = libsrtp ? median(pps.libsrtp) : undefined;
        if (reference) console.log(JSON.stringify({ impl: 'libsrtp', suite, size, op, pps: Math.round(reference), bytesPerPacket: null, ratioToLibsrtp: 1, rounds: pps.libsrtp.map(Math.round) }));
        const ceiling = impls.includes('node-api-ceiling') ? median(pps['node-api-ceiling']) : undefined;
        for (const impl of impls) {
          const bytesPerPacket = await workers[impl].ask('heap');
          await workers[impl].stop();
          const m = median(pps[impl]);
          const toCeiling = ceiling && impl === 'node' ? { ceilingPps: Math.round(ceiling), ratioToCeiling: Math.round((m / ceiling) * 1000) / 1000 } : {};
          console.log(
            JSON.stringify({
              impl,
              suite,
              size,
              op,
              pps: Math.round(m),
              bytesPerPacket: bytesPerPacket == null ? null : Math.round(bytesPerPacket * 10) / 10,
              ratioToLibsrtp: reference ? Math.round((m / reference) * 1000) / 1000 : null,
              ...toCeiling,
              rounds: pps[impl].map(Math.round),
            }),
          );
        }
      }
    }
  }
}

if (isMainThread) {
  await main();
} else {
  const bench = await startWorker(workerData);
  parentPort.postMessage('ready');
  parentPort.on('message', async (what) => parentPort.postMessage(what === 'round' ? bench.round() : ((await bench.heap()) ?? null)));
}
