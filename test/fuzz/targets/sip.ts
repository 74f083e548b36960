// SIP message parser (RFC 3261 §7, §25): bytes in, a message or a typed SipParseError out.
import type { FuzzTarget } from '../engine';
import { parseMessage } from '../../../src/main/sip/parser';

export const target: FuzzTarget = {
  name: 'sip',
  sources: ['src/main/sip/parser.ts', 'src/main/sip/headers.ts', 'src/main/sip/uri.ts', 'src/main/sip/params.ts', 'src/main/sip/via.ts', 'src/main/sip/address.ts', 'src/main/sip/message.ts'],
  dictionary: [
    '\r\n', '\r\n\r\n', ' ', ':', ';', ',', '<', '>', '"', '\\', '@', '=', '?', '&', '%00', '%', '\t', '\r\n ',
    'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'UPDATE', 'REFER', 'SIP/2.0', 'SIP/2.0/UDP', 'SIP/2.0/TCP',
    'sip:', 'sips:', 'tel:', 'sip:alice@127.0.0.1:5060', '127.0.0.1', '[::1]', ';branch=z9hG4bK', ';tag=', ';rport', ';received=127.0.0.1',
    ';maddr=127.0.0.1', ';transport=tcp', ';lr', ';expires=', 'Via: ', 'v: ', 'From: ', 'f: ', 'To: ', 't: ', 'Call-ID: ', 'i: ', 'CSeq: ',
    'Max-Forwards: ', 'Contact: ', 'm: ', 'Content-Length: ', 'l: ', 'Content-Type: application/sdp', 'c: ', 'Require: ', 'Route: ',
    'Record-Route: ', 'Authorization: Digest ', 'WWW-Authenticate: ', 'Expires: ', '*', 'SIP/2.0 200 OK', 'SIP/2.0 180 Ringing',
  ],
  maxLength: 4096,
  run(input) {
    parseMessage(input);
  },
};
