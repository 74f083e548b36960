// The call history connected to AppCore: call back, open a contact, add a caller to contacts.
import type { ContactDraft } from '../../shared/api';
import { HistoryView } from '../components/HistoryView';
import { useContacts, useHistory } from '../state/store';
import { placeCall } from './place-call';

export interface SmartHistoryProps {
  onCalling(): void;
  onShowContact(id: string): void;
  onNewContact(draft: ContactDraft): void;
}

export function SmartHistory({ onCalling, onShowContact, onNewContact }: SmartHistoryProps) {
  const history = useHistory();
  const contacts = useContacts();
  return (
    <HistoryView
      history={history}
      contacts={contacts}
      onCall={(uri) => void placeCall(uri).then((ok) => ok && onCalling())}
      onShowContact={onShowContact}
      onAddContact={({ name, address }) => onNewContact({ name, address, notes: '' })}
    />
  );
}
