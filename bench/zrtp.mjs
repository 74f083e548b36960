// ZRTP handshake benchmark (issues 7, 25). Not a test: prints one JSON line per key agreement
//   {keyAgreement, hash, helloToConf2AckMs, helloToConf2AckP90Ms, memoryMedianMs, memoryP90Ms,
//    cpuMedianMs, runs, loadAverage}
// helloToConf2AckMs is the loopback UDP median (first Hello -> both secure); X1M1 (post-quantum
// hybrid, the default) should cost at most 5 ms more than X255.
// cpuMedianMs (memory only) is this thread's CPU time, which a busy machine disturbs less than
// wall time; loadAverage says how busy the machine was.
// Run: node --import tsx bench/zrtp.mjs [--quick]
// "memory": two engines hand packets to each other synchronously (first Hello -> both secure,
// i.e. Conf2ACK processed). "udp": the same over two sockets on 127.0.0.1 with the wall clock and
// the engines' own timers. Key pairs are precomputed at engine creation, as in a call (the worker
// creates the engine when it prepares the offer), so creation is not timed.
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { ZrtpEngine, MemoryZrtpCache, DEFAULT_PREFERENCES, portableZrtpPrimitives } from '../src/crypto/zrtp/index.ts';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 25;
const KEY_AGREEMENTS = ['X1M1', 'X255', 'X3M3', 'EC25', 'DH3k', 'EC38', 'DH2k'];

const random = (n) => new Uint8Array(randomBytes(n));
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { medianMs: +s[s.length >> 1].toFixed(2), p90Ms: +s[Math.floor(s.length * 0.9)].toFixed(2) };
};

function engines(ka) {
  const preferences = { ...DEFAULT_PREFERENCES, keyAgreements: [ka, 'Mult'], ...(ka === 'EC38' ? { hashes: ['S384', 'S256'], ciphers: ['AES3', 'AES1'] } : {}) };
  const make = (ssrc) => new ZrtpEngine({ zid: random(12), ssrc, random, cache: new MemoryZrtpCache(), preferences, primitives: portableZrtpPrimitives });
  return [make(1), make(2)];
}

function inMemory(ka) {
  const [a, b] = engines(ka);
  const queue = [];
  const push = (to, out) => out.packets.forEach((p) => queue.push([to, p]));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  push(b, a.start(0));
  push(a, b.start(0));
  while (queue.length) {
    const [to, p] = queue.shift();
    push(to === a ? b : a, to.input(p, 1));
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  if (a.state !== 'secure' || b.state !== 'secure') throw new Error(`memory ${ka}: ${a.state}/${b.state}`);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, hash: a.multistreamParent()?.hash };
}

async function overUdp(ka) {
  const [a, b] = engines(ka);
  const open = () => new Promise((resolve) => { const s = createSocket('udp4'); s.bind(0, '127.0.0.1', () => resolve(s)); });
  const sa = await open();
  const sb = await open();
  const timers = new Map();
  return new Promise((resolve, reject) => {
    const peers = [
      { engine: a, socket: sa, to: sb.address().port },
      { engine: b, socket: sb, to: sa.address().port },
    ];
    let t0 = 0;
    const finish = () => {
      if (a.state === 'secure' && b.state === 'secure') {
        const ms = performance.now() - t0;
        for (const t of timers.values()) clearTimeout(t);
        sa.close();
        sb.close();
        resolve(ms);
      } else if (a.state === 'failed' || b.state === 'failed') reject(new Error(`udp ${ka} failed`));
    };
    const apply = (peer, out) => {
      for (const p of out.packets) peer.socket.send(p, peer.to, '127.0.0.1');
      clearTimeout(timers.get(peer));
      if (out.nextDeadline !== undefined) timers.set(peer, setTimeout(() => apply(peer, peer.engine.tick(Date.now())), Math.max(0, out.nextDeadline - Date.now())));
      finish();
    };
    for (const peer of peers) peer.socket.on('message', (m) => apply(peer, peer.engine.input(new Uint8Array(m), Date.now())));
    t0 = performance.now();
    for (const peer of peers) apply(peer, peer.engine.start(Date.now()));
  });
}

for (const ka of KEY_AGREEMENTS) {
  inMemory(ka);
  const mem = [];
  for (let i = 0; i < RUNS; i++) mem.push(inMemory(ka));
  const cpuMedianMs = stats(mem.map((m) => m.cpuMs)).medianMs;
  const memory = stats(mem.map((m) => m.ms));
  await overUdp(ka);
  const udp = [];
  for (let i = 0; i < RUNS; i++) udp.push(await overUdp(ka));
  const loopback = stats(udp);
  console.log(
    JSON.stringify({
      keyAgreement: ka,
      hash: mem[0].hash,
      helloToConf2AckMs: loopback.medianMs,
      helloToConf2AckP90Ms: loopback.p90Ms,
      memoryMedianMs: memory.medianMs,
      memoryP90Ms: memory.p90Ms,
      cpuMedianMs,
      runs: RUNS,
      loadAverage: +loadavg()[0].toFixed(2),
    }),
  );
}
