// VP8 payload descriptor and frame reassembly (RFC 7741 §4.2, §4.5). The input is a run of RTP
// payloads, each `[length byte][payload]`; they get consecutive sequence numbers, one timestamp
// per frame (a new one after a marker), the marker on the last of the run or where the first
// payload byte has 0x40 set (a reserved bit, so the descriptor parse still sees it).
import type { FuzzTarget } from '../engine';
import { createRtpHeader } from '../../../src/main/media/rtp/header';
import { Vp8Depacketizer } from '../../../src/main/media/payload/vp8-depacketizer';

const header = createRtpHeader();

export const target: FuzzTarget = {
  name: 'vp8',
  sources: ['src/main/media/payload/vp8-depacketizer.ts', 'src/main/media/payload/vp8-descriptor.ts'],
  dictionary: ['\x10', '\x90\x80', '\x90\xe0\x80\x01', '\x80\x80\xff\xff', '\x08', '\x00', '\x9d\x01\x2a', '\x10\x00\x9d\x01\x2a'],
  maxLength: 2048,
  run(input) {
    const depacketizer = new Vp8Depacketizer(256);
    let at = 0;
    let seq = 0xfffe; // wraps within the run
    let timestamp = 1000;
    while (at < input.length) {
      const length = input[at];
      const start = at + 1;
      const end = Math.min(input.length, start + length);
      at = end;
      // A length byte of 0 stands for a lost packet: the next one skips a sequence number.
      if (length === 0) {
        seq = (seq + 1) & 0xffff;
        continue;
      }
      header.sequenceNumber = seq;
      header.timestamp = timestamp;
      header.marker = at >= input.length || (input[start] & 0x40) !== 0;
      header.payloadStart = start;
      header.payloadEnd = end;
      depacketizer.push(input, header);
      if (header.marker) timestamp += 3000;
      seq = (seq + 1) & 0xffff;
    }
  },
};
