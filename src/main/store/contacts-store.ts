// The address book at rest: contacts.json in the data directory, one 0600 file written atomically
// (atomic-file.ts), bounded: a name, a sip:/sips: address and notes, each of limited length, and a
// limited number of contacts. A corrupt file is moved aside with a warning, never trusted.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Contact, ContactDraft } from '../../shared/api';
import { readJsonOrMoveAside, writeFileAtomic } from './atomic-file';

export const CONTACTS_FILE = 'contacts.json';
export const CONTACTS_LIMIT = 2000;
export const NAME_MAX = 100;
export const ADDRESS_MAX = 256;
export const NOTES_MAX = 2000;

/** A contact that cannot be saved, naming the field ('name', 'address', 'notes', 'id'). */
export class ContactError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ContactError';
  }
}

// C0/C1 controls and line breaks have no place in a name or an address (notes may keep newlines).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const SIP_ADDRESS = /^sips?:(?:[^@\s<>"]+@)?(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?(?:;[^\s<>"]*)?$/i;
const ID = /^[0-9a-f]{16}$/;

/** Checks a draft's shape and bounds; returns the cleaned fields or throws ContactError. */
export function validateDraft(draft: unknown): { id?: string; name: string; address: string; notes: string } {
  if (typeof draft !== 'object' || draft === null) throw new ContactError('contact', 'contact must be an object');
  const d = draft as Partial<Record<keyof ContactDraft, unknown>>;
  if (d.id !== undefined && (typeof d.id !== 'string' || !ID.test(d.id))) throw new ContactError('id', 'id: not a contact id');
  if (typeof d.name !== 'string') throw new ContactError('name', 'name: give the contact a name');
  const name = d.name.trim();
  if (name.length === 0) throw new ContactError('name', 'name: give the contact a name');
  if (name.length > NAME_MAX) throw new ContactError('name', `name: at most ${NAME_MAX} characters`);
  if (CONTROL.test(name)) throw new ContactError('name', 'name: no control characters');
  if (typeof d.address !== 'string') throw new ContactError('address', 'address: give a SIP address, like sip:bob@192.168.1.20');
  let address = d.address.trim();
  if (address.length > 0 && !/^sips?:/i.test(address)) address = `sip:${address}`;
  if (address.length > ADDRESS_MAX) throw new ContactError('address', `address: at most ${ADDRESS_MAX} characters`);
  if (!SIP_ADDRESS.test(address)) throw new ContactError('address', 'address: give a SIP address, like sip:bob@192.168.1.20');
  const notes = d.notes === undefined ? '' : d.notes;
  if (typeof notes !== 'string') throw new ContactError('notes', 'notes must be text');
  if (notes.length > NOTES_MAX) throw new ContactError('notes', `notes: at most ${NOTES_MAX} characters`);
  if (CONTROL_BUT_NEWLINE.test(notes)) throw new ContactError('notes', 'notes: no control characters');
  return { ...(d.id !== undefined ? { id: d.id as string } : {}), name, address, notes };
}

function isStoredContact(v: unknown): v is Contact {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Partial<Contact>;
  try {
    validateDraft(c);
  } catch {
    return false;
  }
  return typeof c.id === 'string' && ID.test(c.id) && Number.isFinite(c.createdAt) && Number.isFinite(c.updatedAt);
}

export class ContactsStore {
  readonly path: string;
  private contacts: Contact[] = [];
  /** Set when the file on disk was unreadable and moved aside, or entries were dropped. */
  readonly warning?: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, CONTACTS_FILE);
    const read = readJsonOrMoveAside(this.path);
    if (read.kind === 'corrupt') this.warning = `contacts were corrupt (${read.error}); moved to ${read.movedTo}`;
    else if (read.kind === 'ok') {
      const list = Array.isArray(read.value) ? read.value : [];
      const good = list.filter(isStoredContact).slice(0, CONTACTS_LIMIT);
      if (good.length !== list.length || !Array.isArray(read.value)) {
        const movedTo = `${this.path}.invalid-${Date.now()}`;
        writeFileAtomic(movedTo, JSON.stringify(read.value));
        this.warning = `${Array.isArray(read.value) ? list.length - good.length : 'all'} contacts were unreadable; kept a copy in ${movedTo}`;
      }
      this.contacts = good.map((c) => ({ id: c.id, name: c.name, address: c.address, notes: c.notes, createdAt: c.createdAt, updatedAt: c.updatedAt }));
      if (this.warning) this.write();
    }
  }

  /** By name, then address. */
  list(): Contact[] {
    return this.contacts.map((c) => ({ ...c })).sort((a, b) => a.name.localeCompare(b.name) || a.address.localeCompare(b.address));
  }

  get(id: string): Contact | undefined {
    const c = this.contacts.find((x) => x.id === id);
    return c ? { ...c } : undefined;
  }

  /** Creates (no id) or updates; throws ContactError on a bad field, an unknown id, or a full book. */
  save(draft: unknown): Contact {
    const d = validateDraft(draft);
    const now = Date.now();
    let contact: Contact;
    if (d.id !== undefined) {
      const i = this.contacts.findIndex((x) => x.id === d.id);
      if (i < 0) throw new ContactError('id', 'id: no such contact');
      contact = { ...this.contacts[i], name: d.name, address: d.address, notes: d.notes, updatedAt: now };
      this.contacts[i] = contact;
    } else {
      if (this.contacts.length >= CONTACTS_LIMIT) throw new ContactError('contact', `at most ${CONTACTS_LIMIT} contacts`);
      contact = { id: randomBytes(8).toString('hex'), name: d.name, address: d.address, notes: d.notes, createdAt: now, updatedAt: now };
      this.contacts.push(contact);
    }
    this.write();
    return { ...contact };
  }

  /** Returns whether a contact was removed. */
  delete(id: string): boolean {
    const before = this.contacts.length;
    this.contacts = this.contacts.filter((c) => c.id !== id);
    if (this.contacts.length === before) return false;
    this.write();
    return true;
  }

  private write(): void {
    writeFileAtomic(this.path, JSON.stringify(this.contacts, null, 1) + '\n');
  }
}
