// RTCP compound packets (RFC 3550 §6.4, §6.5, §6.6, A.2; RFC 4585 §6 feedback; RFC 5104 FIR).
import type { FuzzTarget } from '../engine';
import { RtcpCompoundParser } from '../../../src/main/media/rtcp/compound';
import type { RtcpHandler } from '../../../src/main/media/rtcp/compound';

const parser = new RtcpCompoundParser();
let seen = 0;
// Handlers read what they are given, as the reporter does, so lazy fields get touched.
const handler: RtcpHandler = {
  onReport: (r) => (seen += r.reportCount),
  onSdes: (s) => (seen += s.chunkCount),
  onBye: (b) => (seen += b.sourceCount),
  onNack: (f) => (seen += f.mediaSsrc),
  onPli: (f) => (seen += f.senderSsrc),
  onFir: (f) => (seen += f.mediaSsrc),
  onOther: (v) => (seen += v.packetType),
};

export const target: FuzzTarget = {
  name: 'rtcp',
  sources: ['src/main/media/rtcp/'],
  dictionary: ['\x80\xc8', '\x81\xc9', '\x81\xca', '\x81\xcb', '\x81\xcd', '\x84\xce', '\x81\xce', '\x80\xcc', '\x80\xcf', '\x00\x06', '\x01', '\x00\x00\x00\x00'],
  maxLength: 1500,
  run(input) {
    parser.parse(input, 0, input.length, handler);
    if (seen > 2 ** 40) seen = 0;
  },
};
