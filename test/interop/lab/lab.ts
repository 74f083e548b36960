// A network lab in network namespaces (root only), joined only to each other: nothing here
// touches the root namespace's links, routes or firewall. Every veth is created inside a lab
// namespace with its peer moved straight into another (`ip -n A link add x type veth peer name y
// netns B`), so the root namespace never sees it; no namespace has a route out of the lab.
//
//   pub  (bridge br0: 203.0.113.1/24, 198.51.100.1/24, 2001:db8:1::1/64; Kamailio .10, TURN .20, DNS .53)
//    ├─ ra  router, wan 203.0.113.2   nft masquerade (cone)      ─ lan 10.0.1.1/24    ─ ha 10.0.1.10
//    └─ rb  router, wan 198.51.100.2  nft masquerade (cone)      ─ lan 192.168.2.1/24 ─ hb 192.168.2.10
//   lan  (bridge br0: 10.0.9.1/24, 2001:db8:9::1/64; its own DNS) ─ l1 10.0.9.11, l2 10.0.9.12
//   v6a 2001:db8:6::a/64 ─── v6b 2001:db8:6::b/64, DNS ::53  (IPv6 only)
//
// Names are `vlab<pid>-<role>`, unique per run; `Lab.create` first removes namespaces a dead run of
// this helper left behind (same prefix, pid no longer alive), killing what still runs in them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { which } from '../peers';

export const LAB_PREFIX = 'vlab';

export type Role = 'pub' | 'ra' | 'rb' | 'ha' | 'hb' | 'lan' | 'l1' | 'l2' | 'v6a' | 'v6b';
export type NatKind = 'cone' | 'symmetric' | 'full-cone';

/** The lab's fixed addresses (documentation ranges, RFC 5737 / RFC 3849, and private LANs). */
export const ADDR = {
  kamailio: '203.0.113.10',
  kamailio6: '2001:db8:1::10',
  publicDns: '203.0.113.53',
  /** coturn (services.ts startCoturn), UDP and TCP 3478. */
  turn: '203.0.113.20',
  raWan: '203.0.113.2',
  raWanMoved: '203.0.113.3',
  rbWan: '198.51.100.2',
  ha: '10.0.1.10',
  hb: '192.168.2.10',
  lanDns: '10.0.9.53',
  lanGateway: '10.0.9.1',
  l1: '10.0.9.11',
  l2: '10.0.9.12',
  l1v6: '2001:db8:9::11',
  l2v6: '2001:db8:9::12',
  v6a: '2001:db8:6::a',
  v6b: '2001:db8:6::b',
  v6Dns: '2001:db8:6::53',
} as const;

const ROLES: Role[] = ['pub', 'ra', 'rb', 'ha', 'hb', 'lan', 'l1', 'l2', 'v6a', 'v6b'];

/** Why the lab cannot run here (undefined: it can). In CI this is an error, not a skip. */
export function labUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the network lab needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'the network lab needs root (network namespaces, nftables)';
  const missing = [
    ['ip', 'iproute2'],
    ['nft', 'nftables'],
    ['kamailio', 'kamailio'],
    ['dnsmasq', 'dnsmasq'],
    ['turnserver', 'coturn'],
  ].filter(([cmd]) => !which(cmd));
  if (missing.length) return `the network lab needs ${missing.map(([c, p]) => `${c} (apt-get install ${p})`).join(', ')}`;
  return undefined;
}

/** Skips outside CI with a message; in CI (CI=true) a lab that cannot run fails the suite. */
export function labSkipReason(): string | undefined {
  const why = labUnavailable();
  if (!why) return undefined;
  if (process.env.CI === 'true') throw new Error(`${why} (required in CI)`);
  console.warn(`skipping the network lab tests: ${why}`);
  return why;
}

