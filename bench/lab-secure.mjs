// INVITE → secure (ZRTP Conf2ACK: the caller's `security` event with state 'secure') in the
// network lab (root; test/interop/lab): through the lab's Kamailio across two cone NATs, and on
// one LAN, against loopback in the same run (two CLIs on 127.0.0.1 inside a lab namespace).
// Each call is a fresh `vouch call` process; the clock runs from its 'calling' line (the INVITE
// leaves right after) to its 'secure' line, both read from the same pipe.
// Run: node --import tsx bench/lab-secure.mjs [rounds]. Prints JSON lines: per round, then the
// medians and each path's excess over loopback. Goal: within 20 ms of loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, ADDR, labUnavailable } from '../test/interop/lab/lab.ts';
import { startDns, startKamailio, LAB_DOMAIN, LAB_PASSWORD } from '../test/interop/lab/services.ts';
import { startVouch, passwordFile, isSecure, isListening } from '../test/interop/lab/vouch-ns.ts';

const rounds = Number(process.argv[2] ?? 5);
const why = labUnavailable();
if (why) {
  console.error(`lab-secure: ${why}`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'vouch-bench-lab-'));
const lab = await Lab.create();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let n = 0;

/** One call: ms from the caller's 'calling' line to 'connected' (200 OK) and to 'secure'. */
async function timedCall(role, args) {
  const c = startVouch(lab, role, `caller-${n++}`, dir, ['call', ...args, '--duration', '0.5']);
  const calling = await c.next((l) => l.event === 'state' && l.state === 'calling', 20_000);
  const connected = await c.next((l) => l.event === 'state' && l.state === 'connected', 20_000);
  const secure = await c.next(isSecure, 20_000);
  const at = (l) => c.times[c.lines.indexOf(l)];
  await c.exited;
  return { toConnected: at(connected) - at(calling), toSecure: at(secure) - at(calling) };
}

try {
  await startDns(lab, 'pub', ADDR.publicDns, {
    // As in the lab's tests: lab.test only through NAPTR → SRV → sip.lab.test.
    hosts: { [`sip.${LAB_DOMAIN}`]: [ADDR.kamailio] },
    naptr: [{ domain: LAB_DOMAIN, order: 10, preference: 10, service: 'SIP+D2U', replacement: `_sip._udp.${LAB_DOMAIN}` }],
    srv: [{ name: `_sip._udp.${LAB_DOMAIN}`, target: `sip.${LAB_DOMAIN}`, port: 5060, priority: 10, weight: 0 }],
  });
  await startKamailio(lab, 'pub', ADDR.kamailio);
  const password = passwordFile(dir, LAB_PASSWORD);
  // Keep-alives inside the lab routers' 10 s UDP timeout (Lab.create's default).
  const account = (user) => ['--account', `sip:${user}@${LAB_DOMAIN}`, '--server', LAB_DOMAIN, '--password-file', password, '--keepalive', '5'];

  const loopListener = startVouch(lab, 'l1', 'loop-listener', dir, ['listen', '--host', '127.0.0.1', '--port', '5070']);
  const lanListener = startVouch(lab, 'l2', 'lan-listener', dir, ['listen']);
  const natListener = startVouch(lab, 'ha', 'nat-listener', dir, ['listen', ...account('alice')]);
  await Promise.all([loopListener.next(isListening, 30_000), lanListener.next(isListening, 30_000), natListener.next((l) => l.event === 'registration' && l.state === 'registered', 30_000)]);

  const paths = {
    loopback: () => timedCall('l1', ['sip:x@127.0.0.1:5070', '--host', '127.0.0.1']),
    lan: () => timedCall('l1', [`sip:bob@${ADDR.l2}`]),
    natKamailio: () => timedCall('hb', [`sip:alice@${LAB_DOMAIN}`, ...account('bob')]),
  };
  const results = { loopback: [], lan: [], natKamailio: [] };
  // One warm-up call per path (DNS, Kamailio's first transaction, the listener's first call),
  // then rounds interleaved, so a slow moment of the machine hits every path alike.
  for (const run of Object.values(paths)) await run();
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(paths)) {
      const t = await run();
      results[name].push(t);
      console.log(JSON.stringify({ round: r, path: name, inviteToConnectedMs: Number(t.toConnected.toFixed(1)), inviteToSecureMs: Number(t.toSecure.toFixed(1)) }));
    }
  }
  const loop = median(results.loopback.map((t) => t.toSecure));
  for (const [name, ts] of Object.entries(results)) {
    const m = median(ts.map((t) => t.toSecure));
    const c = median(ts.map((t) => t.toConnected));
    console.log(JSON.stringify({ path: name, rounds, medianInviteToConnectedMs: Number(c.toFixed(1)), medianInviteToSecureMs: Number(m.toFixed(1)), overLoopbackMs: Number((m - loop).toFixed(1)), goalMs: 20, met: m - loop <= 20 }));
  }
} finally {
  await lab.destroy();
  rmSync(dir, { recursive: true, force: true });
}
