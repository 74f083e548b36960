// The lab LAN's router side of an impaired call, run inside the 'lan' namespace (the bridge the two
// LAN hosts hang off): a Record-Routing SIP proxy on the gateway address that rewrites each SDP's
// c= and m= lines to a UdpRelay on the same address, which delays, reorders and rate-limits the
// media. Random loss is not done here but by nftables in the same namespace (impairment.ts), as a
// router would drop. Run: node --import tsx impair-router.ts '<json RouterConfig>'.
// Prints JSON lines: {"event":"ready","port":…}, then the relay's counters every 500 ms.
import { HostileProxy } from '../hostile-proxy';
import { UdpRelay } from '../udp-relay';
import type { Impairment } from '../udp-relay';

export interface RouterConfig {
  /** The address the proxy and relay bind (the LAN gateway). */
  host: string;
  /** The SIP port callers dial. */
  port: number;
  /** Where the proxy sends new INVITEs. */
  calleeHost: string;
  calleePort: number;
  seed: number;
  impairment: Partial<Impairment>;
}

/** How long the router may live: a bound on every traffic loop in the lab. */
const MAX_LIFETIME_MS = 10 * 60_000;

const config = JSON.parse(process.argv[2] ?? '{}') as RouterConfig;
const relay = new UdpRelay({ seed: config.seed, impairment: config.impairment });
const proxy = await HostileProxy.start({ host: config.host, calleeHost: config.calleeHost, calleePort: config.calleePort, relay }, config.port);
const print = (o: object): void => void process.stdout.write(JSON.stringify(o) + '\n');
print({ event: 'ready', port: proxy.port });
const report = setInterval(() => print({ event: 'counters', relay: relay.counters, sip: proxy.counters }), 500);

async function stop(): Promise<void> {
  clearInterval(report);
  print({ event: 'counters', relay: relay.counters, sip: proxy.counters });
  await Promise.all([proxy.close(), relay.close()]);
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
setTimeout(() => void stop(), MAX_LIFETIME_MS).unref();
