// The fixture the linphonec call tests share: one linphonec and one auto-answering Vouch for a
// whole file, and the clean-up after each test so the next one starts with no call up.
import { startLinphone, type Linphone, type LinphoneOptions } from '../zrtp/linphone';
import type { VouchPeer, VouchPeers } from '../vouch-peer';
import { lastLinphoneCallId } from './helpers';
import { peerPort, peerPorts } from '../ports';

export interface LinphoneSession {
  linphone: Linphone;
  linphoneUri: string;
  vouch: VouchPeer;
}

/** linphonec on free loopback ports, and a Vouch that auto-answers so it can take linphonec's calls. */
export async function startLinphoneSession(peers: VouchPeers, binary: string, options: Pick<LinphoneOptions, 'video' | 'playFile'>): Promise<LinphoneSession> {
  const sipPort = await peerPort();
  const linphone = await startLinphone({ binary, sipPort, rtpPort: await peerPorts(2, 2), videoRtpPort: await peerPorts(2, 2), ...options });
  const vouch = await peers.start({ autoAnswer: true });
  return { linphone, linphoneUri: `sip:linphone@127.0.0.1:${sipPort}`, vouch };
}

/** Hangs up whatever Vouch still has up (a failed test must not leave a call behind). */
export async function hangUpAll(vouch: VouchPeer): Promise<void> {
  for (const c of vouch.core.snapshot().calls) if (c.state !== 'ended') await vouch.core.invoke('hangup', { callId: c.callId }).catch(() => undefined);
}

/**
 * Ends every call on both sides and returns linphonec's last call number: a failed test may have
 * left a call unplaced, and linphonec numbers its calls 1, 2, ... for its whole life.
 */
export async function endSessionCalls(s: LinphoneSession): Promise<number> {
  await hangUpAll(s.vouch);
  s.linphone.command('terminate all');
  await untilNoLinphoneCall(s.linphone);
  return lastLinphoneCallId(s.linphone.output());
}

/** Asks linphonec for its calls (`calls`) until it has none ("No active call"), at most `timeoutMs`. */
async function untilNoLinphoneCall(linphone: Linphone, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const from = linphone.output().length;
    linphone.command('calls');
    const answered = Date.now() + 1000;
    while (!/No active calls?\b|^\s*Call states/im.test(linphone.output().slice(from)) && Date.now() < answered) await new Promise((r) => setTimeout(r, 20));
    if (/No active calls?\b/i.test(linphone.output().slice(from))) return;
    if (Date.now() > deadline) throw new Error(`linphonec still has calls ${timeoutMs} ms after terminate all:\n${linphone.output().slice(from)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
