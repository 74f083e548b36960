// What a person hears on a bad network, Vouch beside Linphone in the same run (issue 24). Root:
// the network lab (test/interop/lab). The two LAN hosts call through the LAN router's impairment
// (impairment.ts: nftables random loss, a relay for jitter and a bottleneck); each side is the
// same program (Vouch CLI ↔ Vouch CLI, linphonec ↔ linphonec), PCMU, ZRTP, no ICE.
// The caller sends a reference (espeak-ng speech, then a tone sweep; 8 kHz) and the callee records
// it; speech-quality.ts aligns the recording (mouth-to-ear delay: both start at the call's
// connect) and counts bad 20 ms frames. A video line: Vouch with video through each condition,
// freezes per minute from the received IVF (gaps > 200 ms between frames' capture times).
// Run: node --import tsx bench/call-quality.mjs [conditionName ...]. One JSON line per condition:
// {"bench":"call-quality","condition":"loss5","vouch":{…},"linphone":{…}}, then the video lines.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, ADDR, labUnavailable } from '../test/interop/lab/lab.ts';
import { NETWORK_CONDITIONS, startImpairedPath } from '../test/interop/lab/impairment.ts';
import { startVouch, isSecure, isListening, streamStats } from '../test/interop/lab/vouch-ns.ts';
import { startLinphonec } from '../test/interop/lab/linphonec-ns.ts';
import { speechQuality, RATE } from '../test/interop/lab/speech-quality.ts';
import { authToken, callEnded } from '../test/interop/linphone-call/helpers.ts';
import { parseWav, wavHeader, wavPcmSamples, parseIvf } from '../src/main/media/sources/index.ts';

const why = labUnavailable() ?? (spawnSync('which', ['linphonec', 'espeak-ng', 'gst-launch-1.0']).status === 0 ? undefined : 'needs linphonec, espeak-ng and gst-launch-1.0');
if (why) {
  console.error(`call-quality: ${why}`);
  process.exit(1);
}
const wanted = process.argv.slice(2);
const conditions = NETWORK_CONDITIONS.filter((c) => wanted.length === 0 || wanted.includes(c.name));
const dir = mkdtempSync(join(tmpdir(), 'vouch-bench-quality-'));
const print = (o) => console.log(JSON.stringify(o));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Any WAV to 8 kHz mono 16-bit (GStreamer), as samples. */
function mono8k(path) {
  const out = `${path}.8k.wav`;
  execFileSync('gst-launch-1.0', ['-q', 'filesrc', `location=${path}`, '!', 'wavparse', '!', 'audioconvert', '!', 'audioresample', '!', `audio/x-raw,rate=${RATE},channels=1,format=S16LE`, '!', 'wavenc', '!', 'filesink', `location=${out}`]);
  const bytes = new Uint8Array(readFileSync(out));
  const info = parseWav(bytes);
  if (typeof info === 'string') throw new Error(`${out}: ${info}`);
  return wavPcmSamples(bytes, info);
}

function writeWav(path, samples) {
  const data = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const file = new Uint8Array(44 + data.length);
  file.set(wavHeader(RATE, 1, data.length));
  file.set(data, 44);
  writeFileSync(path, file);
}

/** The reference: 1 s of silence, about 9 s of espeak-ng speech, 0.3 s of silence, a 2 s 200 → 3400 Hz sweep. */
function makeReference() {
  const speech = join(dir, 'speech.wav');
  execFileSync('espeak-ng', ['-s', '150', '-w', speech, 'The quick brown fox jumps over the lazy dog. A secure phone call should sound clear, even when the network loses a few packets. Please read the short authentication string aloud, and check that it matches.']);
  const voice = mono8k(speech);
  const sweep = new Int16Array(2 * RATE);
  let phase = 0;
  for (let i = 0; i < sweep.length; i++) {
    phase += (2 * Math.PI * (200 + (3200 * i) / sweep.length)) / RATE;
    sweep[i] = Math.round(6000 * Math.sin(phase));
  }
  // A second of silence first: what the call's start-up (ZRTP) swallows is not speech.
  const lead = RATE;
  const ref = new Int16Array(lead + voice.length + 0.3 * RATE + sweep.length);
  ref.set(voice, lead);
  ref.set(sweep, lead + voice.length + 0.3 * RATE);
  const path = join(dir, 'reference.wav');
  writeWav(path, ref);
  return { path, samples: ref, seconds: ref.length / RATE };
}

/** Freezes per minute in a received IVF: gaps over 200 ms between consecutive frames' pts. */
function freezesPerMinute(ivfPath) {
  if (!existsSync(ivfPath)) return { frames: 0, freezes: 0, freezesPerMinute: null };
  const info = parseIvf(new Uint8Array(readFileSync(ivfPath)));
  if (typeof info === 'string') return { frames: 0, freezes: 0, freezesPerMinute: null };
  const unit = info.timebaseNumerator / info.timebaseDenominator;
  let freezes = 0;
  for (let i = 1; i < info.framePts.length; i++) if ((info.framePts[i] - info.framePts[i - 1]) * unit > 0.2) freezes++;
  const seconds = (info.framePts.at(-1) - info.framePts[0]) * unit;
  return { frames: info.framePts.length, freezes, freezesPerMinute: seconds > 0 ? Number(((freezes * 60) / seconds).toFixed(2)) : null };
}

const round = (x) => Number(x.toFixed(1));

