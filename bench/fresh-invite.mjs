// The first call of a fresh process, timed on the wire (issue 23): a raw UDP user agent sends one
// INVITE (PCMU, with a ZRTP hello hash like a ZRTP phone's) to a callee that answers by itself,
// and notes when the 180 and the 200 arrive and the callee's CPU time up to each; then ACK and BYE.
// bench/call.mjs runs it against a fresh `vouch listen` and a fresh baresip (auto-answer, plain
// RTP), one after the other; run by itself it does the same, interleaved:
//   npm run build && node bench/fresh-invite.mjs [rounds=7]
// (VOUCH_CLI=<dir>/main/cli.js times a build made with `electron-vite build --outDir <dir>`).
// It prints one JSON line per round and then the medians of Vouch and of baresip.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const hex = (n) => randomBytes(n).toString('hex');

/**
 * Nanoseconds the process has run on a CPU, all threads (/proc/PID/task/TID/schedstat, field 1):
 * the work of answering, which a busy machine's waiting for a core does not inflate.
 */
function cpuNs(pid) {
  let sum = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      sum += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended
    }
  }
  return sum;
}

/** The same for the process's main thread only (its tid is its pid): the SIP and call code. */
function mainCpuNs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/**
 * Sends the INVITE to 127.0.0.1:port; resolves with the 180 and 200 arrival times (ms) and, given
 * the callee's pid, the CPU time it spent from INVITE to 200.
 */
export async function timeFirstInvite(port, user = 'vouch', pid = undefined) {
  const sock = createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  const local = sock.address().port;
  const callId = `${hex(8)}@127.0.0.1`;
  const fromTag = hex(4);
  const sdp = [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${local + 2} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    `a=zrtp-hash:1.10 ${hex(32)}`,
    'a=sendrecv',
    '',
  ].join('\r\n');
  const dialog = (method, cseq, extra = []) =>
    [
      `${method} sip:${user}@127.0.0.1:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${hex(6)};rport`,
      'Max-Forwards: 70',
      `From: <sip:bench@127.0.0.1>;tag=${fromTag}`,
      ...extra,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:bench@127.0.0.1:${local}>`,
    ];
  const invite = [...dialog('INVITE', 1, [`To: <sip:${user}@127.0.0.1:${port}>`]), 'Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(sdp)}`, '', sdp].join('\r\n');
  const times = {};
  let toHeader = '';
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 200 from 127.0.0.1:${port}`)), 10_000);
    sock.on('message', (m) => {
      const at = performance.now();
      const text = m.toString();
      const status = /^SIP\/2\.0 (\d{3})/.exec(text)?.[1];
      if (!status || !/ INVITE\r\n/.test(/^CSeq:[^\r]*\r\n/im.exec(text)?.[0] ?? '')) return;
      if (status === '180' && times.ringing === undefined) {
        times.ringing = at;
        if (pid) {
          times.cpuAt180 = cpuNs(pid);
          times.mainCpuAt180 = mainCpuNs(pid);
        }
      }
      if (status === '200' && times.ok === undefined) {
        times.ok = at;
        toHeader = /^To:[^\r]*/im.exec(text)[0];
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const cpu0 = pid ? cpuNs(pid) : 0;
  const mainCpu0 = pid ? mainCpuNs(pid) : 0;
  const t0 = performance.now();
  sock.send(invite, port, '127.0.0.1');
  await done;
  const cpuMs = pid ? +((cpuNs(pid) - cpu0) / 1e6).toFixed(2) : undefined;
  const mainCpuMs = pid ? (mainCpuNs(pid) - mainCpu0) / 1e6 : undefined;
  const send = (lines) => sock.send([...lines, 'Content-Length: 0', '', ''].join('\r\n'), port, '127.0.0.1');
  send(dialog('ACK', 1, [toHeader]));
  send(dialog('BYE', 2, [toHeader]));
  await new Promise((r) => setTimeout(r, 200));
  sock.close();
  return {
    inviteTo180Ms: times.ringing === undefined ? null : +(times.ringing - t0).toFixed(2),
    ringingTo200Ms: times.ringing === undefined ? null : +(times.ok - times.ringing).toFixed(2),
    inviteTo200Ms: +(times.ok - t0).toFixed(2),
    cpuMsInviteTo200: cpuMs,
    // Read when the 180 arrives here: the callee may have gone on working after sending it.
    cpuMsInviteTo180: times.cpuAt180 === undefined ? undefined : +((times.cpuAt180 - cpu0) / 1e6).toFixed(2),
    cpuMs180To200: times.cpuAt180 === undefined ? undefined : +(cpuMs - (times.cpuAt180 - cpu0) / 1e6).toFixed(2),
    // The main thread alone (SIP, call and offer/answer code; the media worker is another thread).
    mainCpuMsInviteTo180: times.mainCpuAt180 === undefined ? undefined : +((times.mainCpuAt180 - mainCpu0) / 1e6).toFixed(2),
    mainCpuMs180To200: times.mainCpuAt180 === undefined ? undefined : +(mainCpuMs - (times.mainCpuAt180 - mainCpu0) / 1e6).toFixed(2),
  };
}

/** A child process; resolves with the first stdout/stderr match of `re`. */
function start(cmd, args) {
  const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const waitFor = (re, ms = 15_000) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${cmd}: no ${re}:\n${out.slice(-1500)}`)), ms);
      const check = () => {
        const m = re.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m);
        }
      };
      for (const s of [p.stdout, p.stderr]) s.on('data', (d) => ((out += d), check()));
      check();
    });
  return { p, waitFor };
}

