// ICE candidates (RFC 8445 §5.1): types, priority (§5.1.2.1), foundation (§5.1.1.3), pair
// priority (§6.1.2.3), and the SDP candidate-attribute (RFC 8839 §5.1). Parsing never throws:
// candidates come from the peer's SDP or trickle messages, so bad text gives a typed error.
import { decodeMappedAddress, encodeMappedAddress } from '../stun/attributes';
import type { TransportAddress } from '../stun/attributes';

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface CandidateExtension {
  readonly name: string;
  readonly value: string;
}

export interface Candidate {
  /** 1*32 ice-char (RFC 8839 §5.1). */
  readonly foundation: string;
  /** 1..256; RTP is 1, RTCP 2 (RFC 8445 §5.1.1.1). */
  readonly component: number;
  /** Lower case; Vouch's agent pairs only "udp". */
  readonly transport: string;
  /** 1..2^32-1 (RFC 8445 §5.1.2.1). */
  readonly priority: number;
  /** An IP address (RFC 5952 form for IPv6) or, from a peer, an FQDN (RFC 8839 §5.1). */
  readonly address: string;
  readonly port: number;
  readonly type: CandidateType;
  readonly relatedAddress?: string;
  readonly relatedPort?: number;
  /** Extensions (generation, network-id, ...) kept in order, verbatim. */
  readonly extensions?: readonly CandidateExtension[];
}

/** RFC 8445 §5.1.2.2 recommended type preferences. */
export const TYPE_PREFERENCE: Readonly<Record<CandidateType, number>> = { host: 126, prflx: 110, srflx: 100, relay: 0 };

/** RFC 8445 §5.1.2.1: priority = 2^24·type pref + 2^8·local pref + (256 − component ID). */
export function candidatePriority(type: CandidateType, localPreference: number, component: number): number {
  if (!Number.isInteger(localPreference) || localPreference < 0 || localPreference > 0xffff) throw new RangeError('local preference is 0..65535');
  if (!Number.isInteger(component) || component < 1 || component > 256) throw new RangeError('component is 1..256');
  return TYPE_PREFERENCE[type] * 2 ** 24 + localPreference * 2 ** 8 + (256 - component);
}

/**
 * RFC 8445 §6.1.2.3: 2^32·MIN(G,D) + 2·MAX(G,D) + (G>D ? 1 : 0), G the controlling agent's
 * candidate priority, D the controlled agent's. It needs 63 bits, hence bigint.
 */
export function pairPriority(controllingPriority: number, controlledPriority: number): bigint {
  const g = BigInt(controllingPriority);
  const d = BigInt(controlledPriority);
  const min = g < d ? g : d;
  const max = g < d ? d : g;
  return (min << 32n) + 2n * max + (g > d ? 1n : 0n);
}

/**
 * RFC 8445 §5.1.1.3: candidates share a foundation when they have the same type, base IP address,
 * STUN/TURN server IP address and transport. A 32-bit FNV-1a of those, as decimal ice-chars.
 */