async function vouchCall(lab, condition, ref, n, video) {
  const path = await startImpairedPath(lab, condition, 5060, 24 + n);
  try {
    const bob = startVouch(lab, 'l2', `bob-${n}`, dir, ['listen', '--host', ADDR.l2, '--port', '5060', '--no-ice', '--calls', '1', '--tone', '700']);
    await bob.next(isListening, 30_000);
    const extra = video ? ['--add-video-after', '0'] : [];
    const alice = startVouch(lab, 'l1', `alice-${n}`, dir, ['call', path.uri('bob'), '--host', ADDR.l1, '--no-ice', '--send-wav', ref.path, '--duration', String(Math.ceil(ref.seconds + 2)), ...extra]);
    await alice.next(isSecure, 30_000);
    await alice.exited;
    await bob.exited;
    const heard = mono8k(join(bob.recordDir, 'received-audio.wav'));
    const series = streamStats(bob, 'audio');
    const last = series.at(-1) ?? {};
    // The playout delay moves during the call: its largest value says whether it ratcheted up.
    const playoutDelayMaxMs = Math.max(0, ...series.map((s) => s.playout?.playoutDelayMs ?? 0));
    const q = speechQuality(ref.samples, heard);
    const { packetsLost, packetsReceived, jitterMs } = last;
    const counters = Object.fromEntries(Object.entries(last).filter(([k]) => /conceal|fec|playout|freeze/i.test(k)));
    return {
      badFramesPct: round(q.badFramesPct),
      mouthToEarMs: round(q.mouthToEarMs),
      speechFrames: q.speechFrames,
      packetsLost,
      packetsReceived,
      jitterMs,
      ...counters,
      playoutDelayMaxMs,
      ...(video ? { video: freezesPerMinute(join(bob.recordDir, 'received-video.ivf')) } : {}),
      nftDropped: path.nftDropped(),
    };
  } finally {
    await path.stop();
  }
}

/** linphonec rc for the lab LAN: PCMU only (set on stdin), ZRTP, no video. */
function linphoneRc(host, user) {
  return ['[sip]', 'sip_port=5060', 'sip_tcp_port=0', 'sip_tls_port=0', 'media_encryption=zrtp', 'media_encryption_mandatory=1', `contact="${user}" <sip:${user}@${host}>`, '[rtp]', 'audio_rtp_port=7078', 'video_rtp_port=9078', `bind_address=${host}`, '[video]', 'enabled=0', '[net]', 'ipv6=0'];
}

async function pcmuOnly(lp) {
  lp.command('codec list');
  const listing = (await lp.waitFor(/18: L16[^\n]*\n/, 10_000)).input ?? '';
  for (const m of listing.matchAll(/^\s*(\d+): (\S+) \((\d+)\) enabled/gm)) if (m[2] !== 'PCMU') lp.command(`codec disable ${m[1]}`);
}

async function linphoneCall(lab, condition, ref, n) {
  const path = await startImpairedPath(lab, condition, 5060, 24 + n);
  const bob = startLinphonec(lab, linphoneRc(ADDR.l2, 'bob'), 'l2', true);
  const alice = startLinphonec(lab, linphoneRc(ADDR.l1, 'alice'), 'l1', false);
  try {
    const heard = join(bob.dir, 'heard.wav');
    for (const lp of [bob, alice]) {
      lp.command('ipv6 disable');
      lp.command('soundcard use files');
      await lp.waitFor(/Using wav files instead of soundcard/, 10_000);
      await pcmuOnly(lp);
    }
    bob.command(`record ${heard}`);
    alice.command(`play ${ref.path}`);
    await sleep(300);
    alice.command(`call ${path.uri('bob')}`);
    await alice.waitFor(authToken(1), 30_000);
    await sleep(Math.ceil(ref.seconds + 2) * 1000);
    alice.command('terminate');
    await bob.waitFor(callEnded(1), 10_000);
    await sleep(500);
    const q = speechQuality(ref.samples, mono8k(heard));
    return { badFramesPct: round(q.badFramesPct), mouthToEarMs: round(q.mouthToEarMs), speechFrames: q.speechFrames, nftDropped: path.nftDropped() };
  } finally {
    await Promise.all([alice.stop(), bob.stop()]);
    await path.stop();
  }
}

const lab = await Lab.create();
try {
  // linphonec guesses its address from the default route: give the LAN hosts one (the lab's LAN
  // gateway has no route out, so nothing leaves the lab).
  for (const h of ['l1', 'l2']) lab.ip(h, 'route', 'add', 'default', 'via', ADDR.lanGateway);
  const ref = makeReference();
  let n = 0;
  const videoLines = [];
  for (const condition of conditions) {
    if (condition.video) continue;
    const vouch = await vouchCall(lab, condition, ref, n++, false);
    const linphone = await linphoneCall(lab, condition, ref, n++);
    print({ bench: 'call-quality', condition: condition.name, vouch, linphone });
  }
  // VOUCH_BENCH_AUDIO_ONLY=1: the audio lines only (repeated runs of the audio conditions).
  for (const condition of process.env.VOUCH_BENCH_AUDIO_ONLY ? [] : conditions) {
    if (!['loss0', 'loss5', 'bottleneck500'].includes(condition.name)) continue;
    const r = await vouchCall(lab, condition, ref, n++, true);
    videoLines.push({ bench: 'call-quality', condition: condition.name, media: 'video', vouch: { ...r.video, audioBadFramesPct: r.badFramesPct } });
  }
  for (const l of videoLines) print(l);
} finally {
  await lab.destroy();
  // VOUCH_BENCH_KEEP=1 keeps the reference and the recordings for a closer look.
  if (process.env.VOUCH_BENCH_KEEP) console.error(`call-quality: recordings kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
