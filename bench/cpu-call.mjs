// What a call costs while it runs (issue 23): CPU (% of one core, all threads: utime+stime from
// /proc/PID/stat) and RSS of each side, Vouch CLI ↔ Vouch CLI against baresip ↔ baresip, on
// loopback, in the same run. Not part of npm test (~3 minutes with no arguments).
//
// Run: npm run build && node bench/cpu-call.mjs [--seconds N | --minutes M] [--only vouch-audio]
//   (VOUCH_CLI=path/to/cli.js picks another build of the CLI; default bin/vouch.js)
// --only vouch-audio runs the Vouch audio call alone and prints its line without the baresip
// ratio: `--minutes 60 --only vouch-audio` checks that RSS stays flat over an hour's call
// (rssFirstMB / rssLastMB) without the two other hour-long calls.
// Three calls, one after the other, each N seconds (default 60): Vouch audio (ZRTP, PCMU, a
// 1 kHz tone), baresip audio, Vouch audio+video (the same plus the bundled VP8 clip both ways).
// Each side is sampled every second from 8 s after the call connected until 8 s before it ends
// (for short runs 2/15 of the call at each end). Prints JSON lines: first the audio+video line
// (cpuRatioVsAudio), then baresip's, last the audio line (cpuRatioVsBaresip, rssMB, the idle RSS
// of the answering CLI before the call and what the call added to it).
//
// The anchor call (Debian's baresip 1.0: no zrtp module): SDES AES_CM_128_HMAC_SHA1_80, PCMU, the
// ausine source (48 kHz stereo only; baresip resamples to 8 kHz), no audio player module.
import { spawn, execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : undefined;
};
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
if (only !== undefined && only !== 'vouch-audio') throw new Error('--only takes vouch-audio');
const seconds = opt('minutes') !== undefined ? opt('minutes') * 60 : (opt('seconds') ?? 60);
if (!Number.isFinite(seconds) || seconds < 6) throw new Error('--seconds must be at least 6');
/** Start-up (ZRTP, first stats) and hang-up stay outside the window: 8 s of 60, 2/15 of shorter calls. */
const margin = Math.min(8, (seconds * 2) / 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = process.env.VOUCH_CLI ?? join(root, 'bin/vouch.js');
const clip = join(root, 'assets/test-vp8.ivf');
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const dirs = [];
const tempDir = (prefix) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (all threads) and RSS in MB of a live process. */
function sample(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(f[11]) + Number(f[12])) / clockTicks;
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { t: performance.now() / 1000, cpuSeconds, rssMB: rssKb / 1024 };
}

/** Samples each pid every second over [margin, seconds - margin] after `connectedAt`. */
async function measure(pids, connectedAt) {
  const series = pids.map(() => []);
  const until = (s) => sleep(Math.max(0, connectedAt + s * 1000 - performance.now()));
  await until(margin);
  for (let s = margin; s <= seconds - margin + 1e-9; s++) {
    pids.forEach((pid, i) => series[i].push(sample(pid)));
    await until(s + 1);
  }
  const sides = series.map((xs) => {
    const first = xs[0];
    const last = xs[xs.length - 1];
    const cpuPercent = (100 * (last.cpuSeconds - first.cpuSeconds)) / (last.t - first.t);
    const rss = xs.map((x) => x.rssMB);
    return { cpuPercent, rssMB: rss.reduce((a, b) => a + b, 0) / rss.length, rssFirstMB: rss[0], rssLastMB: rss[rss.length - 1] };
  });
  const mean = (k) => sides.reduce((a, s) => a + s[k], 0) / sides.length;
  return {
    cpuPercent: round(mean('cpuPercent')),
    cpuPercentPerSide: sides.map((s) => round(s.cpuPercent)),
    rssMB: round(mean('rssMB'), 1),
    rssFirstMB: round(mean('rssFirstMB'), 1),
    rssLastMB: round(mean('rssLastMB'), 1),
    samples: series[0].length,
  };
}

const round = (x, digits = 2) => Number(x.toFixed(digits));

/** A child whose stdout is read line by line; `until` resolves with the first line matching. */
function child(cmd, args, opts = {}) {
  const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], ...opts });
  let buf = '';
  const waiters = [];
  const onText = (chunk) => {
    buf += chunk.toString();
    for (const w of [...waiters]) {
      const m = w.re.exec(buf);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  p.stdout.on('data', onText);
  p.stderr.on('data', onText);
  const exited = new Promise((r) => p.once('exit', r));
  return {
    p,
    exited,
    output: () => buf,
    until(re, ms = 15000) {
      const m = re.exec(buf);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const w = { re, resolve };
        waiters.push(w);
        setTimeout(() => reject(new Error(`${cmd}: no ${re} within ${ms} ms; output:\n${buf.slice(-2000)}`)), ms).unref();
      });
    },
  };
}

