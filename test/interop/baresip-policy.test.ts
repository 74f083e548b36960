// "Encryption is required by default" (ARCHITECTURE.md "Security state only goes up") against
// baresip, which has no ZRTP: with the default 'zrtp-required' every call with it is refused, with a
// reason, in both directions and in both of its SDES modes; no SDES offer ever leaves Vouch.
import { afterEach, describe, expect, it } from 'vitest';
import { ZRTP_HELLO_TIMEOUT_MS } from '../../src/main/call/call-security';
import { findPeer } from './peers';
import { callWhere, securityWhere } from './vouch-events';
import { sdesCallPair } from './media-peers/sdes-call-pair';

const baresipBin = findPeer('baresip', 'baresip-core');

describe.skipIf(!baresipBin)('baresip under the default zrtp-required policy', () => {
  const pair = sdesCallPair({ bin: baresipBin!, mediaSecurity: 'zrtp-required', baresipHz: 600 });
  afterEach(() => pair.close());
  const start = pair.start;

  it('Vouch calling baresip (srtp-mand) ends with security-refused (SIP 488); no SDES offer is sent', async () => {
    const [p, v] = await start(false, 'srtp-mand');
    const { callId } = await v.core.invoke('call', { uri: p.baresip.uri });
    const ended = await v.until(callWhere((c) => c.callId === callId && c.state === 'ended'));
    expect(ended).toMatchObject({ endReason: 'security-refused', sipStatus: 488 });
    expect(p.baresip.output.match(/no common audio codecs - rejected/g)).toHaveLength(1);
    expect(p.baresip.output).not.toMatch(/SRTP is Enabled/);
  }, 20_000);

  it('an SDES offer from baresip (srtp-mand) is refused with 488 and an error event that says why', async () => {
    const [p, v] = await start(true, 'srtp-mand');
    p.baresip.send(`/dial sip:vouch@127.0.0.1:${v.sipPort}`);
    const error = await v.until((e) => (e.type === 'error' && e.scope === 'security' ? e : undefined));
    expect(error.message).toMatch(/refused an incoming call: the audio stream offers only SDES .* requires end-to-end encryption/);
    await p.baresip.waitFor(/488/);
    expect(v.events.some((e) => e.type === 'callState')).toBe(false);
  }, 20_000);

  it('a best-effort baresip (srtp) takes the ZRTP offer as plain RTP; no Hello comes, so Vouch hangs up with security-refused', async () => {
    const [p, v] = await start(false, 'srtp');
    const { callId } = await v.core.invoke('call', { uri: p.baresip.uri });
    const ended = await v.until(callWhere((c) => c.callId === callId && c.state === 'ended'), ZRTP_HELLO_TIMEOUT_MS + 5000);
    expect(ended.endReason).toBe('security-refused');
    const sec = await v.until(securityWhere((s) => s.callId === callId && s.state === 'failed'));
    // Whichever comes first: the engine giving up on its Hello, or the call's Hello timer.
    expect(sec.warnings.map((w) => w.message).join('\n')).toMatch(/no answer to Hello|did not start ZRTP/);
    expect(p.baresip.output).not.toMatch(/SRTP is Enabled/);
    await p.baresip.waitFor(/terminated/);
  }, 20_000);
});
