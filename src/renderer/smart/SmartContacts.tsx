// The address book connected to AppCore: saveContact / deleteContact, a bad field shown beside it;
// a contact just added from History can be undone (deleted again) or edited.
import { useState } from 'react';
import type { ContactDraft } from '../../shared/api';
import { VouchApiError } from '../../shared/api';
import { vouchApi } from '../api/session';
import { ContactsView } from '../components/ContactsView';
import { describeFailure } from '../state/words';
import { useContacts, useHistory, useVouchStore } from '../state/store';
import { placeCall } from './place-call';

export interface SmartContactsProps {
  selectedId: string | null;
  /** The contact History just created in one click, or null. */
  justAddedId?: string | null;
  onSelect(id: string | null): void;
  /** A call was placed: the app shows the call. */
  onCalling(): void;
}

export function SmartContacts({ selectedId, justAddedId = null, onSelect, onCalling }: SmartContactsProps) {
  const contacts = useContacts();
  const history = useHistory();
  const [draft, setDraft] = useState<ContactDraft | null>(null);
  const [draftError, setDraftError] = useState<{ field: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const showError = useVouchStore((s) => s.showError);

  const save = async () => {
    if (!draft) return;
    setBusy(true);
    try {
      const saved = await vouchApi().invoke('saveContact', { contact: draft });
      setDraft(null);
      setDraftError(null);
      onSelect(saved.id);
    } catch (e) {
      if (e instanceof VouchApiError && e.field) setDraftError({ field: e.field, message: e.message });
      else showError('app', describeFailure('save the contact', e));
    }
    setBusy(false);
  };
  const remove = async (id: string) => {
    try {
      await vouchApi().invoke('deleteContact', { id });
      onSelect(null);
    } catch (e) {
      showError('app', describeFailure('delete the contact', e));
    }
  };

  return (
    <ContactsView
      contacts={contacts}
      history={history}
      selectedId={selectedId}
      draft={draft}
      draftError={draftError}
      busy={busy}
      justAddedId={justAddedId}
      onSelect={(id) => {
        setDraft(null);
        onSelect(id);
      }}
      onCall={(uri) => void placeCall(uri).then((ok) => ok && onCalling())}
      onEdit={(d) => {
        setDraftError(null);
        setDraft(d);
      }}
      onSave={() => void save()}
      onCancel={() => {
        setDraft(null);
        setDraftError(null);
      }}
      onDelete={(id) => void remove(id)}
    />
  );
}
