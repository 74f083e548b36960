import { describe, it, expect } from 'vitest';
import type { ContactWithSecurity } from '../../shared/api';
import { ContactsView, type ContactsViewProps } from './ContactsView';
import { html, noop, text } from './render';
import { historyEntry } from '../state/fixtures';

const bob: ContactWithSecurity = { id: 'c1', name: 'Bob', address: 'sip:bob@127.0.0.1', notes: 'desk phone', createdAt: 1, updatedAt: 1, security: { level: 'verified', verifiedAt: Date.UTC(2026, 10, 24, 9, 30), verifiedSas: 'k4tz' } };
const eve: ContactWithSecurity = { ...bob, id: 'c2', name: 'Eve', address: 'sip:eve@127.0.0.1', notes: '', security: { level: 'key-changed', verifiedAt: 1, changedAt: Date.UTC(2026, 10, 25, 8, 0) } };

function props(patch: Partial<ContactsViewProps> = {}): ContactsViewProps {
  return { contacts: [bob, eve], history: [], selectedId: null, draft: null, draftError: null, busy: false, onSelect: noop, onCall: noop, onEdit: noop, onSave: noop, onCancel: noop, onDelete: noop, ...patch };
}

describe('ContactsView', () => {
  it('lists contacts with their security, a changed key in red', () => {
    const out = html(<ContactsView {...props()} />);
    expect(text(<ContactsView {...props()} />)).toContain('Bob Verified Eve Key changed since verified');
    expect(out).toContain('class="badge contact-security danger" data-level="key-changed"');
  });

  it('shows when and with which code a contact was verified, and the timeline with details', () => {
    const history = [
      historyEntry({ id: 'a', remoteUri: 'sip:bob@127.0.0.1', startedAt: Date.UTC(2026, 10, 24, 9, 30), verified: true, security: { mode: 'zrtp', peerZid: 'aa'.repeat(12), sas: 'k4tz', keyAgreement: 'X255', cipher: 'AES1', keyChanged: false } }),
    ];
    const t = text(<ContactsView {...props({ selectedId: 'c1', history })} />);
    expect(t).toContain('Verified 2026-11-24 09:30 with the code k4tz.');
    expect(t).toContain('desk phone');
    expect(t).toMatch(/Security timeline 2026-11-24 09:30 You verified Bob with the code k4tz 2026-11-24 09:30 Call, end-to-end encrypted Details key agreement X255, cipher AES1 2026-11-24 09:30 Bob called you for the first time/);
  });

  it('warns about a changed key as an alert', () => {
    const out = html(<ContactsView {...props({ selectedId: 'c2' })} />);
    expect(out).toContain('role="alert"');
    expect(text(<ContactsView {...props({ selectedId: 'c2' })} />)).toContain("Eve's key changed on 2026-11-25 08:00 after you verified it.");
  });

  it('edits a contact in a form that names a bad field', () => {
    const out = html(<ContactsView {...props({ draft: { name: 'X', address: 'nope' }, draftError: { field: 'address', message: 'address: give a SIP address' } })} />);
    expect(out).toContain('aria-label="New contact"');
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('address: give a SIP address');
  });
});