export function computeFoundation(type: CandidateType, baseAddress: string, serverAddress: string | undefined, transport = 'udp'): string {
  const text = `${type}|${baseAddress}|${serverAddress ?? ''}|${transport.toLowerCase()}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(h);
}

/** IPv4 / IPv6 of an address literal, undefined for an FQDN or anything else. */
export function addressFamily(address: string): TransportAddress['family'] | undefined {
  return normalizeAddress(address)?.family;
}

/** The canonical text of an IP literal (RFC 5952 for IPv6), so addresses compare as strings. */
export function normalizeAddress(address: string): { family: TransportAddress['family']; address: string } | undefined {
  for (const family of ['IPv4', 'IPv6'] as const) {
    try {
      const decoded = decodeMappedAddress(encodeMappedAddress({ family, address, port: 0 }));
      if (decoded) return { family, address: decoded.address };
    } catch {
      // not this family
    }
  }
  return undefined;
}

/**
 * A datagram's source as the agent keys it: IPv4-mapped IPv6 (a dual-stack socket's "::ffff:a.b.c.d")
 * as IPv4, IPv6 in RFC 5952 form; undefined for anything that is not an IP literal and a port.
 */
export function normalizeTransportAddress(a: TransportAddress): TransportAddress | undefined {
  const mapped = /^::ffff:([0-9.]+)$/i.exec(a.address);
  const ip = normalizeAddress(mapped ? mapped[1] : a.address);
  if (!ip || !Number.isInteger(a.port) || a.port < 0 || a.port > 0xffff) return undefined;
  return { family: ip.family, address: ip.address, port: a.port };
}

/** "address:port" key of a transport address, IPv6 normalized. */
export function addressKey(address: string, port: number): string {
  return `${normalizeAddress(address)?.address ?? address.toLowerCase()}|${port}`;
}

export type CandidateParseError =
  | 'too-long'
  | 'bad-prefix'
  | 'too-few-fields'
  | 'bad-foundation'
  | 'bad-component'
  | 'bad-transport'
  | 'bad-priority'
  | 'bad-address'
  | 'bad-port'
  | 'bad-type'
  | 'bad-related-address'
  | 'bad-extension'
  | 'too-many-extensions';

export type CandidateParseResult = { ok: true; candidate: Candidate } | { ok: false; error: CandidateParseError };

/** Bounds on hostile text: real candidate lines are under 200 characters. */
export const MAX_CANDIDATE_LENGTH = 1024;
export const MAX_CANDIDATE_EXTENSIONS = 16;

const ICE_CHARS = /^[A-Za-z0-9+/]{1,32}$/;
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;
const VCHARS = /^[\x21-\x7e]+$/;
/** RFC 8839 §5.1 connection-address: IP4/IP6 literal or FQDN (RFC 8866 §9). */
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/;
const TYPES: readonly CandidateType[] = ['host', 'srflx', 'prflx', 'relay'];

function decimal(s: string, maxDigits: number, max: number): number | undefined {
  if (s.length === 0 || s.length > maxDigits || !/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= max ? n : undefined;
}

function connectionAddress(s: string): string | undefined {
  const ip = normalizeAddress(s);
  if (ip) return ip.address;
  return s.length <= 253 && HOSTNAME.test(s) && !/^[0-9.]+$/.test(s) ? s : undefined;
}

/**
 * RFC 8839 §5.1 candidate-attribute. Takes the attribute value (after "a=candidate:"); a leading
 * "candidate:" (as in trickled candidates, RFC 8840) is accepted too.
 */
export function parseCandidate(text: string): CandidateParseResult {
  if (text.length > MAX_CANDIDATE_LENGTH) return { ok: false, error: 'too-long' };
  const body = text.startsWith('candidate:') ? text.slice('candidate:'.length) : text;
  const f = body.split(' ');
  if (f.some((x) => x.length === 0)) return { ok: false, error: 'too-few-fields' };
  if (f.length < 8) return { ok: false, error: 'too-few-fields' };
  const fail = (error: CandidateParseError): CandidateParseResult => ({ ok: false, error });
  if (!ICE_CHARS.test(f[0])) return fail('bad-foundation');
  const component = decimal(f[1], 3, 256);
  if (component === undefined || component < 1) return fail('bad-component');
  if (!TOKEN.test(f[2])) return fail('bad-transport');
  const priority = decimal(f[3], 10, 0xffffffff);
  if (priority === undefined || priority < 1) return fail('bad-priority');
  const address = connectionAddress(f[4]);
  if (address === undefined) return fail('bad-address');
  const port = decimal(f[5], 5, 65535);
  if (port === undefined) return fail('bad-port');
  if (f[6] !== 'typ' || !(TYPES as readonly string[]).includes(f[7])) return fail('bad-type');
  let candidate: Candidate = {
    foundation: f[0],
    component,
    transport: f[2].toLowerCase(),
    priority,
    address,
    port,
    type: f[7] as CandidateType,
  };
  let i = 8;
  if (f[i] === 'raddr') {
    const related = f[i + 1] === undefined ? undefined : connectionAddress(f[i + 1]);
    if (related === undefined) return fail('bad-related-address');
    candidate = { ...candidate, relatedAddress: related };
    i += 2;
  }
  if (f[i] === 'rport') {
    const relatedPort = f[i + 1] === undefined ? undefined : decimal(f[i + 1], 5, 65535);
    if (relatedPort === undefined) return fail('bad-related-address');
    candidate = { ...candidate, relatedPort };
    i += 2;
  }
  const extensions: CandidateExtension[] = [];
  for (; i < f.length; i += 2) {
    if (extensions.length >= MAX_CANDIDATE_EXTENSIONS) return fail('too-many-extensions');
    const name = f[i];
    const value = f[i + 1];
    if (value === undefined || !TOKEN.test(name) || !VCHARS.test(value)) return fail('bad-extension');
    if (name === 'raddr' || name === 'rport') return fail('bad-related-address');
    extensions.push({ name, value });
  }
  if (extensions.length > 0) candidate = { ...candidate, extensions };
  return { ok: true, candidate };
}

/** The attribute value for "a=candidate:<value>" (RFC 8839 §5.1); the transport is written "UDP". */
export function formatCandidate(c: Candidate): string {
  const transport = c.transport === 'udp' ? 'UDP' : c.transport;
  let s = `${c.foundation} ${c.component} ${transport} ${c.priority} ${c.address} ${c.port} typ ${c.type}`;
  if (c.relatedAddress !== undefined) s += ` raddr ${c.relatedAddress}`;
  if (c.relatedPort !== undefined) s += ` rport ${c.relatedPort}`;
  for (const e of c.extensions ?? []) s += ` ${e.name} ${e.value}`;
  return s;
}

export interface NewCandidate {
  readonly type: CandidateType;
  readonly address: TransportAddress;
  readonly component?: number;
  /** 0..65535; RFC 8445 §5.1.2.1: 65535 when there is one address, else rank the interfaces. */
  readonly localPreference?: number;
  /** The base's address (host: itself) — for the foundation and the SDP raddr/rport. */
  readonly base?: TransportAddress;
  /** The STUN or TURN server that produced a srflx/relay candidate (foundation, §5.1.1.3). */
  readonly serverAddress?: string;
}

/** A local candidate with priority and foundation computed the RFC's way. */
export function makeCandidate(n: NewCandidate): Candidate {
  const component = n.component ?? 1;
  const base = n.base ?? n.address;
  const c: Candidate = {
    foundation: computeFoundation(n.type, base.address, n.serverAddress),
    component,
    transport: 'udp',
    priority: candidatePriority(n.type, n.localPreference ?? 65535, component),
    address: normalizeAddress(n.address.address)?.address ?? n.address.address,
    port: n.address.port,
    type: n.type,
  };
  // RFC 8839 §5.1: raddr/rport for srflx, prflx and relay candidates.
  return n.type === 'host' ? c : { ...c, relatedAddress: base.address, relatedPort: base.port };
}

/**
 * A peer-reflexive candidate learned from a check (RFC 8445 §7.2.5.3.1, §7.3.1.3): its priority is
 * the PRIORITY of the check; `base` (for a local one) gives raddr/rport.
 */
export function peerReflexive(address: TransportAddress, component: number, priority: number, base?: Candidate): Candidate {
  const c: Candidate = {
    foundation: computeFoundation('prflx', base?.address ?? address.address, undefined),
    component,
    transport: 'udp',
    priority,
    address: address.address,
    port: address.port,
    type: 'prflx',
  };
  return base ? { ...c, relatedAddress: base.address, relatedPort: base.port } : c;
}
