// The call history connected to AppCore: call back, open a contact, and add a caller to contacts
// in one click (saveContact with the call's display name or the address's user part; the contact
// page then offers Undo and Edit).
import { HistoryView } from '../components/HistoryView';
import { vouchApi } from '../api/session';
import { contactNameFor } from '../state/contact-name';
import { useContacts, useHistory, useVouchStore } from '../state/store';
import { describeFailure } from '../state/words';
import { placeCall } from './place-call';

export interface SmartHistoryProps {
  onCalling(): void;
  onShowContact(id: string): void;
  /** A contact was just made from History: show it, with Undo and Edit. */
  onContactAdded(id: string): void;
}

export function SmartHistory({ onCalling, onShowContact, onContactAdded }: SmartHistoryProps) {
  const history = useHistory();
  const contacts = useContacts();
  const showError = useVouchStore((s) => s.showError);
  const add = async (name: string, address: string) => {
    try {
      const saved = await vouchApi().invoke('saveContact', { contact: { name: contactNameFor(name, address), address, notes: '' } });
      onContactAdded(saved.id);
    } catch (e) {
      showError('app', describeFailure('add the contact', e));
    }
  };
  return (
    <HistoryView
      history={history}
      contacts={contacts}
      onCall={(uri) => void placeCall(uri).then((ok) => ok && onCalling())}
      onShowContact={onShowContact}
      onAddContact={({ name, address }) => void add(name, address)}
    />
  );
}