function run(args: string[], input?: string): string {
  const r = spawnSync('ip', args, { encoding: 'utf8', input, timeout: 10_000 });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kills every process inside a namespace (only lab namespaces: this helper started them). */
function killAllIn(ns: string): void {
  const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
  for (const p of (r.stdout ?? '').split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(p), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

function deleteNamespace(ns: string): void {
  killAllIn(ns);
  spawnSync('ip', ['netns', 'del', ns]);
  rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
}

/** Namespaces of earlier runs of this helper whose process is gone. */
export function removeStaleLabs(): string[] {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  const stale: string[] = [];
  for (const line of listed.split('\n')) {
    const name = line.split(' ')[0];
    const m = new RegExp(`^${LAB_PREFIX}(\\d+)-`).exec(name);
    if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) stale.push(name);
  }
  for (const ns of stale) deleteNamespace(ns);
  return stale;
}

export interface LabProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number>;
  stop(): Promise<void>;
}

export class Lab {
  private readonly processes = new Set<LabProcess>();
  private readonly created: string[] = [];
  private destroyed = false;
  /** While building: `ip` lines per phase and namespace, run as one `ip -n NS -batch -` each. */
  private plan: Map<string, string[]>[] | undefined;

  private constructor(readonly tag: string) {}

  /** The namespace name of a role. */
  ns(role: Role): string {
    return `${this.tag}-${role}`;
  }

  /** Runs `ip -n NS args...` (never without a lab namespace). */
  ip(role: Role, ...args: string[]): string {
    return run(['-n', this.ns(role), ...args]);
  }

  /** Runs a short command inside a namespace and returns its stdout; throws on failure. */
  exec(role: Role, cmd: string, args: string[], input?: string): string {
    return run(['netns', 'exec', this.ns(role), cmd, ...args], input);
  }

  static async create(options: { conntrackUdpTimeoutS?: number } = {}): Promise<Lab> {
    removeStaleLabs();
    const lab = new Lab(`${LAB_PREFIX}${process.pid}-${Date.now().toString(36).slice(-4)}`);
    try {
      lab.build(options.conntrackUdpTimeoutS ?? 10);
    } catch (e) {
      await lab.destroy();
      throw e;
    }
    return lab;
  }

  /** Queues an `ip` command of a build phase (0: links, 1: the rest) in a namespace. */
  private later(phase: number, role: Role, ...args: string[]): void {
    const m = this.plan![phase];
    const ns = this.ns(role);
    if (!m.has(ns)) m.set(ns, []);
    m.get(ns)!.push(args.join(' '));
  }

  /** A veth from `a` (named `aName`) to `b` (named `bName`), made inside `a`: root never sees it. */
  private veth(a: Role, aName: string, b: Role, bName: string): void {
    this.later(0, a, 'link', 'add', aName, 'type', 'veth', 'peer', 'name', bName, 'netns', this.ns(b));
    this.later(1, a, 'link', 'set', aName, 'up');
    this.later(1, b, 'link', 'set', bName, 'up');
  }

  private addr(role: Role, dev: string, cidr: string): void {
    if (cidr.includes(':')) this.later(1, role, 'addr', 'add', cidr, 'dev', dev, 'nodad');
    else this.later(1, role, 'addr', 'add', cidr, 'dev', dev);
  }

  private bridge(role: Role): void {
    this.later(0, role, 'link', 'add', 'br0', 'type', 'bridge');
    this.later(1, role, 'link', 'set', 'br0', 'up');
  }

  private enslave(role: Role, dev: string): void {
    this.later(1, role, 'link', 'set', dev, 'master', 'br0');
  }

  private build(udpTimeoutS: number): void {
    this.plan = [new Map(), new Map(), new Map()];
    for (const r of ROLES) {
      run(['netns', 'add', this.ns(r)]);
      this.created.push(this.ns(r));
      this.later(0, r, 'link', 'set', 'lo', 'up');
    }
    const sysctls = new Map<Role, string[]>();
    const sysctl = (role: Role, key: string, value: number): void => {
      if (!sysctls.has(role)) sysctls.set(role, []);
      sysctls.get(role)!.push(`echo ${value} > /proc/sys/${key.replaceAll('.', '/')}`);
    };
    // The public side: one bridge carrying both documentation /24s and an IPv6 /64.
    this.bridge('pub');
    for (const a of ['203.0.113.1/24', '198.51.100.1/24', `${ADDR.kamailio}/24`, `${ADDR.publicDns}/24`, `${ADDR.turn}/24`, '2001:db8:1::1/64', `${ADDR.kamailio6}/64`]) this.addr('pub', 'br0', a);
    // Two home routers with NAT, each with one host behind it.
    const homes = [
      { router: 'ra', host: 'ha', wan: `${ADDR.raWan}/24`, other: '198.51.100.0/24', lan: '10.0.1', hostAddr: ADDR.ha },
      { router: 'rb', host: 'hb', wan: `${ADDR.rbWan}/24`, other: '203.0.113.0/24', lan: '192.168.2', hostAddr: ADDR.hb },
    ] as const;
    for (const h of homes) {
      this.veth('pub', `p-${h.router}`, h.router, 'wan');
      this.enslave('pub', `p-${h.router}`);
      this.addr(h.router, 'wan', h.wan);
      this.later(2, h.router, 'route', 'add', h.other, 'dev', 'wan');
      this.veth(h.router, 'lan', h.host, 'eth0');
      this.addr(h.router, 'lan', `${h.lan}.1/24`);
      this.addr(h.host, 'eth0', `${h.hostAddr}/24`);
      this.later(2, h.host, 'route', 'add', 'default', 'via', `${h.lan}.1`);
      sysctl(h.router, 'net.ipv4.ip_forward', 1);
      // A new public address is added before the old one goes (moveWanAddress): without this the
      // kernel deletes the secondary address along with the primary.
      sysctl(h.router, 'net.ipv4.conf.wan.promote_secondaries', 1);
      // Short UDP mappings, so "kept alive across silence" is provable in seconds; both the
      // one-way and the "stream" (seen both ways) timeouts, or a replied-to flow lives 120 s.
      sysctl(h.router, 'net.netfilter.nf_conntrack_udp_timeout', udpTimeoutS);
      sysctl(h.router, 'net.netfilter.nf_conntrack_udp_timeout_stream', udpTimeoutS);
      this.resolvConf(h.host, [ADDR.publicDns]);
    }
    // One flat LAN with its own DNS server, IPv4 and IPv6.
    this.bridge('lan');
    for (const a of [`${ADDR.lanGateway}/24`, `${ADDR.lanDns}/24`, '2001:db8:9::1/64']) this.addr('lan', 'br0', a);
    for (const [host, v4, v6] of [
      ['l1', ADDR.l1, ADDR.l1v6],
      ['l2', ADDR.l2, ADDR.l2v6],
    ] as const) {
      this.veth('lan', `p-${host}`, host, 'eth0');
      this.enslave('lan', `p-${host}`);
      this.addr(host, 'eth0', `${v4}/24`);
      this.addr(host, 'eth0', `${v6}/64`);
      this.resolvConf(host, [ADDR.lanDns]);
    }
    // An IPv6-only pair.
    this.veth('v6a', 'eth0', 'v6b', 'eth0');
    this.addr('v6a', 'eth0', `${ADDR.v6a}/64`);
    this.addr('v6b', 'eth0', `${ADDR.v6b}/64`);
    this.addr('v6b', 'eth0', `${ADDR.v6Dns}/64`);
    this.resolvConf('v6a', [ADDR.v6Dns]);
    this.resolvConf('v6b', [ADDR.v6Dns]);
    const plan = this.plan;
    this.plan = undefined;
    for (const phase of plan) for (const [ns, lines] of phase) run(['-n', ns, '-batch', '-'], lines.join('\n') + '\n');
    for (const [role, lines] of sysctls) this.exec(role, 'sh', ['-c', lines.join(' && ')]);
    this.setNat('ra', 'cone');
    this.setNat('rb', 'cone');
  }

  /** `ip netns exec` bind-mounts /etc/netns/NS/resolv.conf over /etc/resolv.conf. */
  private resolvConf(role: Role, servers: string[]): void {
    const dir = `/etc/netns/${this.ns(role)}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/resolv.conf`, servers.map((s) => `nameserver ${s}\n`).join('') + 'options timeout:1 attempts:2\n');
  }

  /**
   * The router's NAT: `masquerade` maps endpoint-independently (a cone), `masquerade fully-random`
   * picks a new port per destination (symmetric). Unsolicited packets from the wan side are
   * dropped silently, as home routers do. Existing mappings are flushed with the ruleset change.
   *
   * 'full-cone' adds endpoint-independent filtering (RFC 4787 §5): once the host sent from a port,
   * anyone may send to it. nftables cannot look up another remote's mapping, so it is emulated:
   * masquerade keeps the host's port, and a new UDP flow to any unprivileged port of the wan
   * address is DNATed to the one home host on the same port and let through. Unlike a real full
   * cone, ports the host never sent from are open too; ICE cannot tell the difference.
   */
  setNat(router: 'ra' | 'rb', kind: NatKind): void {
    const home = router === 'ra' ? ADDR.ha : ADDR.hb;
    const fullCone = kind === 'full-cone';
    const ruleset = [
      'flush ruleset',
      'table ip nat {',
      ...(fullCone
        ? ['  chain prerouting {', '    type nat hook prerouting priority dstnat; policy accept;', `    iifname "wan" udp dport 1024-65535 dnat to ${home}`, '  }']
        : []),
      '  chain postrouting {',
      '    type nat hook postrouting priority srcnat; policy accept;',
      `    oifname "wan" masquerade${kind === 'symmetric' ? ' fully-random' : ''}`,
      '  }',
      '}',
      'table inet filter {',
      '  chain forward {',
      '    type filter hook forward priority filter; policy drop;',
      '    ct state established,related accept',
      '    iifname "lan" oifname "wan" accept',
      ...(fullCone ? ['    iifname "wan" oifname "lan" ct status dnat accept'] : []),
      '  }',
      '  chain input {',
      '    type filter hook input priority filter; policy accept;',
      '    iifname "wan" ct state new drop',
      '  }',
      '}',
      '',
    ].join('\n');
    this.exec(router, 'nft', ['-f', '-'], ruleset);
    this.flushConntrack(router);
  }

  /** Forgets the router's NAT mappings (a router reboot, as far as UDP flows are concerned). */
  private flushConntrack(router: Role): void {
    if (which('conntrack')) spawnSync('ip', ['netns', 'exec', this.ns(router), 'conntrack', '-F'], { stdio: 'ignore' });
  }

  /** Gives the router a new public address (masquerade uses it at once; old mappings go). */
  moveWanAddress(router: 'ra' | 'rb', from: string, to: string): void {
    this.ip(router, 'addr', 'add', `${to}/24`, 'dev', 'wan');
    this.ip(router, 'addr', 'del', `${from}/24`, 'dev', 'wan');
    this.flushConntrack(router);
  }

  /** Starts a process inside a namespace, in its own process group (stopped with the lab). */
  spawn(role: Role, cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {}): LabProcess {
    const child = spawn('ip', ['netns', 'exec', this.ns(role), cmd, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let partial = '';
    child.stdout?.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
      out = (out + text).slice(-100_000);
      if (!options.onLine) return;
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) options.onLine(l);
    });
    child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString('utf8')).slice(-100_000)));
    const exited = new Promise<number>((r) => child.once('exit', (code, signal) => r(code ?? (signal ? 128 : -1))));
    const signalGroup = (s: NodeJS.Signals): void => {
      try {
        if (child.pid) process.kill(-child.pid, s);
      } catch {
        // the group is gone
      }
    };
    const p: LabProcess = {
      child,
      output: () => out,
      exited,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          signalGroup('SIGTERM');
          const killer = setTimeout(() => signalGroup('SIGKILL'), 2000);
          await exited;
          clearTimeout(killer);
        }
        signalGroup('SIGKILL');
        this.processes.delete(p);
      },
    };
    this.processes.add(p);
    return p;
  }

  /** Stops every process, deletes every namespace (even after a failed build). */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await Promise.all([...this.processes].map((p) => p.stop()));
    for (const ns of this.created) deleteNamespace(ns);
  }
}

/** Lab namespaces that exist right now (for tests that check the teardown). */
export function labNamespaces(tag: string): string[] {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return listed
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(`${tag}-`));
}

/** /etc/netns entries of lab namespaces (ip netns exec's per-namespace resolv.conf). */
export function labEtcEntries(tag: string): string[] {
  try {
    return readdirSync('/etc/netns').filter((n) => n.startsWith(`${tag}-`));
  } catch {
    return [];
  }
}
