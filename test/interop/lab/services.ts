// The lab's servers, each started inside a lab namespace: dnsmasq as the authoritative DNS of
// the lab's domain (NAPTR, SRV, A, AAAA; no upstream, no other name) and Kamailio as registrar and
// proxy with nathelper (rport, received, NATed contacts), on the public side.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ADDR, type Lab, type LabProcess, type Role } from './lab';

export const LAB_DOMAIN = 'lab.test';
export const LAB_PASSWORD = 'lab-secret';

export interface DnsRecords {
  /** name → IPv4 and/or IPv6 addresses (A / AAAA). */
  hosts: Record<string, string[]>;
  /** RFC 3263 NAPTR: domain → SRV name, e.g. SIP+D2U → _sip._udp.<domain>. */
  naptr?: { domain: string; order: number; preference: number; service: string; replacement: string }[];
  srv?: { name: string; target: string; port: number; priority: number; weight: number }[];
}

async function waitFor(what: string, check: () => boolean, proc: LabProcess, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited:\n${proc.output().slice(-3000)}`);
    if (Date.now() > end) throw new Error(`${what} did not start:\n${proc.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** dnsmasq on `listen` in `role`, answering only the records given (authoritative for the lab). */
export async function startDns(lab: Lab, role: Role, listen: string, records: DnsRecords): Promise<LabProcess> {
  const args = ['--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-poll', '--bind-interfaces', `--listen-address=${listen}`, '--port=53', `--local=/${LAB_DOMAIN}/`, '--log-facility=-', '--user=root', '--pid-file='];
  for (const [name, addrs] of Object.entries(records.hosts)) args.push(`--host-record=${[name, ...addrs].join(',')}`);
  for (const n of records.naptr ?? []) args.push(`--naptr-record=${n.domain},${n.order},${n.preference},S,${n.service},,${n.replacement}`);
  for (const s of records.srv ?? []) args.push(`--srv-host=${s.name},${s.target},${s.port},${s.priority},${s.weight}`);
  const p = lab.spawn(role, 'dnsmasq', args);
  const probe = Object.keys(records.hosts)[0];
  await waitFor('dnsmasq', () => dig(lab, role, listen, probe) !== undefined, p);
  return p;
}

/** One A lookup with the resolver of node (c-ares) inside the namespace; undefined on failure. */
function dig(lab: Lab, role: Role, server: string, name: string): string | undefined {
  const script = `const r=new (require('node:dns').promises.Resolver)({timeout:200,tries:1});r.setServers([${JSON.stringify(server)}]);r.resolve(${JSON.stringify(name)},'ANY').then(a=>{console.log(JSON.stringify(a));},()=>process.exit(1))`;
  const r = spawnSync('ip', ['netns', 'exec', lab.ns(role), process.execPath, '-e', script], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? r.stdout : undefined;
}

const MODULE_PATHS = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/aarch64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules'];

export interface LabKamailio {
  process: LabProcess;
  dir: string;
  stop(): Promise<void>;
}

/** Kamailio on `listen`:5060 (UDP and TCP) in the public namespace. */
export async function startKamailio(lab: Lab, role: Role, listen: string): Promise<LabKamailio> {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-lab-kamailio-'));
  const modulePath = MODULE_PATHS.find((p) => existsSync(p)) ?? MODULE_PATHS[0];
  const cfg = readFileSync(new URL('./kamailio-lab.cfg', import.meta.url), 'utf8')
    .replaceAll('%LISTEN%', listen)
    .replaceAll('%DOMAIN%', LAB_DOMAIN)
    .replaceAll('%MODULE_PATH%', modulePath)
    .replaceAll('%PASSWORD%', LAB_PASSWORD);
  const cfgPath = join(dir, 'kamailio.cfg');
  writeFileSync(cfgPath, cfg);
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  const p = lab.spawn(role, 'kamailio', ['-DD', '-E', '-f', cfgPath, '-Y', runDir, '-P', join(runDir, 'kamailio.pid'), '-m', '64', '-M', '8', '-w', dir]);
  await waitFor('kamailio', () => optionsAnswered(lab, role, listen), p);
  return {
    process: p,
    dir,
    stop: async () => {
      await p.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends one OPTIONS from inside the namespace and says whether anything answered. */
function optionsAnswered(lab: Lab, role: Role, host: string): boolean {
  const msg = `OPTIONS sip:ping@${host} SIP/2.0\\r\\nVia: SIP/2.0/UDP ${host}:9;branch=z9hG4bKping\\r\\nFrom: <sip:ping@${host}>;tag=p\\r\\nTo: <sip:ping@${host}>\\r\\nCall-ID: ping\\r\\nCSeq: 1 OPTIONS\\r\\nMax-Forwards: 70\\r\\nContent-Length: 0\\r\\n\\r\\n`;
  const script = `const s=require('node:dgram').createSocket('udp4');s.on('message',()=>process.exit(0));s.bind(0,${JSON.stringify(host)},()=>s.send("${msg}",5060,${JSON.stringify(host)}));setTimeout(()=>process.exit(1),300)`;
  const r = spawnSync('ip', ['netns', 'exec', lab.ns(role), process.execPath, '-e', script], { timeout: 5000 });
  return r.status === 0;
}

export const LAB_TURN_USER = 'vouch';
export const LAB_TURN_PASSWORD = 'turn-lab-secret';
export const LAB_TURN_REALM = LAB_DOMAIN;

export interface LabCoturn {
  process: LabProcess;
  stop(): Promise<void>;
}

/**
 * coturn (Debian's turnserver) on `listen`:3478, UDP and TCP, long-term credentials from a 0600
 * config file (never a command line). Private peer addresses are denied: coturn 4.6 drops a whole
 * allocation when a relayed send fails with "network unreachable" (measured here), and a home's
 * private address is never reachable from the relay anyway.
 */
export async function startCoturn(lab: Lab, role: Role, listen: string): Promise<LabCoturn> {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-lab-coturn-'));
  const cfg = [
    `listening-ip=${listen}`,
    `relay-ip=${listen}`,
    'listening-port=3478',
    'lt-cred-mech',
    'fingerprint',
    `realm=${LAB_TURN_REALM}`,
    `user=${LAB_TURN_USER}:${LAB_TURN_PASSWORD}`,
    'no-tls',
    'no-dtls',
    'no-cli',
    'no-multicast-peers',
    'min-port=49152',
    'max-port=49999',
    'denied-peer-ip=10.0.0.0-10.255.255.255',
    'denied-peer-ip=172.16.0.0-172.31.255.255',
    'denied-peer-ip=192.168.0.0-192.168.255.255',
    `pidfile=${join(dir, 'turnserver.pid')}`,
    'simple-log',
    'log-file=stdout',
    '',
  ].join('\n');
  const cfgPath = join(dir, 'turnserver.conf');
  writeFileSync(cfgPath, cfg, { mode: 0o600 });
  const p = lab.spawn(role, 'turnserver', ['-c', cfgPath]);
  await waitFor('coturn', () => /Total General servers|UDP listener opened|IPv4. UDP listener opened/i.test(p.output()), p);
  // A Binding request answered proves the UDP listener serves, not only that it logged.
  await waitFor('coturn binding', () => stunAnswered(lab, role, listen, 3478), p);
  return {
    process: p,
    stop: async () => {
      await p.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends one STUN Binding request from inside the namespace; says whether a response came back. */
function stunAnswered(lab: Lab, role: Role, host: string, port: number): boolean {
  const script = `const s=require('node:dgram').createSocket('udp4');const m=Buffer.alloc(20);m.writeUInt16BE(1,0);m.writeUInt32BE(0x2112a442,4);require('node:crypto').randomFillSync(m,8,12);s.on('message',()=>process.exit(0));s.bind(0,${JSON.stringify(host)},()=>s.send(m,${port},${JSON.stringify(host)}));setTimeout(()=>process.exit(1),300)`;
  const r = spawnSync('ip', ['netns', 'exec', lab.ns(role), process.execPath, '-e', script], { timeout: 5000 });
  return r.status === 0;
}

/**
 * The lab domain's SIP records on the public DNS: lab.test itself has no A record, so the
 * registrar is found, and trusted with the password, through NAPTR → SRV → sip.lab.test only
 * (RFC 3263; own-server.ts takes in those targets).
 */
export const LAB_SIP_RECORDS: DnsRecords = {
  hosts: { [`sip.${LAB_DOMAIN}`]: [ADDR.kamailio] },
  naptr: [{ domain: LAB_DOMAIN, order: 10, preference: 10, service: 'SIP+D2U', replacement: `_sip._udp.${LAB_DOMAIN}` }],
  srv: [{ name: `_sip._udp.${LAB_DOMAIN}`, target: `sip.${LAB_DOMAIN}`, port: 5060, priority: 10, weight: 0 }],
};

/** The public side of the ICE lab, started together: the DNS of lab.test, Kamailio and coturn. */
export async function startIcePublicSide(lab: Lab): Promise<void> {
  await Promise.all([startDns(lab, 'pub', ADDR.publicDns, LAB_SIP_RECORDS), startKamailio(lab, 'pub', ADDR.kamailio), startCoturn(lab, 'pub', ADDR.turn)]);
}
