// SIP benchmark (issue 6). Not a test: prints JSON lines.
//   {case: "parse" | "serialize" | "parse+serialize", msgsPerSec, messages}
//   {case: "answer-sipp-uac", calls, medianMs, p90Ms, source: "sipp rtd"}   Vouch auto-answers sipp's uac
//   {case: "call-sipp-uas", calls, medianMs, p90Ms, source: "vouch"}         Vouch calls sipp's uas
//   {case: "vouch-vouch", calls, medianMs, p90Ms, source: "vouch"}           INVITE -> 200 between two UAs
// Goal: Vouch's answer <= 1 ms median on loopback (baresip 1.2 ms, linphonec ~8 ms measured here).
// Run: node --import tsx bench/sip.mjs [--quick]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SipUa, parseMessage, serializeMessage } from '../src/main/sip/index.ts';
import { which } from '../test/interop/peers.ts';
import { peerPort, untilBound } from '../test/interop/ports.ts';

const quick = process.argv.includes('--quick');
const CALLS = quick ? 50 : 300;
const SDP = { contentType: 'application/sdp', body: 'v=0\r\no=vouch 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n' };
const INVITE = Buffer.from(
  'INVITE sip:bob@127.0.0.1:5062 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK776asdhds;rport\r\nMax-Forwards: 70\r\n' +
    'To: Bob <sip:bob@127.0.0.1>\r\nFrom: "Alice" <sip:alice@127.0.0.1>;tag=1928301774\r\nCall-ID: a84b4c76e66710@127.0.0.1\r\nCSeq: 314159 INVITE\r\n' +
    'Contact: <sip:alice@127.0.0.1:5061>\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\nUser-Agent: Vouch/0.1\r\nContent-Type: application/sdp\r\n' +
    `Content-Length: ${Buffer.byteLength(SDP.body)}\r\n\r\n${SDP.body}`,
);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => Number(s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(3));
  return { medianMs: q(0.5), p90Ms: q(0.9), meanMs: Number((s.reduce((a, b) => a + b, 0) / s.length).toFixed(3)) };
};

function codec() {
  const n = quick ? 20000 : 200000;
  const parsed = parseMessage(INVITE);
  if (!parsed.ok) throw parsed.error;
  for (const [name, fn] of [
    ['parse', () => parseMessage(INVITE)],
    ['serialize', () => serializeMessage(parsed.message)],
    ['parse+serialize', () => serializeMessage(parseMessage(INVITE).message)],
  ]) {
    for (let i = 0; i < n / 10; i++) fn();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    const dt = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ case: name, msgsPerSec: Math.round(n / dt), messages: n }));
  }
}

function runSipp(sipp, args) {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-sipp-bench-'));
  const child = spawn(sipp, [...args, '-i', '127.0.0.1', '-nostdin', '-timeout', '60s', '-timeout_error'], { cwd: dir, stdio: 'ignore' });
  const done = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return { dir, done, kill: () => child.kill('SIGKILL') };
}

async function answerSippUac(sipp) {
  const ua = await SipUa.start({ user: 'vouch', host: '127.0.0.1' });
  ua.on('incoming', (s) => s.accept(SDP));
  const port = await peerPort();
  // One call at a time (-l 1), so each response time is Vouch's answer on an idle loopback.
  const run = runSipp(sipp, ['-sn', 'uac', '-m', String(CALLS), '-l', '1', '-r', '1000', '-p', String(port), '-trace_rtt', '-rtt_freq', '1', `127.0.0.1:${ua.localAddress('UDP').port}`]);
  const code = await run.done;
  await ua.close();
  const file = readdirSync(run.dir).find((f) => f.endsWith('_rtt.csv'));
  const rows = file ? readFileSync(join(run.dir, file), 'latin1').trim().split('\n').slice(1) : [];
  rmSync(run.dir, { recursive: true, force: true });
  // Rows: date_ms;response_time_ms;rtd_no
  const times = rows.map((r) => Number(r.split(';')[1])).filter((x) => Number.isFinite(x));
  if (times.length === 0) return console.log(JSON.stringify({ case: 'answer-sipp-uac', error: `sipp exited ${code} without rtt data` }));
  console.log(JSON.stringify({ case: 'answer-sipp-uac', calls: times.length, ...stats(times), source: 'sipp rtd (ms resolution of its clock)', sippExit: code }));
}

async function callSippUas(sipp) {
  const port = await peerPort();
  const run = runSipp(sipp, ['-sn', 'uas', '-m', String(CALLS), '-p', String(port)]);
  const ua = await SipUa.start({ user: 'vouch', host: '127.0.0.1' });
  const times = [];
  await untilBound(port, 'udp'); // sipp listens
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    const s = ua.invite(`sip:service@127.0.0.1:${port}`, SDP);
    await s.answered;
    times.push(performance.now() - t0);
    s.bye();
    await new Promise((r) => setTimeout(r, 0));
  }
  await ua.close();
  run.kill();
  rmSync(run.dir, { recursive: true, force: true });
  console.log(JSON.stringify({ case: 'call-sipp-uas', calls: times.length, ...stats(times), source: 'vouch: invite() to 200 received, includes sipp 180' }));
}

async function vouchToVouch() {
  const a = await SipUa.start({ user: 'alice', host: '127.0.0.1' });
  const b = await SipUa.start({ user: 'bob', host: '127.0.0.1' });
  b.on('incoming', (s) => s.accept(SDP));
  const target = `sip:bob@127.0.0.1:${b.localAddress('UDP').port}`;
  const times = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    const s = a.invite(target, SDP);
    await s.answered;
    times.push(performance.now() - t0);
    s.bye();
    await s.ended;
    await new Promise((r) => setTimeout(r, 1));
  }
  await a.close();
  await b.close();
  console.log(JSON.stringify({ case: 'vouch-vouch', calls: times.length, ...stats(times), source: 'vouch: invite() to 200 received, same process' }));
}

codec();
await vouchToVouch();
const sipp = which('sipp');
if (sipp) {
  await answerSippUac(sipp);
  await callSippUas(sipp);
} else console.log(JSON.stringify({ case: 'sipp', skipped: 'sipp not installed (apt-get install sip-tester)' }));
