// Locating SIP servers (RFC 3263 §4): from a URI to an ordered list of transport addresses to
// try. Transport from the URI (`transport=`, sips:) or from NAPTR (§4.1), then SRV (RFC 2782
// order: priority, then weighted random), then A/AAAA. A numeric host or an explicit port skips
// NAPTR and SRV (§4.2). The DNS itself comes through `DnsLookup`, so this logic is pure and the
// node:dns adapter (resolve-dns.ts) stays apart.
import { isIP } from 'node:net';
import { SipParseError } from './errors';
import type { TransportAddress, TransportProtocol } from './transport';
import { bareHost, parseUri } from './uri';

export interface NaptrRecord {
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
  order: number;
  preference: number;
}

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/** The DNS queries RFC 3263 needs. A name without records (or a failed query) gives []. */
export interface DnsLookup {
  naptr(name: string): Promise<NaptrRecord[]>;
  srv(name: string): Promise<SrvRecord[]>;
  /** A then AAAA addresses of a name (textual, no brackets). */
  addresses(name: string): Promise<string[]>;
}

export interface ResolveOptions {
  /** Transports we can send on; others are skipped (§4.1: "supported by the client"). */
  supported?: ReadonlySet<TransportProtocol>;
  /** For the SRV weighted choice (RFC 2782); tests make it deterministic. */
  random?: () => number;
}

/** Bounds what one resolution may do, whatever the DNS answers. */
const MAX_RECORDS = 16;
const MAX_TARGETS = 16;
const MAX_ADDRESS_LOOKUPS = 24;

const ALL: ReadonlySet<TransportProtocol> = new Set(['UDP', 'TCP', 'TLS']);

/** NAPTR services of RFC 3263 §4.1 and the transport each means. */
const NAPTR_SERVICES: Record<string, TransportProtocol> = { 'SIP+D2U': 'UDP', 'SIP+D2T': 'TCP', 'SIPS+D2T': 'TLS' };

/** SRV owner-name prefixes per transport (§4.1: "_sips._tcp" for TLS). */
const SRV_PREFIX: Record<TransportProtocol, string> = { UDP: '_sip._udp.', TCP: '_sip._tcp.', TLS: '_sips._tcp.' };

export function defaultPort(protocol: TransportProtocol): number {
  return protocol === 'TLS' ? 5061 : 5060;
}

/** The transport a URI asks for by itself (`transport=`, sips:), if any. */
function uriTransport(scheme: 'sip' | 'sips', transportParam: string | undefined): TransportProtocol | undefined {
  const tp = transportParam?.toLowerCase();
  // §4.1: a sips URI with transport=tcp means TLS over TCP.
  if (scheme === 'sips') return 'TLS';
  if (tp === 'tls') return 'TLS';
  if (tp === 'tcp') return 'TCP';
  if (tp === 'udp') return 'UDP';
  return undefined;
}

/**
 * The ordered targets for a SIP/SIPS URI (the proxy's, or the Request-URI's). An empty list
 * means the name does not resolve; a SipParseError, that the URI is not one we can send to.
 */
