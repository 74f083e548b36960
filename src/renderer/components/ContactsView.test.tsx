import { describe, it, expect } from 'vitest';
import type { ContactWithSecurity } from '../../shared/api';
import { ContactsView, type ContactsViewProps } from './ContactsView';
import { byLabel } from './element-tree';
import { html, noop, text } from './render';
import { historyEntry } from '../state/fixtures';

const bob: ContactWithSecurity = { id: 'c1', name: 'Bob', address: 'sip:bob@127.0.0.1', notes: 'desk phone', createdAt: 1, updatedAt: 1, security: { level: 'verified', verifiedAt: Date.UTC(2026, 10, 24, 9, 30), verifiedSas: 'k4tz' } };
const eve: ContactWithSecurity = { ...bob, id: 'c2', name: 'Eve', address: 'sip:eve@127.0.0.1', notes: '', security: { level: 'key-changed', verifiedAt: 1, changedAt: Date.UTC(2026, 10, 25, 8, 0) } };

function props(patch: Partial<ContactsViewProps> = {}): ContactsViewProps {
  // Times in a zone that is not UTC, whatever the machine's: local time is what a person reads.
  return { timeFormat: { locale: 'en-GB', timeZone: 'Europe/Berlin' }, contacts: [bob, eve], history: [], selectedId: null, draft: null, draftError: null, busy: false, onSelect: noop, onCall: noop, onEdit: noop, onSave: noop, onCancel: noop, onDelete: noop, ...patch };
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
    expect(t).toContain('Verified 24 Nov 2026, 10:30 with the code k4tz.');
    expect(t).toContain('desk phone');
    expect(t).toMatch(/Security timeline 24 Nov 2026, 10:30 You verified Bob with the code k4tz 24 Nov 2026, 10:30 Call, end-to-end encrypted Details key agreement X255, cipher AES1 24 Nov 2026, 10:30 Bob called you for the first time/);
    // The exact moment, in UTC, behind each time.
    expect(html(<ContactsView {...props({ selectedId: 'c1', history })} />)).toContain('<time dateTime="2026-11-24T09:30:00.000Z" title="2026-11-24T09:30:00.000Z">24 Nov 2026, 10:30</time>');
    const tokyo = text(<ContactsView {...props({ selectedId: 'c1', history, timeFormat: { locale: 'en-GB', timeZone: 'Asia/Tokyo' } })} />);
    expect(tokyo).toContain('Security timeline 24 Nov 2026, 18:30 You verified Bob');
  });

  it('warns about a changed key as an alert', () => {
    const out = html(<ContactsView {...props({ selectedId: 'c2' })} />);
    expect(out).toContain('role="alert"');
    expect(text(<ContactsView {...props({ selectedId: 'c2' })} />)).toContain("Eve's key changed on 25 Nov 2026, 09:00 after you verified it.");
  });

  it('a contact just added from History says so, with Undo (delete) and Edit', () => {
    const calls: string[] = [];
    const p = props({ selectedId: 'c1', justAddedId: 'c1', onDelete: (id) => calls.push(`delete ${id}`), onEdit: (d) => calls.push(`edit ${d.id} ${d.name}`) });
    expect(text(<ContactsView {...p} />)).toContain('Added Bob to your contacts. Undo Edit name or notes');
    const tree = ContactsView(p);
    (byLabel(tree, 'Undo: remove Bob from contacts')?.props.onClick as () => void)();
    (byLabel(tree, 'Edit the new contact Bob')?.props.onClick as () => void)();
    expect(calls).toEqual(['delete c1', 'edit c1 Bob']);
    expect(text(<ContactsView {...props({ selectedId: 'c1', justAddedId: 'c2' })} />)).not.toContain('Added Bob');
  });

  it('edits a contact in a form that names a bad field', () => {
    const out = html(<ContactsView {...props({ draft: { name: 'X', address: 'nope' }, draftError: { field: 'address', message: 'address: give a SIP address' } })} />);
    expect(out).toContain('aria-label="New contact"');
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('address: give a SIP address');
  });
});
