// The next hop of a request inside a dialog (a route or the remote target, §12.2.1.1): the
// transport parameter or sips: choose the transport, the port defaults to 5060/5061, a name is
// left to the OS. Out-of-dialog requests are located by RFC 3263 instead (resolve.ts, routing.ts).
import { SipParseError } from './errors';
import type { TransportAddress, TransportProtocol } from './transport';
import { bareHost, parseUri } from './uri';

export function destinationFor(uriText: string, fallback: TransportProtocol = 'UDP'): TransportAddress | undefined {
  const uri = parseUri(uriText);
  if (uri instanceof SipParseError || uri.scheme === 'tel') return undefined;
  const tp = uri.params.get('transport')?.toLowerCase();
  let protocol: TransportProtocol = fallback;
  if (uri.scheme === 'sips' || tp === 'tls') protocol = 'TLS';
  else if (tp === 'tcp') protocol = 'TCP';
  else if (tp === 'udp') protocol = 'UDP';
  const maddr = uri.params.get('maddr');
  return { protocol, host: bareHost(maddr ?? uri.host), port: uri.port ?? (protocol === 'TLS' ? 5061 : 5060) };
}
