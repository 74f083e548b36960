import { describe, it, expect, afterEach } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContactError, ContactsStore, NAME_MAX, NOTES_MAX, validateDraft } from './contacts-store';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vouch-contacts-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ContactError) return e.field;
    throw e;
  }
  return 'accepted';
}

describe('ContactsStore', () => {
  it('keeps contacts across restarts in a 0600 file, sorted by name', () => {
    const dir = newDir();
    const a = new ContactsStore(dir);
    a.save({ name: 'Zoe', address: 'sip:zoe@127.0.0.1' });
    const bob = a.save({ name: ' Bob ', address: 'bob@127.0.0.1:5070', notes: 'from work\nsecond line' });
    expect(bob).toMatchObject({ name: 'Bob', address: 'sip:bob@127.0.0.1:5070', notes: 'from work\nsecond line' });
    expect(bob.id).toMatch(/^[0-9a-f]{16}$/);
    expect(statSync(a.path).mode & 0o777).toBe(0o600);
    const b = new ContactsStore(dir);
    expect(b.warning).toBeUndefined();
    expect(b.list().map((c) => c.name)).toEqual(['Bob', 'Zoe']);
  });

  it('updates a contact by id and deletes it', () => {
    const s = new ContactsStore(newDir());
    const c = s.save({ name: 'Bob', address: 'sip:bob@127.0.0.1' });
    const u = s.save({ id: c.id, name: 'Robert', address: 'sip:bob@127.0.0.1', notes: 'n' });
    expect(u).toMatchObject({ id: c.id, name: 'Robert', createdAt: c.createdAt });
    expect(s.list()).toHaveLength(1);
    expect(fieldOf(() => s.save({ id: 'ffffffffffffffff', name: 'X', address: 'sip:x@127.0.0.1' }))).toBe('id');
    expect(s.delete(c.id)).toBe(true);
    expect(s.delete(c.id)).toBe(false);
    expect(s.list()).toEqual([]);
  });

  it('refuses bad fields, naming the field', () => {
    expect(fieldOf(() => validateDraft({ name: '', address: 'sip:b@127.0.0.1' }))).toBe('name');
    expect(fieldOf(() => validateDraft({ name: 'x'.repeat(NAME_MAX + 1), address: 'sip:b@127.0.0.1' }))).toBe('name');
    expect(fieldOf(() => validateDraft({ name: 'a\u0007b', address: 'sip:b@127.0.0.1' }))).toBe('name');
    expect(fieldOf(() => validateDraft({ name: 'B', address: 'not an address' }))).toBe('address');
    expect(fieldOf(() => validateDraft({ name: 'B', address: 'sip:b@127.0.0.1', notes: 'x'.repeat(NOTES_MAX + 1) }))).toBe('notes');
    expect(fieldOf(() => validateDraft({ name: 'B', address: 'sip:b@127.0.0.1', id: '../x' }))).toBe('id');
    expect(fieldOf(() => validateDraft(null))).toBe('contact');
    expect(fieldOf(() => validateDraft({ name: 'B', address: 'sips:b@[2001:db8::1]:5061;transport=tls' }))).toBe('accepted');
  });

  it('never throws anything but ContactError on any input', () => {
    fc.assert(
      fc.property(fc.anything(), fc.record({ name: fc.anything(), address: fc.anything(), notes: fc.anything(), id: fc.anything() }, { requiredKeys: [] }), (a, b) => {
        for (const v of [a, b]) {
          try {
            validateDraft(v);
          } catch (e) {
            if (!(e instanceof ContactError)) return false;
          }
        }
        return true;
      }),
    );
  });

  it('moves a corrupt file aside with a warning', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'contacts.json'), '[{"name":');
    const s = new ContactsStore(dir);
    expect(s.warning).toMatch(/corrupt/);
    expect(s.list()).toEqual([]);
    expect(readdirSync(dir).some((f) => f.startsWith('contacts.json.corrupt-'))).toBe(true);
  });

  it('drops entries that are out of bounds, keeping a copy of the file', () => {
    const dir = newDir();
    const good = { id: '0123456789abcdef', name: 'Bob', address: 'sip:bob@127.0.0.1', notes: '', createdAt: 1, updatedAt: 1 };
    writeFileSync(join(dir, 'contacts.json'), JSON.stringify([good, { ...good, id: 'nope' }, { ...good, id: 'fedcba9876543210', name: 'x'.repeat(500) }]));
    const s = new ContactsStore(dir);
    expect(s.warning).toMatch(/2 contacts were unreadable/);
    expect(s.list()).toEqual([good]);
    expect(JSON.parse(readFileSync(s.path, 'utf8'))).toEqual([good]);
  });
});
