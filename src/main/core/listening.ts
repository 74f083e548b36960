// How peers reach us: the sip: addresses to tell someone ("Your address: sip:alice@192.168.1.23:5062"),
// the ports SIP listens on, and where a call's media binds.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ListeningInfo } from '../../shared/api';
import { anyAddress, externalAddresses, isWildcard } from '../net/local-address';
import type { SipUa } from '../sip';
import { uriHost } from '../sip/uri';

/** Addresses of the non-internal interfaces, or the pinned host (loopback only when pinned). */
export function listeningInfo(ua: SipUa, user: string, pinned: string | undefined, tlsProblem?: string): ListeningInfo {
  const ports = ua.listening;
  const hosts = pinned && !isWildcard(pinned) ? [pinned] : externalAddresses().filter((a) => isIP(a) === 4 || ports.bound === '::');
  const port = ports.udp ?? ports.tcp;
  return {
    addresses: hosts.map((h) => `sip:${user}@${uriHost(h)}${port ? `:${port}` : ''}`),
    udp: ports.udp,
    tcp: ports.tcp,
    tls: ports.tls,
    notes: ports.notes.map((n) => (tlsProblem && n.startsWith('no TLS listener') ? `no TLS listener (${tlsProblem})` : n)),
  };
}

/** Media binds the pinned host, else every interface of the family the call's address is in. */
export function mediaBindFor(pinned: string | undefined, advertise: string): string {
  if (pinned && !isWildcard(pinned)) return pinned;
  return anyAddress(isIP(advertise) === 6 ? 6 : 4);
}

/**
 * Our TLS certificate and key (PEM files); nothing when either is not configured. A file that
 * cannot be read costs the TLS listener only, never SIP: `problem` says why for the UI.
 */
export function readTlsIdentity(certFile: string | undefined, keyFile: string | undefined): { cert?: string; key?: string; problem?: string } {
  if (!certFile || !keyFile) return {};
  try {
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } catch (e) {
    return { problem: `cannot read the certificate or key: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}
