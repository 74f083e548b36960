// What a person types into the address field, turned into the SIP URI to call: "bob@host" and a
// bare "host[:port]" become sip: URIs (RFC 3261 §19.1.1); anything with a scheme is kept.
export function toSipUri(typed: string): string {
  const t = typed.trim();
  if (t === '') return '';
  if (/^sips?:/i.test(t)) return t;
  return `sip:${t}`;
}
