// The call history as a person reads it: by day, and within a day one line per contact (or
// address) with how many calls, how many missed, and the newest first. Pure.
import type { ContactWithSecurity, HistoryEntry } from '../../shared/api';
import { addressKey } from '../../shared/contact-security';
import { dayOf, type TimeFormat } from './contact-words';

export interface HistoryGroup {
  /** The address all these calls were with (the newest call's URI). */
  remoteUri: string;
  /** The contact's name, else the name the caller gave, else the address. */
  name: string;
  contact?: ContactWithSecurity;
  calls: HistoryEntry[];
  missed: number;
}

export interface HistoryDay {
  /** The date in the user's zone, YYYY-MM-DD. */
  day: string;
  groups: HistoryGroup[];
}

/** The contact whose address is this URI's, if any. */
export function contactFor(uri: string, contacts: readonly ContactWithSecurity[]): ContactWithSecurity | undefined {
  const key = addressKey(uri);
  return contacts.find((c) => addressKey(c.address) === key);
}

/** Days (in the zone `format` names, else the user's) newest first; within a day, contacts in the order of their newest call. */
export function groupHistory(history: readonly HistoryEntry[], contacts: readonly ContactWithSecurity[], format: TimeFormat = {}): HistoryDay[] {
  const sorted = [...history].sort((a, b) => b.startedAt - a.startedAt);
  const days: HistoryDay[] = [];
  for (const h of sorted) {
    const day = dayOf(h.startedAt, format);
    let d = days[days.length - 1];
    if (!d || d.day !== day) {
      d = { day, groups: [] };
      days.push(d);
    }
    const key = addressKey(h.remoteUri);
    let g = d.groups.find((x) => addressKey(x.remoteUri) === key);
    if (!g) {
      const contact = contactFor(h.remoteUri, contacts);
      g = { remoteUri: h.remoteUri, name: contact?.name || h.remoteName || h.remoteUri, calls: [], missed: 0, ...(contact ? { contact } : {}) };
      d.groups.push(g);
    }
    g.calls.push(h);
    if (h.missed) g.missed += 1;
  }
  return days;
}

/** Missed calls since the history was last looked at: the count in the navigation. */
export function missedSince(history: readonly HistoryEntry[], seenAt: number): number {
  return history.filter((h) => h.missed && h.startedAt > seenAt).length;
}
