// RFC 3261 §25.1 host, shared by the SIP parser (main) and the Settings form (renderer), so the
// form lets through exactly what the SIP stack will take.

/** §25.1 hostname = *( domainlabel "." ) toplabel [ "." ]; a toplabel starts with a letter. */
const HOSTNAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?$/;
/** §25.1 IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT. */
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * §25.1 host = hostname / IPv4address / IPv6reference. "1e9.0.0.1", "127.", "12" and
 * "127.0.4294967296.1" are none of them; an IPv4 byte above 255 names no address either.
 */
export function isHost(host: string): boolean {
  if (host.startsWith('[')) return /^\[[0-9A-Fa-f:.]+\]$/.test(host) && host.includes(':');
  if (IPV4.test(host)) return host.split('.').every((b) => Number(b) <= 255);
  return HOSTNAME.test(host);
}
