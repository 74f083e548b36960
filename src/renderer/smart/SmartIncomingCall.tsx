// Rings for an incoming call and answers or rejects it; answering creates the audio context
// inside the click and makes the call the active one.
import { useState } from 'react';
import ringtoneUrl from '../../../assets/ringtone.wav';
import { runCommand } from '../api/session';
import { IncomingCall } from '../components/IncomingCall';
import { primeAudio } from '../media/audio-engine';
import { useActiveCall, useIncomingCall, useVerifiedPeers, useVouchStore } from '../state/store';

export function SmartIncomingCall() {
  const call = useIncomingCall();
  const active = useActiveCall();
  const verifiedPeers = useVerifiedPeers();
  const activate = useVouchStore((s) => s.activate);
  const [busy, setBusy] = useState(false);
  if (!call) return null;
  const who = call.remoteName || call.remoteUri;

  const answer = async () => {
    try {
      primeAudio();
    } catch {
      // No audio output here: answer anyway; the media error shows in the call.
    }
    setBusy(true);
    if (active && !active.held) await runCommand('call', 'hold the current call', 'hold', { callId: active.callId, on: true });
    const ok = await runCommand('call', `answer ${who}`, 'answer', { callId: call.callId });
    if (ok !== undefined) activate(call.callId);
    setBusy(false);
  };
  const reject = async () => {
    setBusy(true);
    await runCommand('call', `reject ${who}`, 'reject', { callId: call.callId });
    setBusy(false);
  };

  return (
    <IncomingCall
      call={call}
      verified={verifiedPeers.includes(call.remoteUri)}
      inAnotherCall={active !== null}
      ringtoneUrl={ringtoneUrl}
      busy={busy}
      onAnswer={() => void answer()}
      onReject={() => void reject()}
    />
  );
}
