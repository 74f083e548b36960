// RTP fixed header, CSRCs, extension and padding (RFC 3550 §5.1, §5.3.1).
import type { FuzzTarget } from '../engine';
import { createRtpHeader, parseRtpHeader } from '../../../src/main/media/rtp/header';

const header = createRtpHeader();

export const target: FuzzTarget = {
  name: 'rtp',
  sources: ['src/main/media/rtp/'],
  dictionary: ['\x80', '\x90', '\xa0', '\xbf', '\xbe\xde', '\x10\x00', '\x00\x00', '\xff\xff'],
  maxLength: 1500,
  run(input) {
    parseRtpHeader(input, 0, input.length, header);
    // An offset window, as the receive path parses after a TURN ChannelData header.
    if (input.length > 4) parseRtpHeader(input, 4, input.length, header);
  },
};
