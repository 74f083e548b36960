// INVITE → secure with ICE per NAT pair in the network lab (root; test/interop/lab; issue 19):
// two homes behind the lab's routers ra/rb, Kamailio registrar and coturn (STUN + TURN) on the
// public side. cone↔cone goes direct through the NATs' public addresses; cone↔symmetric and
// symmetric↔symmetric need the relay. Each call is a fresh `vouch call` process in hb calling
// alice@lab.test (a `vouch listen` in ha); the clock runs from its 'calling' line (the INVITE leaves
// right after) to its 'secure' line, both read from the same pipe. The caller gathers its
// candidates before the INVITE (and before 'calling'): that wait is printed apart, as the time
// from its 'registered' line (the call is placed right after) to 'calling'. The path kind is the
// caller's last `path` line.
// Run: node --import tsx bench/lab-ice.mjs [rounds] [stun+turn|turn] (default stun+turn: --stun and
// --turn both name coturn; `turn`: --turn only, srflx from the Allocate's XOR-MAPPED-ADDRESS). Prints JSON lines: per call, then per pair
// the median. Goal (issue 19): cone↔cone ≤ 100 ms (Linphone 301 ms), relayed ≤ 300 ms (Linphone 1.8 s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, ADDR, labUnavailable } from '../test/interop/lab/lab.ts';
import { startIcePublicSide, LAB_DOMAIN, LAB_PASSWORD, LAB_TURN_PASSWORD, LAB_TURN_USER } from '../test/interop/lab/services.ts';
import { startVouch, passwordFile, isSecure } from '../test/interop/lab/vouch-ns.ts';

const rounds = Number(process.argv[2] ?? 5);
const servers = process.argv[3] ?? 'stun+turn';
if (servers !== 'stun+turn' && servers !== 'turn') {
  console.error(`lab-ice: servers must be stun+turn or turn, not ${servers}`);
  process.exit(64);
}
const why = labUnavailable();
if (why) {
  console.error(`lab-ice: ${why}`);
  process.exit(1);
}

const PAIRS = [
  { pair: 'cone-cone', ra: 'cone', rb: 'cone', goalMs: 100 },
  { pair: 'cone-symmetric', ra: 'cone', rb: 'symmetric', goalMs: 300 },
  { pair: 'symmetric-symmetric', ra: 'symmetric', rb: 'symmetric', goalMs: 300 },
];

const dir = mkdtempSync(join(tmpdir(), 'vouch-bench-lab-ice-'));
const lab = await Lab.create();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let n = 0;

try {
  await startIcePublicSide(lab);
  const sip = passwordFile(join(dir, 'sip'), LAB_PASSWORD);
  const turn = passwordFile(join(dir, 'turn'), LAB_TURN_PASSWORD);
  const account = (user) => ['--account', `sip:${user}@${LAB_DOMAIN}`, '--server', LAB_DOMAIN, '--password-file', sip, '--keepalive', '5'];
  const ice = [...(servers === 'stun+turn' ? ['--stun', `${ADDR.turn}:3478`] : []), '--turn', `${ADDR.turn}:3478`, '--turn-user', LAB_TURN_USER, '--turn-password-file', turn];

  /** One call from hb: ms from 'calling' to 'connected' (200 OK) and to 'secure', and the path. */
  async function timedCall() {
    const c = startVouch(lab, 'hb', `caller-${n++}`, dir, ['call', `sip:alice@${LAB_DOMAIN}`, ...account('bob'), ...ice, '--duration', '0.5']);
    try {
      const registered = await c.next((l) => l.event === 'registration' && l.state === 'registered', 20_000);
      const calling = await c.next((l) => l.event === 'state' && l.state === 'calling', 20_000);
      const connected = await c.next((l) => l.event === 'state' && l.state === 'connected', 20_000);
      const secure = await c.next(isSecure, 20_000);
      const at = (l) => c.times[c.lines.indexOf(l)];
      await c.exited;
      const path = c.lines.filter((l) => l.event === 'path').at(-1);
      return { gathering: at(calling) - at(registered), toConnected: at(connected) - at(calling), toSecure: at(secure) - at(calling), path: path?.kind ?? null, rttMs: path?.rttMs ?? null };
    } finally {
      await c.stop();
    }
  }

  for (const p of PAIRS) {
    lab.setNat('ra', p.ra);
    lab.setNat('rb', p.rb);
    const alice = startVouch(lab, 'ha', `alice-${p.pair}`, dir, ['listen', ...account('alice'), ...ice]);
    try {
      await alice.next((l) => l.event === 'registration' && l.state === 'registered', 30_000);
      // One warm-up call (Kamailio's first transaction for this pair, the listener's first call).
      await timedCall();
      const ts = [];
      for (let r = 0; r < rounds; r++) {
        const t = await timedCall();
        ts.push(t);
        console.log(JSON.stringify({ round: r, pair: p.pair, servers, path: t.path, rttMs: t.rttMs, registeredToCallingMs: Number(t.gathering.toFixed(1)), inviteToConnectedMs: Number(t.toConnected.toFixed(1)), inviteToSecureMs: Number(t.toSecure.toFixed(1)) }));
      }
      const m = median(ts.map((t) => t.toSecure));
      const paths = [...new Set(ts.map((t) => t.path))];
      console.log(JSON.stringify({ pair: p.pair, servers, rounds, paths, medianRegisteredToCallingMs: Number(median(ts.map((t) => t.gathering)).toFixed(1)), medianInviteToConnectedMs: Number(median(ts.map((t) => t.toConnected)).toFixed(1)), medianInviteToSecureMs: Number(m.toFixed(1)), goalMs: p.goalMs, met: m <= p.goalMs }));
    } finally {
      await alice.stop();
    }
  }
} finally {
  await lab.destroy();
  rmSync(dir, { recursive: true, force: true });
}