export async function resolveTargets(uriText: string, dns: DnsLookup, options: ResolveOptions = {}): Promise<TransportAddress[] | SipParseError> {
  const uri = parseUri(uriText);
  if (uri instanceof SipParseError) return uri;
  if (uri.scheme === 'tel' || uri.scheme === 'other') return new SipParseError('unsupported-scheme', `a ${uri.scheme === 'tel' ? 'tel' : 'non-SIP'} URI needs a proxy`);
  const supported = options.supported ?? ALL;
  const random = options.random ?? Math.random;
  // §4: maddr, when present, names the server instead of the host.
  const host = bareHost(uri.params.get('maddr') || uri.host).toLowerCase();
  const explicit = uriTransport(uri.scheme, uri.params.get('transport') ?? undefined);
  const numeric = isIP(host) !== 0;

  // §4.1 / §4.2: a numeric host or an explicit port: no NAPTR and no SRV.
  if (numeric || uri.port !== undefined) {
    const protocol = explicit ?? (uri.scheme === 'sips' ? 'TLS' : 'UDP');
    if (!supported.has(protocol)) return [];
    const port = uri.port ?? defaultPort(protocol);
    const addrs = numeric ? [host] : await dns.addresses(host);
    return addrs.slice(0, MAX_TARGETS).map((a) => ({ protocol, host: a, port }));
  }

  const srvPlans: { protocol: TransportProtocol; name: string }[] = [];
  if (explicit) {
    // §4.2: transport known, name without port: SRV for that transport.
    srvPlans.push({ protocol: explicit, name: SRV_PREFIX[explicit] + host });
  } else {
    const naptr = usableNaptr(await dns.naptr(host), uri.scheme, supported);
    if (naptr.length > 0) for (const n of naptr) srvPlans.push({ protocol: n.protocol, name: n.replacement });
    else {
      // §4.1: no NAPTR: try SRV for each transport we support (sips: TLS only).
      const order: TransportProtocol[] = uri.scheme === 'sips' ? ['TLS'] : ['UDP', 'TCP', 'TLS'];
      for (const p of order) if (supported.has(p)) srvPlans.push({ protocol: p, name: SRV_PREFIX[p] + host });
    }
  }

  const targets: TransportAddress[] = [];
  // The SRV queries go out together: on a slow or silent DNS they cost one timeout, not three.
  const answers = await Promise.all(srvPlans.map((plan) => (supported.has(plan.protocol) ? dns.srv(plan.name) : Promise.resolve([]))));
  let lookups = 0;
  for (const [i, plan] of srvPlans.entries()) {
    const records = orderSrv(answers[i].slice(0, MAX_RECORDS), random);
    for (const r of records) {
      if (targets.length >= MAX_TARGETS || lookups++ >= MAX_ADDRESS_LOOKUPS) return dedupe(targets);
      for (const a of await dns.addresses(r.name)) targets.push({ protocol: plan.protocol, host: a, port: r.port });
    }
    // Without NAPTR the first transport whose SRV query works is the one to use (§4.1), but the
    // other transports' targets are kept after it: more to fail over to.
  }
  if (targets.length > 0) return dedupe(targets).slice(0, MAX_TARGETS);

  // §4.2: no SRV records: A/AAAA of the host, default port.
  const protocol = explicit ?? (uri.scheme === 'sips' ? 'TLS' : 'UDP');
  if (!supported.has(protocol)) return [];
  return (await dns.addresses(host)).slice(0, MAX_TARGETS).map((a) => ({ protocol, host: a, port: defaultPort(protocol) }));
}

/** §4.1: NAPTR records with flag "s" and a SIP service we support, by order then preference. */
export function usableNaptr(records: NaptrRecord[], scheme: 'sip' | 'sips', supported: ReadonlySet<TransportProtocol>): { protocol: TransportProtocol; replacement: string }[] {
  return records
    .slice(0, MAX_RECORDS)
    .filter((r) => r.flags.toLowerCase() === 's' && r.replacement !== '' && r.replacement !== '.')
    .map((r) => ({ r, protocol: NAPTR_SERVICES[r.service.toUpperCase()] }))
    .filter((x): x is { r: NaptrRecord; protocol: TransportProtocol } => x.protocol !== undefined && supported.has(x.protocol))
    // A sips URI may only use SIPS services (§4.1).
    .filter((x) => scheme === 'sip' || x.protocol === 'TLS')
    .sort((a, b) => a.r.order - b.r.order || a.r.preference - b.r.preference)
    .map((x) => ({ protocol: x.protocol, replacement: x.r.replacement.replace(/\.$/, '') }));
}

/**
 * RFC 2782: lowest priority first; within a priority, a weighted random order (records of
 * weight 0 keep a small chance). A single "." target means the service is not offered.
 */
export function orderSrv(records: SrvRecord[], random: () => number): SrvRecord[] {
  const usable = records.filter((r) => r.name !== '' && r.name !== '.');
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const out: SrvRecord[] = [];
  for (const p of priorities) {
    // Zero weights first, as RFC 2782 asks, so they are picked only when the sum allows.
    const pool = usable.filter((r) => r.priority === p).sort((a, b) => (a.weight === 0 ? -1 : 0) - (b.weight === 0 ? -1 : 0));
    while (pool.length > 0) {
      const total = pool.reduce((n, r) => n + r.weight, 0);
      const pick = Math.floor(random() * (total + 1));
      let running = 0;
      let i = pool.findIndex((r) => (running += r.weight) >= pick);
      if (i < 0) i = pool.length - 1;
      out.push(pool[i]);
      pool.splice(i, 1);
    }
  }
  return out;
}

function dedupe(targets: TransportAddress[]): TransportAddress[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const k = `${t.protocol}|${t.host}|${t.port}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
