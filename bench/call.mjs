// Vouch ↔ Vouch on loopback, timed by each app's own events (issue 8 benchmark). Two AppCores in
// this process, each with its own data dir, media worker threads and SIP port.
// Run: npm run build && VOUCH_MEDIA_WORKER=out/main/worker.js node --import tsx bench/call.mjs [rounds]
// Prints JSON lines: per round, then the medians. Goals: connected → SAS ready ≤ 25 ms,
// "Add video" → video secure ≤ 50 ms, "Add video" → first remote VP8 frame ≤ 100 ms.
// Last, the first call of a fresh process on the wire (bench/fresh-invite.mjs, issue 23): a new
// `vouch listen` (the built CLI, or VOUCH_CLI) and a new baresip, each auto-answering one INVITE:
// INVITE → 180 and 180 → 200 (goal ≤ 2 ms each), and the callee's CPU time from INVITE to 200.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { AppCore } from '../src/main/core/app-core.ts';
// Benchmarks sit beside the tests: the timing marks are read through the tests' accessor, not
// through AppCore, whose front ends see only api.ts.
import { callManagerOf } from '../src/main/core/test-support.ts';
import { freshBaresip, freshVouch } from './fresh-invite.mjs';

const rounds = Number(process.argv[2] ?? 5);
const dirs = [];

function io(dir) {
  return {
    audioSource: { kind: 'tone', frequencyHz: 1000 },
    audioSink: { kind: 'none' },
    videoSource: { kind: 'ivf', path: 'assets/test-vp8.ivf' },
    videoSink: { kind: 'ivf', path: join(dir, 'video.ivf') },
    audioCodecs: ['pcmu'],
  };
}

async function core(autoAnswer) {
  const dataDir = mkdtempSync(join(tmpdir(), 'vouch-bench-'));
  dirs.push(dataDir);
  const c = new AppCore({ dataDir, host: '127.0.0.1', sipPort: 0, io: io(dataDir) });
  await c.invoke('updateSettings', { patch: { autoAnswer } });
  await c.start();
  return c;
}

function waitEvent(c, pred, ms = 10000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (off(), reject(new Error('timeout'))), ms);
    const off = c.onEvent((e) => {
      if (pred(e)) {
        clearTimeout(t);
        off();
        resolve(e);
      }
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const alice = await core(false);
const bob = await core(true);
const results = { sasReadyMs: [], videoSecureMs: [], firstRemoteFrameMs: [], inviteToConnectedMs: [] };
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  const secure = waitEvent(alice, (e) => e.type === 'security' && e.security.state === 'secure');
  const { callId } = await alice.invoke('call', { uri: `sip:bob@127.0.0.1:${bob.snapshot().listening.udp}` });
  await secure;
  const videoFrame = waitEvent(bob, (e) => e.type === 'security' && e.security.perStream.video?.state === 'secure');
  await new Promise((r) => setTimeout(r, 300));
  await alice.invoke('addVideo', { callId });
  await videoFrame;
  // The first remote frame is the one Alice's worker assembles from Bob's camera stream.
  const aliceMarks = callManagerOf(alice).marks;
  for (let k = 0; k < 100 && !(aliceMarks.get(callId) ?? {}).firstVideoFrame; k++) await new Promise((r) => setTimeout(r, 5));
  const marks = aliceMarks.get(callId) ?? {};
  const row = {
    round: i + 1,
    inviteToConnectedMs: +(marks.connected - t0).toFixed(2),
    sasReadyMs: +(marks.sasReady - marks.connected).toFixed(2),
    videoSecureMs: +(marks.videoSecure - marks.addVideo).toFixed(2),
    firstRemoteFrameMs: +(marks.firstVideoFrame - marks.addVideo).toFixed(2),
  };
  for (const k of Object.keys(results)) results[k].push(row[k]);
  console.log(JSON.stringify({ bench: 'call', ...row }));
  const ended = waitEvent(alice, (e) => e.type === 'callState' && e.call.state === 'ended');
  await alice.invoke('hangup', { callId });
  await ended;
  await new Promise((r) => setTimeout(r, 200));
}
console.log(
  JSON.stringify({
    bench: 'call',
    summary: 'median',
    rounds,
    inviteToConnectedMs: median(results.inviteToConnectedMs),
    sasReadyMs: median(results.sasReadyMs),
    videoSecureMs: median(results.videoSecureMs),
    firstRemoteFrameMs: median(results.firstRemoteFrameMs),
    goals: { sasReadyMs: 25, videoSecureMs: 50, firstRemoteFrameMs: 100 },
  }),
);
await alice.close();
await bob.close();
for (const d of dirs) rmSync(d, { recursive: true, force: true });

const cli = process.env.VOUCH_CLI ?? fileURLToPath(new URL('../bin/vouch.js', import.meta.url));
const medians = (rows) => Object.fromEntries(Object.keys(rows[0]).map((k) => [k, median(rows.map((r) => r[k]))]));
const fresh = [];
for (let i = 0; i < 5; i++) fresh.push(await freshVouch(cli));
let anchor;
try {
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await freshBaresip());
  anchor = medians(runs);
} catch (e) {
  anchor = { error: `baresip: ${e.message.split('\n')[0]}` };
}
console.log(JSON.stringify({ bench: 'call', summary: 'fresh process, first call (median of 5)', vouch: medians(fresh), baresip: anchor, goals: { inviteTo180Ms: 2, ringingTo200Ms: 2 } }));
process.exit(0);
