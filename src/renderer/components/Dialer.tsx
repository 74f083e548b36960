// The main screen: address field with history, Call button, registration status, recent calls
// (missed calls marked).
import type { FormEvent } from 'react';
import type { HistoryEntry, ListeningInfo, RegistrationInfo } from '../../shared/api';
import { formatWhen, isoWhen, type TimeFormat } from '../state/contact-words';
import { registrationWords } from '../state/registration-words';
import { describeListening, formatDuration } from '../state/words';

export interface DialerProps {
  address: string;
  registration: RegistrationInfo;
  /** Where SIP listens ("Your address: …"); null until it does. */
  listening?: ListeningInfo | null;
  history: HistoryEntry[];
  verifiedPeers: readonly string[];
  /** A command is in flight: the Call button waits. */
  busy: boolean;
  onAddressChange(address: string): void;
  onCall(): void;
  onPick(uri: string): void;
  /** Locale and time zone (the user's by default; tests and screenshots pin them). */
  timeFormat?: TimeFormat;
}

export const RECENT_LIMIT = 10;

/** Distinct addresses from history, newest first, for the address field's suggestions. */
export function addressSuggestions(history: HistoryEntry[], limit = 20): string[] {
  const seen: string[] = [];
  for (const h of history) if (!seen.includes(h.remoteUri)) seen.push(h.remoteUri);
  return seen.slice(0, limit);
}

export function Dialer({ address, registration, listening, history, verifiedPeers, busy, onAddressChange, onCall, onPick, timeFormat = {} }: DialerProps) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onCall();
  };
  const recent = history.slice(0, RECENT_LIMIT);
  const signIn = registrationWords(registration);
  return (
    <div className="dialer">
      <p className="registration" role="status" aria-label="Registration status" data-state={registration.state}>
        {signIn.text}
      </p>
      {signIn.detail ? (
        <details className="registration-details">
          <summary>Details</summary>
          {signIn.detail}
        </details>
      ) : null}
      {listening ? (
        <p className="your-address" role="status" aria-label="How to reach you">
          {describeListening(listening)}
        </p>
      ) : null}
      <form className="dial-form" noValidate onSubmit={submit} aria-label="Place a call">
        <label htmlFor="dial-address">Address</label>
        <input
          id="dial-address"
          type="text"
          list="dial-history"
          placeholder="sip:bob@example.org"
          value={address}
          autoComplete="off"
          onChange={(e) => onAddressChange(e.target.value)}
        />
        <datalist id="dial-history">
          {addressSuggestions(history).map((uri) => (
            <option key={uri} value={uri} />
          ))}
        </datalist>
        <button type="submit" className="primary call-button" disabled={busy || address.trim() === ''}>
          Call
        </button>
      </form>
      <div className="recent">
        <h3 id="recent-title">Recent calls</h3>
        {recent.length === 0 ? (
          <p className="muted">No calls yet.</p>
        ) : (
          <ul>
            {recent.map((h) => {
              const who = h.remoteName || h.remoteUri;
              const kind = h.missed ? 'Missed call' : h.direction === 'incoming' ? 'Incoming' : 'Outgoing';
              return (
                <li key={h.id} data-missed={h.missed}>
                  <button type="button" className="link" aria-label={`Call ${who} again`} onClick={() => onPick(h.remoteUri)}>
                    {who}
                  </button>
                  <span className={h.missed ? 'missed' : 'muted'}>{kind}</span>
                  {verifiedPeers.includes(h.remoteUri) ? <span className="badge verified">Verified</span> : null}
                  {h.video ? <span className="muted">video</span> : null}
                  <span className="muted">
                    <time dateTime={isoWhen(h.startedAt)} title={isoWhen(h.startedAt)}>
                      {formatWhen(h.startedAt, timeFormat)}
                    </time>
                    {h.missed ? '' : `, ${formatDuration(h.durationSeconds)}`}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}
