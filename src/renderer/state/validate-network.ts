// The call timeout and the advanced network settings in the Settings form: their working copy
// (numbers kept as typed, so a wrong one can be shown beside its field), field-by-field checks
// with the rules AppCore applies (src/main/store/settings.ts), and the patch `updateSettings`
// takes. Only changed listening fields go in the patch: AppCore restarts SIP when one is present.
import { isHost } from '../../shared/sip-host';
import type { DeepPartial, PublicSettings, Settings } from '../../shared/api';

export interface NetworkDraft {
  mediaTimeoutSeconds: string;
  sipPort: string;
  sipTlsPort: string;
  sipHost: string;
  tlsCertFile: string;
  tlsKeyFile: string;
  /** account.outboundProxy */
  outboundProxy: string;
  /** Comma- or space-separated. */
  dnsServers: string;
  keepAliveSeconds: string;
}

export type NetworkField = keyof NetworkDraft;
export type NetworkErrors = Partial<Record<NetworkField, string>>;

const MAX_PATH = 4096;
const MAX_DNS = 8;

export function networkDraftOf(s: PublicSettings): NetworkDraft {
  return {
    mediaTimeoutSeconds: String(s.mediaTimeoutSeconds),
    sipPort: String(s.sipPort),
    sipTlsPort: String(s.sipTlsPort ?? 5061),
    sipHost: s.sipHost ?? '',
    tlsCertFile: s.tlsCertFile ?? '',
    tlsKeyFile: s.tlsKeyFile ?? '',
    outboundProxy: s.account.outboundProxy ?? '',
    dnsServers: (s.dnsServers ?? []).join(', '),
    keepAliveSeconds: String(s.keepAliveSeconds ?? 25),
  };
}

