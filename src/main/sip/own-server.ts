// Who may ask for the account's password. A digest response (RFC 3261 §22.4) is derived from the
// password: anyone who gets one can try passwords offline against it. So Vouch answers a 401/407
// only on requests it sent to the account's own server (the registrar or outbound proxy: its
// configured host, an address that host resolved to, or a server RFC 3263 found for its URI; its
// port when the account names one),
// and only for the account's realm: the configured one, else the one the registrar used when
// registration succeeded. A callee reached directly, or one behind the proxy that relays its
// own 401 with another realm, gets nothing.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { SipParseError } from './errors';
import type { TransportAddress } from './transport';
import { bareHost, parseUri } from './uri';
import { OWN_SERVER_REFUSAL } from '../../shared/end-words';

/** Why a challenge went unanswered: the sentence the app and the CLI show as it is. */
export const NOT_OWN_SERVER = OWN_SERVER_REFUSAL;

interface Server {
  host: string;
  /** Explicit port of the configured URI; without one, any port of that host (DNS SRV may pick it). */
  port: number | undefined;
  addresses: Set<string>;
}

/** Printable, bounded: a realm comes from the peer and ends up in a message shown to the user. */
function shown(realm: string): string {
  return realm.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}

export class OwnServer {
  private readonly servers: Server[] = [];
  private readonly uris = new Set<string>();
  /** host|port of the servers DNS found (RFC 3263), each once. */
  private readonly targets = new Set<string>();
  private learnedRealm: string | undefined;

  constructor(
    uris: readonly (string | undefined)[],
    private readonly configuredRealm?: string,
  ) {
    for (const text of uris) {
      if (!text) continue;
      this.uris.add(text);
      const uri = parseUri(text);
      if (uri instanceof SipParseError || uri.scheme === 'tel') continue;
      const host = bareHost(uri.params.get('maddr') ?? uri.host).toLowerCase();
      this.servers.push({ host, port: uri.port, addresses: new Set([host]) });
    }
  }

  /** The realm challenges must carry, once known. */
  get realm(): string | undefined {
    return this.configuredRealm || this.learnedRealm;
  }

  /** Adds the addresses each server name resolves to; gives up on a name after `timeoutMs`. */
  async resolve(timeoutMs: number): Promise<void> {
    await Promise.all(
      this.servers
        .filter((s) => isIP(s.host) === 0)
        .map(async (s) => {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const found = await Promise.race([
            lookup(s.host, { all: true }).catch(() => []),
            new Promise<[]>((r) => (timer = setTimeout(() => r([]), timeoutMs))),
          ]);
          clearTimeout(timer);
          for (const a of found) s.addresses.add(a.address.toLowerCase());
        }),
    );
  }

  /** RFC 3263 found `targets` for `uri` (NAPTR/SRV may name other hosts and ports): if `uri` is the registrar's or the proxy's, they are the own server too. */
  addTargets(uri: string, targets: readonly TransportAddress[]): void {
    if (!this.uris.has(uri)) return;
    for (const t of targets) {
      const host = bareHost(t.host).toLowerCase();
      if (this.targets.has(`${host}|${t.port}`)) continue;
      this.targets.add(`${host}|${t.port}`);
      this.servers.push({ host, port: t.port, addresses: new Set([host]) });
    }
  }

  /** Registration succeeded with this realm: from now on challenges must carry it. */
  learn(realm: string): void {
    if (!this.configuredRealm) this.learnedRealm = realm;
  }

  /** Why a challenge from `dest` for `realm` must not be answered; undefined when it may be. */
  refusal(dest: TransportAddress, realm: string): string | undefined {
    const host = bareHost(dest.host).toLowerCase();
    const own = this.servers.some((s) => s.addresses.has(host) && (s.port === undefined || s.port === dest.port));
    if (!own) return NOT_OWN_SERVER;
    const expected = this.realm;
    if (expected === undefined) {
      // Before registration names the realm (a call placed first, a proxy-only account, a
      // registrar that is down), the first realm answered is the one: a callee behind the proxy
      // cannot then draw answers for realms of its choosing.
      if (!this.configuredRealm) this.learnedRealm = realm;
      return undefined;
    }
    if (realm !== expected) {
      return `A password request for realm "${shown(realm)}" came through your server; Vouch only answers for "${shown(expected)}"`;
    }
    return undefined;
  }
}
