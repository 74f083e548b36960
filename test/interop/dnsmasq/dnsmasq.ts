// A real DNS server for tests: Debian's dnsmasq in the foreground, bound to 127.0.0.1 on a
// peer port (../ports.ts), answering only the records given (no upstream, no /etc/hosts, no config file).
// Names outside the test's zone get an authoritative "no such name" at once (--local).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { peerPort } from '../ports';

export interface DnsRecords {
  /** NAPTR: owner, order, preference, flags, service, replacement. */
  naptr?: { name: string; order: number; preference: number; flags: string; service: string; replacement: string }[];
  /** SRV: owner (e.g. _sip._udp.vouch.test), target, port, priority, weight. */
  srv?: { name: string; target: string; port: number; priority: number; weight: number }[];
  /** A/AAAA: a name and its addresses (loopback only in tests). */
  hosts?: { name: string; addresses: string[] }[];
  /** Zones answered authoritatively (NXDOMAIN for unknown names), e.g. "vouch.test". */
  zones?: string[];
}

export class Dnsmasq {
  private out = '';
  private readonly exited: Promise<void>;
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stderr?.on('data', (d: Buffer) => (this.out = (this.out + d.toString('utf8')).slice(-20000)));
    child.stdout?.on('data', (d: Buffer) => (this.out = (this.out + d.toString('utf8')).slice(-20000)));
    this.exited = new Promise((r) => child.on('exit', () => r()));
  }

  /** "127.0.0.1:PORT", the form node's Resolver.setServers and Vouch's --dns take. */
  get server(): string {
    return `127.0.0.1:${this.port}`;
  }

  get output(): string {
    return this.out;
  }

  static async start(bin: string, records: DnsRecords): Promise<Dnsmasq> {
    const port = await peerPort();
    const args = [
      '--keep-in-foreground',
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      '--conf-file=/dev/null',
      '--pid-file=',
      '--log-facility=-',
      '--user=',
      ...(records.zones ?? []).map((z) => `--local=/${z}/`),
      ...(records.naptr ?? []).map((n) => `--naptr-record=${n.name},${n.order},${n.preference},${n.flags},${n.service},,${n.replacement}`),
      ...(records.srv ?? []).map((s) => `--srv-host=${s.name},${s.target},${s.port},${s.priority},${s.weight}`),
      ...(records.hosts ?? []).map((h) => `--host-record=${h.name},${h.addresses.join(',')}`),
    ];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const d = new Dnsmasq(child, port);
    if (await d.waitReady()) return d;
    await d.stop();
    throw new Error(`dnsmasq did not start:\n${d.out.slice(-2000)}`);
  }

  /** Sends a tiny DNS query until dnsmasq answers (or it exits), at most 5 s. */
  private async waitReady(): Promise<boolean> {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    let answered = false;
    sock.on('message', () => (answered = true));
    // Header (id 1, RD) + one question: "." type A class IN.
    const query = Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
    const deadline = Date.now() + 5000;
    try {
      while (!answered && this.child.exitCode === null && Date.now() < deadline) {
        sock.send(query, this.port, '127.0.0.1');
        await new Promise((r) => setTimeout(r, 30));
      }
    } finally {
      sock.close();
    }
    return answered;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      await this.exited;
      clearTimeout(killer);
    }
  }
}
