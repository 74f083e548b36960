// The address book as front ends see it: each contact with its security, told from the call
// history and the ZRTP cache's identity for its address (shared/contact-security.ts).

import type { ContactWithSecurity } from '../../shared/api';
import { addressKey, contactSecurity } from '../../shared/contact-security';
import { ContactError, type ContactsStore } from '../store/contacts-store';
import type { ZrtpCacheStore } from '../store/zrtp-cache-store';
import type { HistoryStore } from './history';
import { CommandError } from './errors';

export class ContactBook {
  constructor(
    private readonly store: ContactsStore,
    private readonly history: Pick<HistoryStore, 'list'>,
    private readonly zrtp: Pick<ZrtpCacheStore, 'identityOf' | 'peer'>,
  ) {}

  list(): ContactWithSecurity[] {
    const history = this.history.list();
    return this.store.list().map((c) => ({ ...c, security: contactSecurity(c.address, history, this.identity(c.address)) }));
  }

  /** Creates or updates; a bad field becomes a 'bad-request' naming it. */
  save(draft: unknown): ContactWithSecurity {
    try {
      const c = this.store.save(draft);
      return { ...c, security: contactSecurity(c.address, this.history.list(), this.identity(c.address)) };
    } catch (e) {
      if (e instanceof ContactError) throw new CommandError({ code: 'bad-request', field: e.field, message: e.message });
      throw e;
    }
  }

  delete(id: string): void {
    if (!this.store.delete(id)) throw new CommandError({ code: 'bad-request', field: 'id', message: 'id: no such contact' });
  }

  /** The cache keys identities by the address without parameters, as the call's remote address. */
  private identity(address: string): { zid: string; verified: boolean } | undefined {
    const zid = this.zrtp.identityOf(address) ?? this.zrtp.identityOf(addressKey(address));
    if (!zid) return undefined;
    return { zid, verified: this.zrtp.peer(zid)?.verified ?? false };
  }
}
