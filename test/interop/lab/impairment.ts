// A bad network between the lab LAN's two hosts (l1, l2), for "Calls that sound right on bad
// networks": the 'lan' namespace (their bridge and gateway) plays the home router. This kernel has
// no `tc netem` ("qdisc kind is unknown"), so:
//  - random loss is nftables' `numgen random` in the router namespace's input hook, on the media
//    the relay receives (SIP on the proxy port and DNS are spared, as the bench measures media);
//  - delay, jitter, reordering and a bottleneck come from a userspace UDP relay in the same
//    namespace (impair-router.ts), which the SIP proxy there splices into each call's SDP.
// Callers dial `path.uri(user)`; the proxy forwards to the callee's SIP port on l2.
import { fileURLToPath } from 'node:url';
import { ADDR } from './lab';
import type { Lab, LabProcess } from './lab';
import type { RelayCounters } from '../udp-relay';
import type { RouterConfig } from './impair-router';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/** A network condition of issue 24's table; one JSON line per condition in bench/call-quality. */
export interface NetworkCondition {
  name: string;
  /** Random loss in percent, both ways (nftables). */
  lossPct: number;
  /** Each datagram delayed by a uniform 0..jitterMs (the relay; this reorders, too). */
  jitterMs: number;
  /** A bottleneck in kbit/s, per direction (0: none). */
  rateKbps: number;
  /** Whether the condition is about video (the bottleneck) rather than audio. */
  video?: boolean;
}

export const NETWORK_CONDITIONS: readonly NetworkCondition[] = [
  { name: 'loss0', lossPct: 0, jitterMs: 0, rateKbps: 0 },
  { name: 'loss2', lossPct: 2, jitterMs: 0, rateKbps: 0 },
  { name: 'loss5', lossPct: 5, jitterMs: 0, rateKbps: 0 },
  { name: 'loss10', lossPct: 10, jitterMs: 0, rateKbps: 0 },
  { name: 'jitter30', lossPct: 0, jitterMs: 30, rateKbps: 0 },
  { name: 'loss5jitter30', lossPct: 5, jitterMs: 30, rateKbps: 0 },
  { name: 'bottleneck500', lossPct: 0, jitterMs: 0, rateKbps: 500, video: true },
];

/** The proxy's SIP port on the LAN gateway. */
export const IMPAIR_SIP_PORT = 5080;

export interface ImpairedPath {
  /** The SIP URI that reaches `user` on l2 through the impairing router. */
  uri(user: string): string;
  /** The relay's latest counters (forwarded, reordered, queue drops…). */
  relay(): RelayCounters;
  /** Datagrams nftables dropped so far. */
  nftDropped(): number;
  stop(): Promise<void>;
}

const TABLE = 'vouch_impair';

/**
 * Loss in the 'lan' namespace's input hook: only what reaches the router's own address. 'random':
 * each datagram with the condition's probability (the bench); 'periodic': every (100 / loss)th
 * RTP packet of each direction, so a short test call is sure to lose some both ways.
 *
 * Periodic counts RTP only (version 2, RFC 3550 §5.1; not RTCP, whose packet types 192..223 sit
 * where RTP's marker and payload type are, RFC 5761 §4): counting every datagram let the drops
 * fall on ZRTP, RTCP or packets before the receiver's sequence base, and a call could lose
 * nothing the receiver counts (soak flake at fd8dfcc). It drops packet period/2, then each
 * period-th: not the first, which the receiver never knows of (A.1 starts at what it sees), so
 * any window of more than `period` packets the receiver counts has a loss inside it (A.3). The
 * loss conditions carry audio only, so this RTP is the audio stream's.
 */
const RTP_NOT_RTCP = '@th,64,2 2 @th,72,8 != 192-223';
const periodOf = (lossPct: number): number => Math.round(100 / lossPct);

function nftLossRules(lossPct: number, pattern: 'random' | 'periodic'): string {
  const media = `meta l4proto udp udp dport != { 53, ${IMPAIR_SIP_PORT} }`;
  const rules =
    pattern === 'random'
      ? // numgen random mod 100 gives 0..99: "< 5" drops 5 % (measured here: 29 % asked → 29 %).
        [`    ${media} numgen random mod 100 < ${lossPct} counter drop`]
      : lossPct > 0
        ? // One counter per direction (each numgen expression counts on its own, and only what
          // the expressions before it let through). @th,64 is the UDP payload's first byte.
          [ADDR.l1, ADDR.l2].map((from) => `    ip saddr ${from} ${media} ${RTP_NOT_RTCP} numgen inc mod ${periodOf(lossPct)} == ${Math.floor(periodOf(lossPct) / 2)} counter drop`)
        : [];
  return [`table inet ${TABLE} {`, '  chain input {', '    type filter hook input priority filter; policy accept;', ...rules, '  }', '}', ''].join('\n');
}

/**
 * Starts the router side of `condition` and resolves once it listens. The callee listens on
 * l2 at `calleePort`; one path at a time per lab (the nft table and port are fixed).
 */
export async function startImpairedPath(lab: Lab, condition: NetworkCondition, calleePort: number, seed = 24, lossPattern: 'random' | 'periodic' = 'random'): Promise<ImpairedPath> {
  lab.exec('lan', 'nft', ['-f', '-'], `add table inet ${TABLE}\ndelete table inet ${TABLE}\n` + nftLossRules(condition.lossPct, lossPattern));
  const config: RouterConfig = {
    host: ADDR.lanGateway,
    port: IMPAIR_SIP_PORT,
    calleeHost: ADDR.l2,
    calleePort,
    seed,
    impairment: { jitterMs: condition.jitterMs, rateKbps: condition.rateKbps },
  };
  let latest: RelayCounters | undefined;
  let ready: () => void = () => undefined;
  const started = new Promise<void>((r) => (ready = r));
  const router: LabProcess = lab.spawn('lan', process.execPath, ['--import', 'tsx', 'test/interop/lab/impair-router.ts', JSON.stringify(config)], {
    cwd: REPO,
    onLine: (line) => {
      if (!line.startsWith('{')) return;
      const l = JSON.parse(line) as { event: string; relay?: RelayCounters };
      if (l.event === 'ready') ready();
      if (l.relay) latest = l.relay;
    },
  });
  const failed = router.exited.then((code) => {
    throw new Error(`impair-router exited (${code}): ${router.output().slice(-1000)}`);
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`impair-router not ready: ${router.output()}`)), 20_000).unref());
  await Promise.race([started, failed, timeout]);
  failed.catch(() => undefined);
  return {
    uri: (user) => `sip:${user}@${ADDR.lanGateway}:${IMPAIR_SIP_PORT}`,
    relay: () => latest ?? { received: 0, forwarded: 0, lost: 0, duplicated: 0, reordered: 0, outage: 0, queueDrops: 0 },
    nftDropped: () => [...lab.exec('lan', 'nft', ['list', 'table', 'inet', TABLE]).matchAll(/counter packets (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0),
    stop: async () => {
      await router.stop();
      lab.exec('lan', 'nft', ['delete', 'table', 'inet', TABLE]);
    },
  };
}
