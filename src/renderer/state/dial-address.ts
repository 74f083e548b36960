// What a person types into the address field, turned into the SIP URI to call: "bob@host" and a
// bare "host[:port]" become sip: URIs (RFC 3261 §19.1.1), a bare IPv6 address bracketed; anything
// with a scheme is kept.
import { dialTarget } from '../../shared/dial-target';

export function toSipUri(typed: string): string {
  return dialTarget(typed);
}
