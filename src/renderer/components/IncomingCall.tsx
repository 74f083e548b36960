// An incoming call: who calls, Answer / Reject, and the ringtone. While another call is up the
// choice is named for what it does (answering holds the current call).
import type { CallInfo } from '../../shared/api';

export interface IncomingCallProps {
  call: CallInfo;
  verified: boolean;
  /** Another call is up. */
  inAnotherCall: boolean;
  ringtoneUrl: string;
  busy: boolean;
  onAnswer(): void;
  onReject(): void;
}

export function IncomingCall({ call, verified, inAnotherCall, ringtoneUrl, busy, onAnswer, onReject }: IncomingCallProps) {
  const who = call.remoteName || call.remoteUri;
  return (
    <section className="incoming" role="alertdialog" aria-labelledby="incoming-title" aria-describedby="incoming-from">
      <h3 id="incoming-title">Incoming call</h3>
      <p id="incoming-from" className="caller">
        <span className="caller-name">{who}</span>
        {call.remoteName ? <span className="muted"> {call.remoteUri}</span> : null}
        {verified ? <span className="badge verified">Verified</span> : null}
      </p>
      {inAnotherCall ? <p className="muted">Answering puts your current call on hold.</p> : null}
      <div className="actions">
        <button type="button" className="primary answer" disabled={busy} onClick={onAnswer} aria-label={`Answer call from ${who}`}>
          Answer
        </button>
        <button type="button" className="danger" disabled={busy} onClick={onReject} aria-label={`Reject call from ${who}`}>
          Reject
        </button>
      </div>
      {ringtoneUrl ? <audio className="ringtone" src={ringtoneUrl} autoPlay loop aria-hidden="true" /> : null}
    </section>
  );
}
