// The address book: contacts with their security at a glance, and for the chosen one who they
// are, whether and when you verified them, and their security timeline (first call, each
// verification, each key change, each call's key agreement and cipher).
import type { FormEvent } from 'react';
import type { ContactDraft, ContactWithSecurity, HistoryEntry } from '../../shared/api';
import { contactTimeline } from '../../shared/contact-security';
import { describeContactSecurity, describeTimelineEvent, isoWhen, type TimeFormat } from '../state/contact-words';
import { ContactSecurityBadge } from './ContactSecurityBadge';

export interface ContactsViewProps {
  contacts: ContactWithSecurity[];
  history: HistoryEntry[];
  selectedId: string | null;
  /** The form being filled (a new contact has no id), or null. */
  draft: ContactDraft | null;
  /** A field's error from saving ('name', 'address', 'notes'). */
  draftError: { field: string; message: string } | null;
  busy: boolean;
  /** A contact just made from History in one click: its page says so, with Undo and Edit. */
  justAddedId?: string | null;
  /** Locale and time zone of the times shown; the user's own when absent. */
  timeFormat?: TimeFormat;
  onSelect(id: string): void;
  onCall(uri: string): void;
  onEdit(draft: ContactDraft): void;
  onSave(): void;
  onCancel(): void;
  onDelete(id: string): void;
}

function ContactForm({ draft, draftError, busy, onEdit, onSave, onCancel }: Pick<ContactsViewProps, 'draftError' | 'busy' | 'onEdit' | 'onSave' | 'onCancel'> & { draft: ContactDraft }) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave();
  };
  const err = (field: string) => (draftError?.field === field ? draftError.message : '');
  const field = (name: 'name' | 'address', label: string, placeholder: string) => (
    <p>
      <label htmlFor={`contact-${name}`}>{label}</label>
      <input
        id={`contact-${name}`}
        type="text"
        value={draft[name]}
        placeholder={placeholder}
        aria-invalid={err(name) ? true : undefined}
        aria-describedby={err(name) ? `contact-${name}-error` : undefined}
        onChange={(e) => onEdit({ ...draft, [name]: e.target.value })}
      />
      {err(name) ? (
        <span id={`contact-${name}-error`} className="field-error" role="alert">
          {err(name)}
        </span>
      ) : null}
    </p>
  );
  return (
    <form className="contact-form" noValidate onSubmit={submit} aria-label={draft.id ? 'Edit contact' : 'New contact'}>
      {field('name', 'Name', 'Bob')}
      {field('address', 'SIP address', 'sip:bob@192.168.1.20')}
      <p>
        <label htmlFor="contact-notes">Notes</label>
        <textarea id="contact-notes" value={draft.notes ?? ''} rows={3} onChange={(e) => onEdit({ ...draft, notes: e.target.value })} />
        {err('notes') ? <span className="field-error" role="alert">{err('notes')}</span> : null}
      </p>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Save contact
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ContactsView(props: ContactsViewProps) {
  const { contacts, history, selectedId, draft, onSelect, onCall, onEdit, onDelete } = props;
  const selected = contacts.find((c) => c.id === selectedId) ?? null;
  const timeline = selected ? contactTimeline(selected.address, history).reverse() : [];
  return (
    <section className="contacts" aria-labelledby="contacts-title">
      <div className="contacts-list">
        <h2 id="contacts-title">Contacts</h2>
        <button type="button" onClick={() => onEdit({ name: '', address: '', notes: '' })}>
          New contact
        </button>
        {contacts.length === 0 ? (
          <p className="muted">No contacts yet. Add one here, or from a call in History.</p>
        ) : (
          <ul>
            {contacts.map((c) => (
              <li key={c.id} data-level={c.security.level}>
                <button type="button" className="link" aria-pressed={c.id === selectedId} onClick={() => onSelect(c.id)}>
                  {c.name}
                </button>
                <ContactSecurityBadge security={c.security} />
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="contact-detail">
        {draft ? (
          <ContactForm {...props} draft={draft} />
        ) : selected ? (
          <article aria-label={`Contact ${selected.name}`}>
            <h3>
              {selected.name} <ContactSecurityBadge security={selected.security} />
            </h3>
            {props.justAddedId === selected.id ? (
              <p className="added-notice" role="status">
                Added {selected.name} to your contacts.{' '}
                <button type="button" onClick={() => onDelete(selected.id)} aria-label={`Undo: remove ${selected.name} from contacts`}>
                  Undo
                </button>{' '}
                <button type="button" onClick={() => onEdit({ id: selected.id, name: selected.name, address: selected.address, notes: selected.notes })} aria-label={`Edit the new contact ${selected.name}`}>
                  Edit name or notes
                </button>
              </p>
            ) : null}
            <p className="muted">{selected.address}</p>
            <p className={selected.security.level === 'key-changed' ? 'danger-text' : ''} role={selected.security.level === 'key-changed' ? 'alert' : undefined}>
              {describeContactSecurity(selected.name, selected.security, props.timeFormat)}
            </p>
            {selected.notes ? <p className="contact-notes">{selected.notes}</p> : null}
            <div className="actions">
              <button type="button" className="primary" onClick={() => onCall(selected.address)} aria-label={`Call ${selected.name}`}>
                Call
              </button>
              <button type="button" onClick={() => onEdit({ id: selected.id, name: selected.name, address: selected.address, notes: selected.notes })}>
                Edit
              </button>
              <button type="button" className="danger" onClick={() => onDelete(selected.id)} aria-label={`Delete contact ${selected.name}`}>
                Delete
              </button>
            </div>
            <h4>Security timeline</h4>
            {timeline.length === 0 ? (
              <p className="muted">No calls yet.</p>
            ) : (
              <ol className="security-timeline">
                {timeline.map((t, i) => {
                  const w = describeTimelineEvent(selected.name, t, props.timeFormat);
                  return (
                    <li key={i} data-kind={t.kind} className={w.danger ? 'danger-text' : undefined}>
                      <time dateTime={isoWhen(t.at)} title={isoWhen(t.at)}>
                        {w.at}
                      </time> {w.text}
                      {w.detail ? (
                        <details>
                          <summary>Details</summary>
                          {w.detail}
                        </details>
                      ) : null}
                    </li>
                  );
                })}
              </ol>
            )}
          </article>
        ) : (
          <p className="muted">Choose a contact to see whether you verified them, and when.</p>
        )}
      </div>
    </section>
  );
}
