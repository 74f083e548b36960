// The ICE settings (STUN and TURN servers as a person writes them, `host[:port]`) turned into the
// addresses the media worker's gatherer sends to. Names go through the same DNS as SIP (the
// configured dnsServers, else the system's); a server that does not resolve is left out and
// named, so one typo costs that server, not the call.
import { isIP } from 'node:net';
import type { Settings } from '../../shared/api';
import type { IceServerSpec } from '../media/worker-protocol';
import type { DnsLookup } from '../sip/resolve';
import type { TransportAddress } from './stun';

/** RFC 8489 §18.1 (STUN) and RFC 8656 §19 (TURN): the default port for UDP and TCP. */
export const STUN_DEFAULT_PORT = 3478;

export interface ServerAddress {
  /** A DNS name, or an IP literal without brackets. */
  host: string;
  port: number;
}

const SERVER_ADDRESS = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/;
/** RFC 1035 §2.3.4: a name is at most 253 characters as written. */
const MAX_NAME = 253;

/**
 * `host`, `host:port`, `192.0.2.1:3478`, `[2001:db8::1]:3478`; undefined for anything else (a bare
 * IPv6 address is refused: its last group reads as a port).
 */
export function parseServerAddress(text: string, defaultPort = STUN_DEFAULT_PORT): ServerAddress | undefined {
  const m = SERVER_ADDRESS.exec(text);
  if (!m) return undefined;
  const host = m[1] ?? m[2];
  if (m[1] !== undefined && isIP(host) !== 6) return undefined;
  if (m[2] !== undefined && (host.length > MAX_NAME || host.startsWith('.') || host.startsWith('-') || host.includes('..'))) return undefined;
  const port = m[3] === undefined ? defaultPort : Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host, port };
}

export interface ResolvedIceServers {
  spec: IceServerSpec;
  /** One sentence per server left out: "stun.example.org: no such name". */
  problems: string[];
}

/**
 * One address per server: a name's first IPv4 address, else its first IPv6 one. A stream's socket
 * has one family, and a TURN allocation per address would multiply the server's load for nothing.
 */
async function resolveOne(text: string, lookup: Pick<DnsLookup, 'addresses'>): Promise<TransportAddress | string> {
  const parsed = parseServerAddress(text);
  if (!parsed) return `${text}: not host or host:port`;
  const literal = isIP(parsed.host);
  if (literal !== 0) return { family: literal === 6 ? 'IPv6' : 'IPv4', address: parsed.host, port: parsed.port };
  let found: string[];
  try {
    found = await lookup.addresses(parsed.host);
  } catch (e) {
    return `${text}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const v4 = found.find((a) => isIP(a) === 4);
  const address = v4 ?? found.find((a) => isIP(a) === 6);
  if (address === undefined) return `${text}: the name has no address (DNS)`;
  return { family: v4 !== undefined ? 'IPv4' : 'IPv6', address, port: parsed.port };
}

export async function resolveIceServers(ice: Settings['ice'], lookup: Pick<DnsLookup, 'addresses'>): Promise<ResolvedIceServers> {
  const problems: string[] = [];
  const [stun, turn] = await Promise.all([Promise.all(ice.stunServers.map((s) => resolveOne(s, lookup))), Promise.all(ice.turnServers.map((t) => resolveOne(t.server, lookup)))]);
  const spec: IceServerSpec = { stun: [], turn: [] };
  for (const r of stun) {
    if (typeof r === 'string') problems.push(`STUN server ${r}`);
    else spec.stun.push(r);
  }
  turn.forEach((r, i) => {
    const t = ice.turnServers[i];
    if (typeof r === 'string') problems.push(`TURN server ${r}`);
    else spec.turn.push({ server: r, username: t.username, password: t.password ?? '', ...(t.transport === 'tcp' ? { transport: 'tcp' as const } : {}) });
  });
  return { spec, problems };
}
