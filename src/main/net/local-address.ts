// Which of our addresses a peer can reach: the source address the kernel would pick to send to
// it. A UDP socket connected to the peer (no packet leaves: connect only asks the routing table)
// reports that address; a multi-homed machine thus advertises, per destination, the interface
// the route goes out of (RFC 3261 §18.1.1 leaves the choice to the UA; Linphone does the same).
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** How long a looked-up address is trusted before the next lookup refreshes it. */
export const LOCAL_ADDRESS_TTL_MS = 10_000;
/** Bounded: a flood of requests from new sources must not grow the cache without limit. */
const MAX_ENTRIES = 256;
/** Lookups in flight at most (each holds a socket for a moment); beyond that, answer from the fallback. */
const MAX_PENDING = 32;

/** "::ffff:192.0.2.1" (an IPv4 peer on a dual-stack socket) → "192.0.2.1". */
export function unmapped(host: string): string {
  return host.length > 7 && host.startsWith('::ffff:') && isIP(host.slice(7)) === 4 ? host.slice(7) : host;
}

/** The wildcard address of a family: every interface. */
export function anyAddress(family: 4 | 6): string {
  return family === 6 ? '::' : '0.0.0.0';
}

export function isLoopback(host: string): boolean {
  const h = unmapped(host);
  return h === '::1' || /^127\./.test(h);
}

export function isWildcard(host: string | undefined): boolean {
  return host === undefined || host === '' || host === '0.0.0.0' || host === '::';
}

/** Asks the routing table which local address reaches `host` (an IP address or a name). */
export function routeSource(host: string): Promise<string | undefined> {
  const peer = unmapped(host.replace(/^\[|\]$/g, ''));
  const socket = createSocket(isIP(peer) === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    const done = (address: string | undefined): void => {
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(address);
    };
    socket.once('error', () => done(undefined));
    try {
      // Port 9 (discard): any port works, nothing is sent.
      socket.connect(9, peer, () => {
        try {
          const local = unmapped(socket.address().address);
          // A destination without a route (a link-local address without its zone) reports "::".
          done(isWildcard(local) ? undefined : local);
        } catch {
          done(undefined);
        }
      });
    } catch {
      done(undefined);
    }
  });
}

/** Addresses of this machine's non-internal interfaces (what the UI offers as "your address"). */
export function externalAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      // Link-local IPv6 needs a zone to be dialled: no use to a peer typing an address.
      if (!a.internal && !(a.family === 'IPv6' && /^fe80:/i.test(a.address))) out.push(a.address);
    }
  }
  return out;
}

interface Entry {
  address: string;
  at: number;
}

/**
 * Per-destination local addresses with a short cache. `get` answers at once from the cache (a
 * stale entry starts a refresh); `prime` looks up and waits, for the paths that can wait (before
 * an offer is built, before an incoming request from a new source is handled).
 */
export class LocalAddressBook {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    /** A pinned address (--host): advertised to everyone, no lookups. */
    private readonly pinned?: string,
    private readonly now: () => number = Date.now,
    private readonly lookup: (host: string) => Promise<string | undefined> = routeSource,
  ) {}

  /** The address to advertise to `peer`; synchronous, from the cache or a fallback. */
  get(peer: string | undefined): string {
    if (this.pinned && !isWildcard(this.pinned)) return this.pinned;
    const key = keyOf(peer);
    const e = key ? this.entries.get(key) : undefined;
    if (e && this.now() - e.at > LOCAL_ADDRESS_TTL_MS) void this.prime(key);
    return e?.address ?? fallbackFor(key);
  }

  /** Looks the address up (once per destination at a time) and caches it. */
  prime(peer: string | undefined): Promise<string> {
    if (this.pinned && !isWildcard(this.pinned)) return Promise.resolve(this.pinned);
    const key = keyOf(peer);
    if (!key) return Promise.resolve(fallbackFor(key));
    const e = this.entries.get(key);
    if (e && this.now() - e.at <= LOCAL_ADDRESS_TTL_MS) return Promise.resolve(e.address);
    const running = this.pending.get(key);
    if (running) return running;
    const p = this.lookup(key).then((found) => {
      this.pending.delete(key);
      // Never 0.0.0.0 or loopback towards a peer that is not loopback itself.
      const address = found && !isWildcard(found) && (!isLoopback(found) || isLoopback(key)) ? found : fallbackFor(key);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { address, at: this.now() });
      return address;
    });
    this.pending.set(key, p);
    return p;
  }

  /** Too many lookups in flight (a burst from new sources): callers should not wait for another. */
  get busy(): boolean {
    return this.pending.size >= MAX_PENDING;
  }

  /** True when `peer`'s address is cached and fresh (no wait needed). */
  has(peer: string | undefined): boolean {
    if (this.pinned && !isWildcard(this.pinned)) return true;
    const key = keyOf(peer);
    const e = key ? this.entries.get(key) : undefined;
    return !!e && this.now() - e.at <= LOCAL_ADDRESS_TTL_MS;
  }
}

function keyOf(peer: string | undefined): string {
  return peer ? unmapped(peer.replace(/^\[|\]$/g, '').toLowerCase()) : '';
}

/** No route known: loopback for a loopback peer, else the first external address of its family. */
function fallbackFor(peer: string): string {
  const v6 = isIP(peer) === 6;
  if (peer && isLoopback(peer)) return v6 ? '::1' : '127.0.0.1';
  const ext = externalAddresses().find((a) => (isIP(a) === 6) === v6);
  return ext ?? (v6 ? '::1' : '127.0.0.1');
}
