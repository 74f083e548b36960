// SDP parser (RFC 8866 §5), with the attributes Vouch reads (RFC 8839 ICE, RFC 4568 crypto,
// RFC 6189 §8 zrtp-hash): text in, a description or a typed SdpError out.
import type { FuzzTarget } from '../engine';
import { parseSdp } from '../../../src/main/sdp/parse';

const decoder = new TextDecoder();

export const target: FuzzTarget = {
  name: 'sdp',
  sources: ['src/main/sdp/'],
  dictionary: [
    '\r\n', '\n', ' ', '=', ':', '/', 'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 'c=IN IP6 ::1', 't=0 0',
    'm=audio 4000 RTP/AVP 0 8 101', 'm=video 4002 RTP/SAVP 96', 'm=audio 0 RTP/AVP 0', 'a=rtpmap:96 VP8/90000', 'a=rtpmap:111 opus/48000/2',
    'a=fmtp:101 0-15', 'a=sendrecv', 'a=sendonly', 'a=recvonly', 'a=inactive', 'a=rtcp-mux', 'a=rtcp:4001', 'a=rtcp-fb:96 nack pli',
    'a=zrtp-hash:1.10 ', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:', 'a=ice-ufrag:', 'a=ice-pwd:', 'a=ice-options:trickle',
    'a=candidate:1 1 UDP 2130706431 127.0.0.1 4000 typ host', 'a=end-of-candidates', 'a=mid:0', 'a=group:BUNDLE 0 1', 'b=AS:',
    'RTP/AVPF', 'UDP/TLS/RTP/SAVPF', '|2^31', '|1:4', 'typ relay raddr 127.0.0.1 rport 9',
  ],
  maxLength: 4096,
  run(input) {
    parseSdp(decoder.decode(input));
  },
};
