// Ports for peers that must be told a port before they start (baresip's sip_listen and rtp_ports,
// linphonec's sip_port and RTP ports, sipp -p, Kamailio, coturn, dnsmasq, a gst udpsrc). Where our
// own process binds, it binds port 0 and reads the port back instead; this module is only for
// ports another process binds later.
//
// "Bind port 0, read it, close, hand it over" is a race: between the close and the peer's bind the
// kernel may hand the same port to any other socket (a worker's RTP socket, another test file's
// peer), and the peer fails with "Address already in use" (seen with baresip under load). So:
// - Peer ports come from below the kernel's ephemeral range (ip_local_port_range), where port-0
//   binds never land.
// - That space is cut into slots; each process claims one slot for its lifetime by holding a TCP
//   listener on the slot's first port. The kernel frees it when the process dies, so no stale
//   lock survives a crash, and two processes (two vitest workers, Playwright, a bench, another
//   `npm test` on the same machine) never hand out the same port.
// - Inside its slot a process hands ports out round-robin and checks each is free for both UDP and
//   TCP on 127.0.0.1 right then (a peer from the slot's previous owner may still hold one).
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';

const HOST = '127.0.0.1';
/** Ports per slot: the marker (first) port plus 499 for peers; a test file needs a few dozen. */
export const SLOT_SIZE = 500;
/** Nothing below this: well-known and registered services crowd the low range. */
const POOL_FLOOR = 10000;

/** Inclusive port range. */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

export class PortsUnavailable extends Error {
  override readonly name = 'PortsUnavailable';
}

/** Linux's ephemeral range (where port-0 binds land); the kernel default where /proc is absent. */
export function ephemeralRange(): PortRange {
  try {
    const [first, last] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(first) && Number.isInteger(last)) return { first: first!, last: last! };
  } catch {
    // not Linux: fall through to the default
  }
  return { first: 32768, last: 60999 };
}

/** The larger gap outside the ephemeral range, from POOL_FLOOR up: the ports slots are cut from. */
export function peerPool(ephemeral: PortRange = ephemeralRange()): PortRange {
  const below = { first: POOL_FLOOR, last: ephemeral.first - 1 };
  const above = { first: Math.max(POOL_FLOOR, ephemeral.last + 1), last: 65535 };
  const size = (r: PortRange): number => r.last - r.first + 1;
  const pool = size(below) >= size(above) ? below : above;
  if (size(pool) < 2 * SLOT_SIZE) throw new PortsUnavailable(`no room outside the ephemeral range ${ephemeral.first}-${ephemeral.last}`);
  return pool;
}

async function bindsUdp(port: number): Promise<boolean> {
  const s = createSocket('udp4');
  const ok = await new Promise<boolean>((resolve) => {
    s.once('error', () => resolve(false));
    s.bind(port, HOST, () => resolve(true));
  });
  await new Promise<void>((r) => (ok ? s.close(() => r()) : r()));
  return ok;
}

function listenTcp(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    // exclusive: in a cluster worker too, the port is this process's own.
    server.listen({ port, host: HOST, exclusive: true }, () => resolve(server));
  });
}

/** True when nothing holds `port` on 127.0.0.1 for UDP or TCP (checked by binding both, then closing). */
export async function isFree(port: number): Promise<boolean> {
  if (!(await bindsUdp(port))) return false;
  const tcp = await listenTcp(port);
  if (!tcp) return false;
  await new Promise<void>((r) => tcp.close(() => r()));
  return true;
}

export interface PortAllocator {
  readonly range: PortRange;
  /**
   * The first of `count` consecutive ports, starting at a multiple of `align` (2 for an RTP/RTCP
   * pair), each free for UDP and TCP when checked. Ports already handed out are not handed out
   * again until the allocator has gone round the whole range.
   */
  next(count?: number, align?: number): Promise<number>;
}

