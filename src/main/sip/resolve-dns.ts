// The real DNS behind resolve.ts: node's resolver (c-ares). With servers given ("127.0.0.1:5353",
// "[::1]:53"; settings `dnsServers`, CLI --dns, env VOUCH_DNS_SERVERS) it asks only them; without,
// the system's, and A/AAAA fall back to getaddrinfo so /etc/hosts names ("localhost") work too.
import { lookup as osLookup, promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { DnsLookup, NaptrRecord, SrvRecord } from './resolve';

export interface DnsOptions {
  /** Servers to ask instead of the system's. */
  servers?: readonly string[];
  /** Per query attempt, ms (c-ares doubles it on each retry). */
  timeoutMs?: number;
  tries?: number;
}

const MAX_SERVERS = 8;

/** Splits "a,b c" (the env variable and CLI form) into server strings. */
export function parseDnsServers(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .filter((s) => s !== '')
    .slice(0, MAX_SERVERS);
}

/** True when `s` is an address with an optional port that c-ares accepts. */
export function isDnsServer(s: string): boolean {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)|([0-9a-fA-F:]+))(?::(\d{1,5}))?$/.exec(s);
  if (!m) return false;
  const host = m[1] ?? m[2] ?? m[3];
  if (m[3] !== undefined && m[4] !== undefined) return false;
  const port = m[4] === undefined ? 53 : Number(m[4]);
  return isIP(host) !== 0 && port > 0 && port <= 65535;
}

export function nodeDnsLookup(options: DnsOptions = {}): DnsLookup {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
  const servers = (options.servers ?? []).filter(isDnsServer);
  if (servers.length > 0) resolver.setServers(servers);
  const system = servers.length === 0;
  const quiet = async <T>(q: Promise<T[]>): Promise<T[]> => {
    try {
      return await q;
    } catch {
      return []; // NXDOMAIN, no data, refused, timeout: no records to use
    }
  };
  return {
    naptr: (name): Promise<NaptrRecord[]> => quiet(resolver.resolveNaptr(name)),
    srv: (name): Promise<SrvRecord[]> => quiet(resolver.resolveSrv(name)),
    async addresses(name): Promise<string[]> {
      const [v4, v6] = await Promise.all([quiet(resolver.resolve4(name)), quiet(resolver.resolve6(name))]);
      const found = [...v4, ...v6];
      if (found.length > 0 || !system) return found;
      return new Promise((resolve) => {
        osLookup(name, { all: true }, (err, addrs) => resolve(err ? [] : addrs.map((a) => a.address)));
      });
    },
  };
}

/**
 * A lookup that follows a setting: the servers are read on every resolution, so a change in
 * the settings applies to the next call without restarting the user agent.
 */
export function settingsDnsLookup(servers: () => readonly string[], options: Omit<DnsOptions, 'servers'> = {}): DnsLookup {
  let key: string | undefined;
  let current: DnsLookup | undefined;
  const lookup = (): DnsLookup => {
    const list = servers();
    const k = list.join(',');
    if (current === undefined || k !== key) {
      key = k;
      current = nodeDnsLookup({ ...options, servers: list });
    }
    return current;
  };
  return {
    naptr: (name) => lookup().naptr(name),
    srv: (name) => lookup().srv(name),
    addresses: (name) => lookup().addresses(name),
  };
}