async function vouchCall(video) {
  const dirA = tempDir('vouch-cpu-a-');
  const dirB = tempDir('vouch-cpu-b-');
  const common = ['--host', '127.0.0.1', '--port', '0', '--send-ivf', clip];
  const bob = child(process.execPath, [cli, 'listen', '--data-dir', dirB, '--calls', '1', ...common]);
  const port = Number((await bob.until(/"event":"listening".*?"udp":(\d+)/))[1]);
  // Idle: the listener with its pre-started worker, warmed up.
  await sleep(3000);
  const idle = sample(bob.p.pid);
  const videoArgs = video ? ['--add-video-after', '0'] : [];
  const alice = child(process.execPath, [cli, 'call', `sip:bob@127.0.0.1:${port}`, '--data-dir', dirA, '--duration', String(seconds), ...videoArgs, ...common]);
  await alice.until(/"state":"connected"/);
  const connectedAt = performance.now();
  await alice.until(/"state":"secure"/);
  if (video) await alice.until(/"video":\{"local":"on","remote":"on"/);
  const m = await measure([alice.p.pid, bob.p.pid], connectedAt);
  const codes = await Promise.all([alice.exited, bob.exited]);
  if (codes.some((c) => c !== 0)) throw new Error(`vouch exited ${codes}:\n${alice.output().slice(-1500)}\n${bob.output().slice(-1500)}`);
  return { ...m, rssIdleMB: round(idle.rssMB, 1), rssPerCallMB: round(m.rssMB - idle.rssMB, 1) };
}

function freeUdpPort() {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startBaresip(user, autoAnswer) {
  const dir = tempDir('vouch-cpu-baresip-');
  const sipPort = await freeUdpPort();
  // Below Linux's ephemeral range, where nothing else of this run binds.
  const rtpPort = 20000 + Math.floor(Math.random() * 1200) * 10;
  writeFileSync(
    join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      'net_interface 127.0.0.1',
      `rtp_ports ${rtpPort}-${rtpPort + 9}`,
      'audio_source ausine,1000',
      'audio_alert ausine,1000',
      'ausrc_srate 48000',
      'ausrc_channels 2',
      'module_path /usr/lib/baresip/modules',
      'module stdio.so',
      'module g711.so',
      'module ausine.so',
      'module srtp.so',
      'module_app account.so',
      'module_app menu.so',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'accounts'), `<sip:${user}@127.0.0.1>;regint=0;audio_codecs=PCMU;mediaenc=srtp-mand${autoAnswer ? ';answermode=auto' : ''}\n`);
  const b = child('baresip', ['-f', dir]);
  await b.until(/baresip is ready/);
  return { ...b, uri: `sip:${user}@127.0.0.1:${sipPort}` };
}

async function baresipCall() {
  const callee = await startBaresip('b', true);
  const caller = await startBaresip('a', false);
  caller.p.stdin.write(`/dial ${callee.uri}\n`);
  await caller.until(/Call established/);
  const connectedAt = performance.now();
  await caller.until(/SRTP is Enabled \(cryptosuite=AES_CM_128_HMAC_SHA1_80\)/);
  const m = await measure([caller.p.pid, callee.p.pid], connectedAt);
  await sleep(Math.max(0, connectedAt + seconds * 1000 - performance.now()));
  caller.p.stdin.write('/hangup\n');
  await sleep(300);
  for (const b of [caller, callee]) b.p.stdin.write('/quit\n');
  await Promise.race([Promise.all([caller.exited, callee.exited]), sleep(3000)]);
  for (const b of [caller, callee]) if (b.p.exitCode === null) b.p.kill();
  if (!/64000\/64000/.test(caller.output())) throw new Error(`baresip: no audio both ways:\n${caller.output().slice(-1500)}`);
  return m;
}

try {
  const audio = await vouchCall(false);
  const base = { bench: 'cpu-call', seconds, window: [round(margin, 1), round(seconds - margin, 1)] };
  if (only === 'vouch-audio') {
    console.log(JSON.stringify({ ...base, call: 'vouch audio', ...audio, goal: { rssIdleMB: 60, rssPerCallMB: 5 } }));
  } else {
    const baresip = await baresipCall();
    const av = await vouchCall(true);
    console.log(JSON.stringify({ ...base, call: 'vouch audio+video', ...av, cpuRatioVsAudio: round(av.cpuPercent / audio.cpuPercent), goal: { cpuRatioVsAudio: 1.3 } }));
    console.log(JSON.stringify({ ...base, call: 'baresip audio (SDES, PCMU)', ...baresip }));
    console.log(JSON.stringify({ ...base, call: 'vouch audio', ...audio, cpuRatioVsBaresip: round(audio.cpuPercent / baresip.cpuPercent), goal: { cpuRatioVsBaresip: 1.0, rssIdleMB: 60, rssPerCallMB: 5 } }));
  }
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
