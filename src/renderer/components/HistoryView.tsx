// Call history grouped by day and contact: missed calls stand out, each line calls back, and a
// caller who is not a contact yet becomes one in one click.
import type { ContactWithSecurity, HistoryEntry } from '../../shared/api';
import { formatWhen, isoWhen, type TimeFormat } from '../state/contact-words';
import { groupHistory } from '../state/history-groups';
import { formatDuration } from '../state/words';
import { ContactSecurityBadge } from './ContactSecurityBadge';

export interface HistoryViewProps {
  history: HistoryEntry[];
  contacts: ContactWithSecurity[];
  onCall(uri: string): void;
  onAddContact(entry: { name: string; address: string }): void;
  onShowContact(id: string): void;
  /** Locale and time zone (the user's by default; tests and screenshots pin them). */
  timeFormat?: TimeFormat;
}

function kindOf(h: HistoryEntry): string {
  if (h.missed) return 'Missed';
  if (h.direction === 'incoming') return h.endReason === 'rejected' ? 'Declined' : 'Incoming';
  // An outgoing call that never connected: say how it went, not a talk time of 00:00.
  if (h.durationSeconds === 0 && h.endReason !== 'remote-hangup' && h.endReason !== 'local-hangup') return h.endReason === 'busy' ? 'Busy' : 'Not answered';
  return 'Outgoing';
}

function talked(h: HistoryEntry): boolean {
  return !h.missed && kindOf(h) !== 'Not answered' && kindOf(h) !== 'Busy' && kindOf(h) !== 'Declined';
}

export function HistoryView({ history, contacts, onCall, onAddContact, onShowContact, timeFormat = {} }: HistoryViewProps) {
  const days = groupHistory(history, contacts, timeFormat);
  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {days.length === 0 ? <p className="muted">No calls yet.</p> : null}
      {days.map((d) => (
        <div key={d.day} className="history-day">
          <h3>
            <time dateTime={d.day}>{formatWhen(d.groups[0].calls[0].startedAt, timeFormat, 'date')}</time>
          </h3>
          <ul>
            {d.groups.map((g) => {
              const last = g.calls[0];
              return (
                <li key={g.remoteUri} data-missed={g.missed > 0}>
                  <span className="history-who">
                    {g.contact ? (
                      <button type="button" className="link" onClick={() => onShowContact(g.contact!.id)}>
                        {g.name}
                      </button>
                    ) : (
                      g.name
                    )}
                    {g.calls.length > 1 ? <span className="muted"> ({g.calls.length})</span> : null}
                  </span>
                  {g.contact ? <ContactSecurityBadge security={g.contact.security} /> : null}
                  <span className={g.missed > 0 ? 'missed' : 'muted'}>
                    {g.missed > 0 ? `${g.missed} missed` : kindOf(last)}
                    {last.video ? ', video' : ''},{' '}
                    <time dateTime={isoWhen(last.startedAt)} title={isoWhen(last.startedAt)}>
                      {formatWhen(last.startedAt, timeFormat, 'time')}
                    </time>
                    {talked(last) ? `, ${formatDuration(last.durationSeconds)}` : ''}
                  </span>
                  <button type="button" onClick={() => onCall(g.remoteUri)} aria-label={`${last.direction === 'incoming' ? 'Call back' : 'Call again'} ${g.name}`}>
                    {last.direction === 'incoming' ? 'Call back' : 'Call again'}
                  </button>
                  {g.contact ? null : (
                    <button type="button" onClick={() => onAddContact({ name: last.remoteName, address: g.remoteUri })} aria-label={`Add to contacts: ${g.name}`}>
                      Add to contacts
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </section>
  );
}
