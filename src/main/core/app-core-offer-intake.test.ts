// Bodies and offers an incoming INVITE is refused for before anything rings (issue 20): a body
// that is not SDP (415 with Accept), an encoded one (415 with Accept-Encoding), a caller that
// does not accept SDP (406), a DTLS-SRTP offer (488 with Warning 302, RFC 3261 §20.43); and a
// multipart/mixed body with an SDP part (RFC 5621) that rings. A bare UAC on 127.0.0.1 over UDP.
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api';
import { parseMessage } from '../sip';
import type { SipResponse } from '../sip';
import { AppCore } from './app-core';
import { boundUdp, incomingInvite, loopbackCore, type Cleanup } from './test-support';

const cleanup: Cleanup = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const bound = (): Promise<Socket> => boundUdp(cleanup);

const core = (events: ApiEvent[]): Promise<AppCore> => loopbackCore(cleanup, 'vouch-offer-intake-', (e) => events.push(e));

function sdp(port: number, proto = 'RTP/AVP', extra: string[] = []): string {
  return ['v=0', 'o=carol 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} ${proto} 0`, 'a=rtpmap:0 PCMU/8000', ...extra, 'a=sendrecv', ''].join('\r\n');
}

/** Sends an INVITE with `headers` and `body`; resolves with every response up to the first final one. */
async function invite(c: AppCore, tag: string, headers: string[], body: string): Promise<SipResponse[]> {
  const sipPort = c.snapshot().listening!.udp!;
  const uac = await bound();
  const me = `127.0.0.1:${uac.address().port}`;
  const seen: SipResponse[] = [];
  const done = new Promise<SipResponse[]>((resolve) => {
    uac.on('message', (data) => {
      const p = parseMessage(data);
      if (!p.ok || p.message.type !== 'response') return;
      seen.push(p.message);
      if (p.message.status >= 180) resolve(seen);
    });
  });
  uac.send(incomingInvite(sipPort, me, tag, headers, body), sipPort, '127.0.0.1');
  return done;
}

describe('what an incoming INVITE may carry', () => {
  it('a text/plain body: 415 with Accept naming application/sdp, no ringing, an error event', async () => {
    const events: ApiEvent[] = [];
    const c = await core(events);
    const got = await invite(c, 'plain-text', ['Content-Type: text/plain'], 'hello');
    const final = got.at(-1)!;
    expect(final.status).toBe(415);
    expect(final.headers.get('accept')).toContain('application/sdp');
    expect(got.some((r) => r.status === 180)).toBe(false);
    expect(events.some((e) => e.type === 'error' && e.message.includes('text/plain'))).toBe(true);
    expect(c.snapshot().calls).toHaveLength(0);
  });

  it('a gzip-encoded body: 415 with Accept-Encoding: identity', async () => {
    const c = await core([]);
    const final = (await invite(c, 'gzip', ['Content-Type: application/sdp', 'Content-Encoding: gzip'], sdp(40000))).at(-1)!;
    expect(final.status).toBe(415);
    expect(final.headers.get('accept-encoding')).toBe('identity');
  });

  it('an Accept without application/sdp: 406', async () => {
    const c = await core([]);
    const final = (await invite(c, 'accept-html', ['Content-Type: application/sdp', 'Accept: text/html, application/sdp;q=0'], sdp(40002))).at(-1)!;
    expect(final.status).toBe(406);
  });

  it('a multipart/mixed body with an SDP part rings (RFC 5621)', async () => {
    const c = await core([]);
    const body = ['--unique-b', 'Content-Type: application/sdp', '', sdp(40004), '--unique-b', 'Content-Type: application/pidf+xml', 'Content-ID: <loc@127.0.0.1>', '', '<presence/>', '--unique-b--', ''].join('\r\n');
    const got = await invite(c, 'multipart', ['Content-Type: multipart/mixed;boundary=unique-b', 'Accept: application/sdp, multipart/mixed'], body);
    expect(got.at(-1)!.status).toBe(180);
    const [call] = c.snapshot().calls;
    expect(call.state).toBe('incoming');
    // Answering waits for the call's media worker: nothing is left starting at close.
    await c.invoke('answer', { callId: call.callId });
  });

  it('an offer with no codec in common: 488 with Warning 305 before any 180', async () => {
    const c = await core([]);
    const offer = sdp(40008).replace('RTP/AVP 0', 'RTP/AVP 18').replace('a=rtpmap:0 PCMU/8000', 'a=rtpmap:18 G729/8000');
    const got = await invite(c, 'g729', ['Content-Type: application/sdp'], offer);
    expect(got.some((r) => r.status === 180)).toBe(false);
    expect(got.at(-1)!.status).toBe(488);
    expect(got.at(-1)!.headers.get('warning')).toBe('305 127.0.0.1 "Incompatible media format"');
  });

  it('a DTLS-SRTP offer: 488 with Warning 302 "Incompatible transport protocol" before any 180, and an event naming it', async () => {
    const events: ApiEvent[] = [];
    const c = await core(events);
    const offer = sdp(40006, 'UDP/TLS/RTP/SAVPF', ['a=fingerprint:sha-256 AB:CD', 'a=setup:actpass']);
    const got = await invite(c, 'dtls', ['Content-Type: application/sdp'], offer);
    const final = got.at(-1)!;
    expect(got.some((r) => r.status === 180)).toBe(false);
    expect(final.status).toBe(488);
    expect(final.headers.get('warning')).toBe('302 127.0.0.1 "Incompatible transport protocol"');
    const error = events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && error.message).toContain('DTLS-SRTP');
    expect(c.snapshot().calls).toHaveLength(0);
  });
});