/** A fresh `vouch listen` (auto-answer), given a second to start as a person's would be. */
export async function freshVouch(cli) {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-fresh-'));
  const v = start(process.execPath, [cli, 'listen', '--host', '127.0.0.1', '--port', '0', '--data-dir', dir, '--calls', '1']);
  const port = Number((await v.waitFor(/"event":"listening".*?"udp":(\d+)/))[1]);
  await new Promise((r) => setTimeout(r, Number(process.env.VOUCH_FRESH_IDLE_MS ?? 1000)));
  const r = await timeFirstInvite(port, 'vouch', v.p.pid);
  v.p.kill();
  rmSync(dir, { recursive: true, force: true });
  return r;
}

/** A fresh baresip (Debian's, auto-answer, plain RTP), the anchor. */
export async function freshBaresip() {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-fresh-baresip-'));
  const probe = createSocket('udp4');
  await new Promise((r) => probe.bind(0, '127.0.0.1', r));
  const port = probe.address().port;
  await new Promise((r) => probe.close(r));
  const rtp = 20000 + Math.floor(Math.random() * 1200) * 10;
  const modules = ['stdio', 'g711', 'ausine'].map((m) => `module ${m}.so`);
  writeFileSync(
    join(dir, 'config'),
    ['poll_method epoll', `sip_listen 127.0.0.1:${port}`, 'net_interface 127.0.0.1', `rtp_ports ${rtp}-${rtp + 9}`, 'audio_source ausine,1000', 'audio_alert ausine,1000', 'ausrc_srate 48000', 'ausrc_channels 2', 'module_path /usr/lib/baresip/modules', ...modules, 'module_app account.so', 'module_app menu.so', ''].join('\n'),
  );
  writeFileSync(join(dir, 'accounts'), '<sip:baresip@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMU\n');
  const b = start('baresip', ['-f', dir]);
  await b.waitFor(/baresip is ready/);
  await new Promise((r) => setTimeout(r, 1000));
  const r = await timeFirstInvite(port, 'baresip', b.p.pid);
  b.p.kill();
  rmSync(dir, { recursive: true, force: true });
  return r;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medians = (rows) => Object.fromEntries(Object.keys(rows[0]).map((k) => [k, median(rows.map((r) => r[k]))]));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rounds = Number(process.argv[2] ?? 7);
  const cli = process.env.VOUCH_CLI ?? fileURLToPath(new URL('../bin/vouch.js', import.meta.url));
  const vouch = [];
  const baresip = [];
  // Interleaved, so a load that comes and goes on the machine falls on both.
  for (let i = 0; i < rounds; i++) {
    const v = await freshVouch(cli);
    vouch.push(v);
    console.log(JSON.stringify({ bench: 'fresh-invite', round: i + 1, vouch: v }));
    try {
      const b = await freshBaresip();
      baresip.push(b);
      console.log(JSON.stringify({ bench: 'fresh-invite', round: i + 1, baresip: b }));
    } catch (e) {
      console.log(JSON.stringify({ bench: 'fresh-invite', round: i + 1, baresip: { error: e.message.split('\n')[0] } }));
    }
  }
  console.log(
    JSON.stringify({
      bench: 'fresh-invite',
      summary: `median of ${rounds}`,
      vouch: medians(vouch),
      baresip: baresip.length > 0 ? medians(baresip) : null,
      goals: { inviteTo180Ms: 2, ringingTo200Ms: 2 },
    }),
  );
  process.exit(0);
}
