// ZRTP packets and messages (RFC 6189 §5): the packet framing with its CRC-32C (§5.1.1), then
// every message type's decoder. The input is a message; it is also framed with a valid CRC, as
// mutated messages would otherwise almost never pass the CRC check.
import type { FuzzTarget } from '../engine';
import { decodeMessage } from '../../../src/crypto/zrtp/messages';
import { encodePacket, parsePacket } from '../../../src/crypto/zrtp/packet';

export const target: FuzzTarget = {
  name: 'zrtp',
  sources: ['src/crypto/zrtp/messages/', 'src/crypto/zrtp/packet.ts'],
  dictionary: [
    'PZ', 'Hello   ', 'HelloACK', 'Commit  ', 'DHPart1 ', 'DHPart2 ', 'Confirm1', 'Confirm2', 'Conf2ACK', 'Error   ', 'ErrorACK',
    'GoClear ', 'ClearACK', 'SASrelay', 'RelayACK', 'Ping    ', 'PingACK ', '1.10', 'S256', 'S384', 'AES1', 'AES3', '2FS1', '2FS3',
    'HS32', 'HS80', 'DH3k', 'DH2k', 'EC25', 'EC38', 'X255', 'Mult', 'Prsh', 'B32 ', 'B256', '\x00\x00\x00\x00', '\xff\xff\xff\xff',
  ],
  maxLength: 3000,
  run(input) {
    decodeMessage(input);
    const framed = parsePacket(encodePacket(1, 0x01020304, input));
    if (framed.ok) decodeMessage(framed.packet.message);
    parsePacket(input);
  },
};
