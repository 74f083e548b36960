// What a person types as an address ("bob@2001:db8::7", "[2001:db8::7]:5062", "192.0.2.7")
// turned into a SIP URI. A bare IPv6 address gets the brackets a URI needs (RFC 3261 §25.1
// IPv6reference; RFC 5118 §4.1); with them a port may follow. Runs anywhere.

/** "2001:db8::7" → "[2001:db8::7]"; anything else (a name, IPv4, bracketed, host:port) unchanged. */
export function bracketIPv6(host: string): string {
  return !host.startsWith('[') && (host.match(/:/g)?.length ?? 0) >= 2 && /^[0-9a-f:.]+$/i.test(host) ? `[${host}]` : host;
}

/**
 * A typed address as a SIP URI: a scheme is kept as typed; otherwise `sip:` is added and a bare
 * host gets `defaultUser` (none: the URI names only the host).
 */
export function dialTarget(typed: string, defaultUser?: string): string {
  const t = typed.trim();
  if (t === '' || /^sips?:/i.test(t)) return t;
  const at = t.lastIndexOf('@');
  const user = at >= 0 ? t.slice(0, at + 1) : defaultUser ? `${defaultUser}@` : '';
  return `sip:${user}${bracketIPv6(t.slice(at + 1))}`;
}
