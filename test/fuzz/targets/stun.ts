// STUN messages (RFC 8489 §5, §14) and the attribute decoders ICE (RFC 8445 §7.1) and TURN
// (RFC 8656 §18) use on what peers and servers send.
import type { FuzzTarget } from '../engine';
import * as attrs from '../../../src/main/net/stun/attributes';
import { parseMessage } from '../../../src/main/net/stun/message';

export const target: FuzzTarget = {
  name: 'stun',
  sources: ['src/main/net/stun/'],
  dictionary: [
    '\x00\x01', '\x01\x01', '\x01\x11', '\x00\x03', '\x01\x03', '\x00\x09', '\x00\x16', '\x00\x17', '\x21\x12\xa4\x42',
    '\x00\x01\x00\x08', '\x00\x20\x00\x08', '\x00\x06', '\x00\x08\x00\x14', '\x80\x28\x00\x04', '\x00\x09\x00\x04', '\x00\x0a',
    '\x00\x24\x00\x04', '\x80\x29\x00\x08', '\x80\x2a\x00\x08', '\x00\x25\x00\x00', '\x00\x0d\x00\x04', '\x00\x0c\x00\x04',
    '\x00\x19\x00\x04', '\x00\x17\x00\x04', '\x00\x01\x00\x14', '\x00\x02',
  ],
  maxLength: 1500,
  run(input) {
    const r = parseMessage(input);
    if (!r.ok) return;
    const id = r.message.transactionId;
    for (const a of r.message.attributes) {
      attrs.decodeMappedAddress(a.value);
      attrs.decodeXorMappedAddress(a.value, id);
      attrs.decodeErrorCode(a.value);
      attrs.decodeUnknownAttributes(a.value);
      attrs.decodeText(a.value, 763);
      attrs.decodePriority(a.value);
      attrs.decodeTieBreaker(a.value);
      attrs.decodeLifetime(a.value);
      attrs.decodeChannelNumber(a.value);
      attrs.decodeRequestedTransport(a.value);
      attrs.decodeAddressFamily(a.value);
    }
  },
};
