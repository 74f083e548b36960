// TURN ChannelData messages (RFC 8656 §12.4), as they arrive over UDP and over TCP (padded, §12.5).
import type { FuzzTarget } from '../engine';
import { looksLikeChannelData, parseChannelData } from '../../../src/main/net/turn/channel-data';

export const target: FuzzTarget = {
  name: 'turn-channel-data',
  sources: ['src/main/net/turn/channel-data.ts'],
  dictionary: ['\x40\x00', '\x7f\xff', '\x4f\xfe', '\x00\x00', '\x00\x04', '\xff\xff'],
  maxLength: 1500,
  run(input) {
    if (looksLikeChannelData(input)) parseChannelData(input);
    parseChannelData(input);
  },
};
