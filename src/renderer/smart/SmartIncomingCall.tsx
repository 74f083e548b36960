// Rings for an incoming call (the notification while the window is in the background is
// SmartCallNotices') and answers it (audio, or with video) or rejects it; answering creates the audio context
// inside the click and makes the call the active one.
import { useMemo, useState } from 'react';
import ringtoneUrl from '../../../assets/ringtone.wav';
import { runCommand } from '../api/session';
import { IncomingCall } from '../components/IncomingCall';
import { primeAudio } from '../media/audio-engine';
import { ringOn } from '../media/speaker-route';
import { useActiveCall, useContacts, useIncomingCall, useSettings, useVerifiedPeers, useVouchStore } from '../state/store';
import { contactFor } from '../state/history-groups';

export function SmartIncomingCall() {
  const call = useIncomingCall();
  const active = useActiveCall();
  const verifiedPeers = useVerifiedPeers();
  const activate = useVouchStore((s) => s.activate);
  const contacts = useContacts();
  const [busy, setBusy] = useState(false);
  // The ringtone rings on the speaker chosen in Settings, like the call will.
  const speakerId = useSettings()?.devices.speakerId ?? '';
  const ringtoneRef = useMemo(() => ringOn(speakerId), [speakerId]);
  const contact = call ? contactFor(call.remoteUri, contacts) : undefined;
  const who = contact?.name || call?.remoteName || call?.remoteUri || '';
  if (!call) return null;

  const answer = async (video: boolean) => {
    try {
      primeAudio();
    } catch {
      // No audio output here: answer anyway; the media error shows in the call.
    }
    setBusy(true);
    if (active && !active.held) await runCommand('call', 'hold the current call', 'hold', { callId: active.callId, on: true });
    const ok = await runCommand('call', `answer ${who}`, 'answer', { callId: call.callId, video });
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
      {...(contact ? { contact: { name: contact.name, security: contact.security } } : {})}
      inAnotherCall={active !== null}
      ringtoneUrl={ringtoneUrl}
      ringtoneRef={ringtoneRef}
      busy={busy}
      onAnswer={() => void answer(false)}
      onAnswerVideo={() => void answer(true)}
      onReject={() => void reject()}
    />
  );
}
