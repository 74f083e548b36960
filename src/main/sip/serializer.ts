// Serializes SIP messages (RFC 3261 §7). Content-Length is always written from the body's byte
// length, so stream receivers can frame the message (§18.3, §20.14).
import { canonicalName } from './headers';
import type { SipMessage } from './message';

export function serializeMessage(msg: SipMessage): Buffer {
  let out = msg.type === 'request' ? `${msg.method} ${msg.uri} SIP/2.0\r\n` : `SIP/2.0 ${msg.status} ${msg.reason}\r\n`;
  for (const h of msg.headers.list) {
    if (h.key === 'content-length') continue;
    out += `${canonicalName(h.key)}: ${h.value}\r\n`;
  }
  out += `Content-Length: ${Buffer.byteLength(msg.body, 'utf8')}\r\n\r\n${msg.body}`;
  return Buffer.from(out, 'utf8');
}
