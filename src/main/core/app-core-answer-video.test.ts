// "Answer with video": a caller that offers audio and video gets its video stream accepted by
// a plain answer, and declined with port 0 (RFC 3264 §6) by an audio-only one (video: false).
// The caller is a bare SIP UAC on 127.0.0.1 that records what AppCore answers.
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallId } from '../../shared/api';
import { parseMessage } from '../sip';
import type { SipResponse } from '../sip';
import { parseSdp } from '../sdp';
import { AppCore } from './app-core';
import { boundUdp, incomingInvite, loopbackCore, type Cleanup } from './test-support';

const cleanup: Cleanup = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const bound = (): Promise<Socket> => boundUdp(cleanup);

/** A UAC that offers PCMU audio and VP8 video; returns AppCore's 200 OK to its INVITE. */
async function offerAudioAndVideo(core: AppCore, callIdHeader: string, answer: (callId: CallId) => Promise<unknown>): Promise<SipResponse> {
  const sipPort = core.snapshot().listening!.udp!;
  const [uac, audio, video] = [await bound(), await bound(), await bound()];
  const me = `127.0.0.1:${uac.address().port}`;
  const sdp = [
    'v=0',
    'o=carol 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${audio.address().port} RTP/AVP 0`,
    'a=rtpmap:0 PCMU/8000',
    'a=sendrecv',
    `m=video ${video.address().port} RTP/AVP 96`,
    'a=rtpmap:96 VP8/90000',
    'a=sendrecv',
    '',
  ].join('\r\n');
  const invite = incomingInvite(sipPort, me, callIdHeader, ['Content-Type: application/sdp'], sdp);
  const ok = new Promise<SipResponse>((resolve) => {
    uac.on('message', (data, from) => {
      const p = parseMessage(data);
      if (!p.ok) return;
      const m = p.message;
      if (m.type === 'response' && m.status === 200) resolve(m);
      // The BYE at the end of the test: say yes, so nothing is retransmitted.
      if (m.type === 'request' && m.method === 'BYE') {
        const via = m.headers.getAll('via').join(', ');
        const reply = ['SIP/2.0 200 OK', `Via: ${via}`, `From: ${m.headers.get('from')}`, `To: ${m.headers.get('to')}`, `Call-ID: ${m.headers.get('call-id')}`, `CSeq: ${m.headers.get('cseq')}`, 'Content-Length: 0', '', ''].join('\r\n');
        uac.send(reply, from.port, from.address);
      }
    });
  });
  const incoming = new Promise<CallId>((resolve) => core.onEvent((e) => void (e.type === 'callState' && e.call.state === 'incoming' && resolve(e.call.callId))));
  uac.send(invite, sipPort, '127.0.0.1');
  await answer(await incoming);
  return ok;
}

function videoPort(response: SipResponse): number | undefined {
  const sdp = parseSdp(response.body);
  if (!sdp.ok) throw new Error('answer SDP does not parse');
  return sdp.value.media.find((m) => m.media === 'video')?.port;
}

describe('answering an offer with video', () => {
  const core = (): Promise<AppCore> => loopbackCore(cleanup, 'vouch-answer-video-');

  it('a plain answer (with video) accepts the offered video stream', async () => {
    const c = await core();
    const ok = await offerAudioAndVideo(c, 'answer-with-video', (callId) => c.invoke('answer', { callId }));
    expect(videoPort(ok)).toBeGreaterThan(0);
  });

  it('video: false answers audio only: the video m-line is declined with port 0, audio runs', async () => {
    const c = await core();
    const ok = await offerAudioAndVideo(c, 'answer-audio-only', (callId) => c.invoke('answer', { callId, video: false }));
    expect(videoPort(ok)).toBe(0);
    const sdp = parseSdp(ok.body);
    expect(sdp.ok && sdp.value.media.find((m) => m.media === 'audio')!.port).toBeGreaterThan(0);
    const call = c.snapshot().calls[0];
    expect(call.state).toBe('connected');
    expect(call.video).toEqual({ local: 'off', remote: 'off', declinedByPeer: false });
  });
});
