// Literal SDP for signalling interop tests (the SDP module is tested on its own): an offer, and
// an answer that mirrors an offer's m-lines (PCMU for audio, VP8 for video, port 0 otherwise) so
// real peers accept it.
import type { SipBody } from '../../../src/main/sip';

export function literalOffer(video = false, port = 40000): SipBody {
  return {
    contentType: 'application/sdp',
    body:
      `v=0\r\no=vouch 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n` +
      `m=audio ${port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n` +
      (video ? `m=video ${port + 2} RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\na=sendrecv\r\n` : ''),
  };
}

export function literalAnswer(offer: SipBody, port = 40000): SipBody {
  let body = `v=0\r\no=vouch 2 ${Date.now() % 100000} IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n`;
  const sections = offer.body.split(/\r?\n(?=m=)/).slice(1);
  sections.forEach((section, i) => {
    const m = /^m=(\w+) (\d+) ([\w/]+) ([\d ]+)/.exec(section);
    if (!m) return;
    const [, kind, , proto] = m;
    const vp8 = /a=rtpmap:(\d+) VP8\/90000/i.exec(section)?.[1];
    if (kind === 'audio' && / 0( |$)/.test(` ${m[4]}`)) body += `m=audio ${port + 4 * i} ${proto} 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;
    else if (kind === 'video' && vp8) body += `m=video ${port + 4 * i} ${proto} ${vp8}\r\na=rtpmap:${vp8} VP8/90000\r\na=sendrecv\r\n`;
    else body += `m=${kind} 0 ${proto} ${m[4].trim().split(' ')[0]}\r\n`;
  });
  return { contentType: 'application/sdp', body };
}