/** A whole number from `min` to `max` as typed, or null. */
function wholeIn(text: string, min: number, max: number): number | null {
  const t = text.trim();
  if (!/^\d{1,6}$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

/** Dotted decimal without leading zeros (`010` reads as octal elsewhere), as node's isIP takes it. */
function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** RFC 4291 §2.2 text forms, an embedded IPv4 tail included; no zone index. */
function isIPv6(s: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(s) || !s.includes(':') || s.includes(':::') || s.split('::').length > 2) return false;
  let groups = s.split(':');
  const last = groups[groups.length - 1];
  let width = 0;
  if (last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1);
    width = 2;
  }
  const compressed = s.includes('::');
  const filled = groups.filter((g) => g !== '');
  if (!filled.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  // Empty groups only where '::' stands (and at its ends).
  if (!compressed && groups.some((g) => g === '')) return false;
  return compressed ? filled.length + width <= 7 : filled.length + width === 8;
}

export function isIpAddress(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** `192.0.2.53`, `192.0.2.53:5353`, `2001:db8::53` or `[2001:db8::53]:5353`, as AppCore takes them. */
function isDnsServer(s: string): boolean {
  const m = /^(?:\[([^\]]+)\]|([0-9.]+)|([0-9a-f:]+))(?::(\d{1,5}))?$/i.exec(s);
  if (!m) return false;
  if (m[3] !== undefined && m[4] !== undefined) return false;
  const port = m[4] === undefined ? 53 : Number(m[4]);
  return isIpAddress(m[1] ?? m[2] ?? m[3]) && port > 0 && port <= 65535;
}

export function dnsServersOf(text: string): string[] {
  return text.split(/[\s,]+/).filter((d) => d !== '');
}

/**
 * `host[:port][;transport=udp|tcp|tls]`, optionally written as a sip:/sips: URI: the host as
 * RFC 3261 §25.1 spells it (a name or an [IPv6] reference), other parameters plain tokens.
 */
function isProxy(text: string): boolean {
  const [hostPort, ...params] = text.replace(/^sips?:/i, '').split(';');
  const m = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostPort);
  // The SIP stack's own host rule (RFC 3261 §25.1), so the form takes what the proxy setting will.
  if (!m || !isHost(m[1]) || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) return false;
  return params.every((p) => {
    const [name, value, ...more] = p.split('=');
    if (more.length > 0) return false;
    if (name.toLowerCase() === 'transport') return ['udp', 'tcp', 'tls'].includes((value ?? '').toLowerCase());
    return /^[a-z0-9-]+$/i.test(name) && (value === undefined || /^[a-z0-9\-_.!~*'()[\]/:&+$]+$/i.test(value));
  });
}

export function validateNetwork(d: NetworkDraft): NetworkErrors {
  const errors: NetworkErrors = {};
  if (wholeIn(d.mediaTimeoutSeconds, 1, 3600) === null) errors.mediaTimeoutSeconds = 'Enter a whole number of seconds from 1 to 3600.';
  if (wholeIn(d.sipPort, 0, 65535) === null) errors.sipPort = 'Enter a port from 0 to 65535 (0: any free port).';
  if (wholeIn(d.sipTlsPort, 0, 65535) === null) errors.sipTlsPort = 'Enter a port from 0 to 65535 (0: any free port).';
  const host = d.sipHost.trim();
  if (host !== '' && !isIpAddress(host)) errors.sipHost = 'Enter an IP address of this computer, like 192.168.1.23 or 2001:db8::23, or leave it empty for every interface.';
  const cert = d.tlsCertFile.trim();
  const key = d.tlsKeyFile.trim();
  if (cert.length > MAX_PATH) errors.tlsCertFile = `The file name can be at most ${MAX_PATH} characters.`;
  else if (cert === '' && key !== '') errors.tlsCertFile = 'Give the certificate file too: the key alone opens no TLS listener.';
  if (key.length > MAX_PATH) errors.tlsKeyFile = `The file name can be at most ${MAX_PATH} characters.`;
  else if (key === '' && cert !== '') errors.tlsKeyFile = 'Give the private key file too: the certificate alone opens no TLS listener.';
  const proxy = d.outboundProxy.trim();
  if (proxy.length > 256) errors.outboundProxy = 'The proxy can be at most 256 characters.';
  else if (proxy !== '' && !isProxy(proxy)) errors.outboundProxy = 'Enter the proxy as host[:port][;transport=udp|tcp|tls], like proxy.example.org:5060;transport=tcp.';
  const dns = dnsServersOf(d.dnsServers);
  if (dns.length > MAX_DNS) errors.dnsServers = `List at most ${MAX_DNS} DNS servers.`;
  else {
    const bad = dns.find((s) => !isDnsServer(s));
    if (bad !== undefined) errors.dnsServers = `"${bad.slice(0, 60)}" is not a DNS server address: write 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:5353.`;
  }
  if (wholeIn(d.keepAliveSeconds, 0, 3600) === null) errors.keepAliveSeconds = 'Enter a whole number of seconds from 0 (off) to 3600.';
  return errors;
}

/**
 * The settings the draft changed against `saved` (all of them without it). Call only when
 * validateNetwork found nothing: numbers are parsed as typed.
 */
export function networkPatch(d: NetworkDraft, saved?: NetworkDraft): DeepPartial<Settings> {
  const changed = (f: NetworkField): boolean => !saved || d[f].trim() !== saved[f].trim();
  const patch: DeepPartial<Settings> = {};
  if (changed('mediaTimeoutSeconds')) patch.mediaTimeoutSeconds = Number(d.mediaTimeoutSeconds.trim());
  if (changed('sipPort')) patch.sipPort = Number(d.sipPort.trim());
  if (changed('sipTlsPort')) patch.sipTlsPort = Number(d.sipTlsPort.trim());
  if (changed('sipHost')) patch.sipHost = d.sipHost.trim();
  if (changed('tlsCertFile')) patch.tlsCertFile = d.tlsCertFile.trim();
  if (changed('tlsKeyFile')) patch.tlsKeyFile = d.tlsKeyFile.trim();
  if (changed('outboundProxy')) patch.account = { outboundProxy: d.outboundProxy.trim() };
  if (changed('dnsServers')) patch.dnsServers = dnsServersOf(d.dnsServers);
  if (changed('keepAliveSeconds')) patch.keepAliveSeconds = Number(d.keepAliveSeconds.trim());
  return patch;
}

/** Maps AppCore's field names (`sipPort`, `account.outboundProxy`) onto the form's fields. */
export function networkFieldOf(settingsField: string | undefined): NetworkField | null {
  if (settingsField === 'account.outboundProxy') return 'outboundProxy';
  const fields: NetworkField[] = ['mediaTimeoutSeconds', 'sipPort', 'sipTlsPort', 'sipHost', 'tlsCertFile', 'tlsKeyFile', 'dnsServers', 'keepAliveSeconds'];
  return fields.find((f) => f === settingsField) ?? null;
}

/** Whether an error sits in the folded "Advanced network" section (all but the call timeout). */
export function advancedHasErrors(errors: NetworkErrors): boolean {
  return Object.keys(errors).some((f) => f !== 'mediaTimeoutSeconds');
}