/** Hands out ports of `range` round-robin from `start`; every candidate block is checked free. */
export function createPortAllocator(range: PortRange, start = range.first): PortAllocator {
  const size = range.last - range.first + 1;
  let cursor = start - range.first;
  return {
    range,
    async next(count = 1, align = 1) {
      // Bounded: one pass over the range, skipping blocks something else holds (a peer of the
      // slot's previous owner that is still exiting, an unrelated service). This retries the
      // choice of port before any peer starts, never a peer start or a test.
      for (let tries = 0; tries <= size; tries++) {
        let first = range.first + (cursor % size);
        first += (align - (first % align)) % align;
        if (first + count - 1 > range.last) {
          cursor = 0; // wrap round
          continue;
        }
        // Claim the block before awaiting, so concurrent calls never get the same ports.
        cursor = first - range.first + count;
        let free = true;
        for (let p = first; p < first + count && free; p++) free = await isFree(p);
        if (free) return first;
      }
      throw new PortsUnavailable(`no ${count} consecutive free ports (aligned to ${align}) in ${range.first}-${range.last}`);
    },
  };
}

/**
 * Claims a slot of `pool` for this process by listening on its first port; the listener is
 * unref'd (it does not keep the process alive) and released by the kernel when the process exits.
 */
export async function claimSlot(pool: PortRange = peerPool()): Promise<{ range: PortRange; release(): Promise<void> }> {
  const slots = Math.floor((pool.last - pool.first + 1) / SLOT_SIZE);
  // Start where this worker's id points, so parallel workers rarely contend for the same slot.
  const hint = Number(process.env.VITEST_POOL_ID ?? process.env.TEST_PARALLEL_INDEX ?? process.pid);
  for (let i = 0; i < slots; i++) {
    const slot = (hint + i) % slots;
    const marker = pool.first + slot * SLOT_SIZE;
    const server = await listenTcp(marker);
    if (!server) continue;
    server.unref();
    return {
      range: { first: marker + 1, last: marker + SLOT_SIZE - 1 },
      release: () => new Promise<void>((r) => server.close(() => r())),
    };
  }
  throw new PortsUnavailable(`all ${slots} port slots of ${pool.first}-${pool.last} are held by other processes`);
}

let processAllocator: Promise<PortAllocator> | undefined;

function allocator(): Promise<PortAllocator> {
  processAllocator ??= claimSlot().then(({ range }) =>
    // A random start, so the next owner of this slot does not begin with the ports the last one used.
    createPortAllocator(range, range.first + Math.floor(Math.random() * (range.last - range.first + 1))),
  );
  return processAllocator;
}

/** This process's slot: the ports peerPort() and peerPorts() hand out. */
export async function processPortRange(): Promise<PortRange> {
  return (await allocator()).range;
}

/** A port for a peer to bind on 127.0.0.1 (UDP or TCP), free now and handed to no one else. */
export async function peerPort(): Promise<number> {
  return (await allocator()).next();
}

/** The first of `count` consecutive peer ports starting at a multiple of `align` (RTP pairs: align 2). */
export async function peerPorts(count: number, align = 1): Promise<number> {
  return (await allocator()).next(count, align);
}

/**
 * Whether some socket is bound to `port` (on 127.0.0.1 or any address), read from Linux's
 * /proc/net tables: looking never binds, so it cannot take the port from a peer that is starting.
 * For TCP only listeners count.
 */
export function isBound(port: number, protocol: 'udp' | 'tcp'): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const LISTEN = '0A'; // TCP_LISTEN in include/net/tcp_states.h
  for (const table of [protocol, `${protocol}6`]) {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${table}`, 'utf8');
    } catch {
      continue; // no IPv6 table
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local?.endsWith(`:${hexPort}`)) continue;
      if (protocol === 'udp' || state === LISTEN) return true;
    }
  }
  return false;
}

/** Resolves once a peer has bound `port` (polling /proc/net every 10 ms); rejects after `timeoutMs`. */
export async function untilBound(port: number, protocol: 'udp' | 'tcp', timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isBound(port, protocol)) {
    if (Date.now() > deadline) throw new Error(`nothing bound ${protocol} port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Bytes waiting in the receive queue of the UDP socket bound to `port` (/proc/net/udp rx_queue), undefined when none is bound. */
export function udpReceiveQueue(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['udp', 'udp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , , queues] = line.trim().split(/\s+/);
      if (local?.endsWith(`:${hexPort}`) && queues) return parseInt(queues.split(':')[1] ?? '0', 16);
    }
  }
  return undefined;
}

/** Resolves once the peer bound to UDP `port` has read every datagram queued for it; rejects after `timeoutMs`. */
export async function untilUdpDrained(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((udpReceiveQueue(port) ?? 0) > 0) {
    if (Date.now() > deadline) throw new Error(`UDP port ${port} still has ${udpReceiveQueue(port)} bytes unread after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
