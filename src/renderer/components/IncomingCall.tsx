// An incoming call, window-level: who calls (the contact's name when they are one), whether you
// verified them before (or, in red, that their key changed since), Answer (audio) / Answer with
// video / Reject, and the ringtone. While another call is up the choice is named for what it
// does (answering holds the current call).
import type { CallInfo, ContactSecurity } from '../../shared/api';
import { ContactSecurityBadge } from './ContactSecurityBadge';

export interface IncomingCallProps {
  call: CallInfo;
  verified: boolean;
  /** The caller's contact: its name and security, when the address is in the address book. */
  contact?: { name: string; security: ContactSecurity };
  /** Another call is up. */
  inAnotherCall: boolean;
  ringtoneUrl: string;
  /** Starts the ringtone on the chosen speaker once its <audio> is mounted (the media layer sets the output first). */
  ringtoneRef?: (el: HTMLAudioElement | null) => void;
  busy: boolean;
  onAnswer(): void;
  onAnswerVideo(): void;
  onReject(): void;
}

function trustLine(verified: boolean, contact: IncomingCallProps['contact']): string {
  if (contact?.security.level === 'key-changed') return 'Their key changed since you verified it: compare the code again.';
  if (verified || contact?.security.level === 'verified') return 'You verified this caller before.';
  if (contact?.security.level === 'never-called') return 'First call with this contact: compare the code once you are connected.';
  return 'Not verified yet: compare the code once you are connected.';
}

export function IncomingCall({ call, verified, contact, inAnotherCall, ringtoneUrl, ringtoneRef, busy, onAnswer, onAnswerVideo, onReject }: IncomingCallProps) {
  const who = contact?.name || call.remoteName || call.remoteUri;
  const keyChanged = contact?.security.level === 'key-changed';
  return (
    <section className="incoming ringing-screen" role="alertdialog" aria-modal="true" aria-labelledby="incoming-title" aria-describedby="incoming-from incoming-trust">
      <h3 id="incoming-title">Incoming call</h3>
      <p id="incoming-from" className="caller">
        <span className="caller-name">{who}</span>
        {who !== call.remoteUri ? <span className="muted"> {call.remoteUri}</span> : null}
        {contact ? <ContactSecurityBadge security={contact.security} /> : verified ? <span className="badge verified">Verified</span> : null}
      </p>
      <p id="incoming-trust" className={keyChanged ? 'danger-text' : 'muted'}>
        {trustLine(verified, contact)}
      </p>
      {inAnotherCall ? <p className="muted">Answering puts your current call on hold.</p> : null}
      <div className="actions">
        <button type="button" className="primary answer" disabled={busy} onClick={onAnswer} aria-label={`Answer call from ${who}`} autoFocus>
          Answer
        </button>
        <button type="button" className="answer-video" disabled={busy} onClick={onAnswerVideo} aria-label={`Answer with video call from ${who}`}>
          Answer with video
        </button>
        <button type="button" className="danger" disabled={busy} onClick={onReject} aria-label={`Reject call from ${who}`}>
          Reject
        </button>
      </div>
      {ringtoneUrl ? <audio className="ringtone" src={ringtoneUrl} loop aria-hidden="true" ref={ringtoneRef} /> : null}
    </section>
  );
}
