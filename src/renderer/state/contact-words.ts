// A contact's security and timeline in words a person reads at a glance; the technical names
// (key agreement, cipher) stay in the timeline's detail.
import type { ContactSecurity } from '../../shared/api';
import type { TimelineEvent } from '../../shared/contact-security';

/**
 * How times read: the user's locale and time zone by default; tests and screenshots pin both
 * (the machine's zone must not change what a test sees).
 */
export interface TimeFormat {
  locale?: string;
  timeZone?: string;
}

/** How much of a moment to show: date and time (a timeline), the time alone (under a day's heading), the day alone (the heading). */
export type WhenPart = 'date-time' | 'time' | 'date';

const WHEN_STYLES: Record<WhenPart, Intl.DateTimeFormatOptions> = {
  'date-time': { dateStyle: 'medium', timeStyle: 'short' },
  time: { timeStyle: 'short' },
  date: { dateStyle: 'medium' },
};

/** A moment as a person reads it in their own zone, e.g. "24 Nov 2026, 10:30" (en-GB, Europe/Berlin). */
export function formatWhen(ms: number, format: TimeFormat = {}, part: WhenPart = 'date-time'): string {
  return new Intl.DateTimeFormat(format.locale, { ...WHEN_STYLES[part], timeZone: format.timeZone }).format(ms);
}

/** The day a moment falls on in the user's zone, YYYY-MM-DD: the key that groups a day's calls (and a <time> element's dateTime). */
export function dayOf(ms: number, format: TimeFormat = {}): string {
  const parts = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: format.timeZone }).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The exact moment, for a tooltip: ISO 8601 in UTC. */
export function isoWhen(ms: number): string {
  return new Date(ms).toISOString();
}

/** The badge: short, and red for a changed key. */
export function securityBadge(s: ContactSecurity): { text: string; tone: 'muted' | 'ok' | 'danger' } {
  switch (s.level) {
    case 'never-called':
      return { text: 'Never called', tone: 'muted' };
    case 'not-verified':
      return { text: 'Not verified', tone: 'muted' };
    case 'verified':
      return { text: 'Verified', tone: 'ok' };
    case 'key-changed':
      return { text: 'Key changed since verified', tone: 'danger' };
  }
}

/** The sentence under the name. */
export function describeContactSecurity(name: string, s: ContactSecurity, format: TimeFormat = {}): string {
  const when = (ms: number) => formatWhen(ms, format);
  switch (s.level) {
    case 'never-called':
      return `You have not called ${name} yet.`;
    case 'not-verified':
      return `You have not compared the security code with ${name} yet: do it on your next call.`;
    case 'verified':
      return s.verifiedAt ? `Verified ${when(s.verifiedAt)}${s.verifiedSas ? ` with the code ${s.verifiedSas}` : ''}.` : 'Verified.';
    case 'key-changed':
      return `${name}'s key changed${s.changedAt ? ` on ${when(s.changedAt)}` : ''} after you verified it. Someone may be listening in: compare the code again on your next call.`;
  }
}

/** One line of the timeline: what happened, and the technical detail if any. */
export function describeTimelineEvent(name: string, t: TimelineEvent, format: TimeFormat = {}): { at: string; text: string; detail: string; danger: boolean } {
  const at = formatWhen(t.at, format);
  switch (t.kind) {
    case 'first-call':
      return { at, text: t.direction === 'incoming' ? `${name} called you for the first time` : `You called ${name} for the first time`, detail: '', danger: false };
    case 'call': {
      const how = t.mode === 'zrtp' ? 'end-to-end encrypted' : t.mode === 'sdes' ? 'encrypted, not end to end' : 'not encrypted';
      const detail = t.keyAgreement || t.cipher ? [t.keyAgreement && `key agreement ${t.keyAgreement}`, t.cipher && `cipher ${t.cipher}`].filter(Boolean).join(', ') : '';
      return { at, text: `${t.missed ? 'Missed call' : 'Call'}${t.video ? ' with video' : ''}, ${t.missed ? 'not connected' : how}`, detail, danger: false };
    }
    case 'verified':
      return { at, text: `You verified ${name}${t.sas ? ` with the code ${t.sas}` : ''}`, detail: '', danger: false };
    case 'key-changed':
      return { at, text: `${name}'s key changed`, detail: t.reason === 'new-identity' ? 'a new ZRTP identity (ZID) answered' : 'the retained secret from earlier calls did not match', danger: true };
    case 'sas-mismatch':
      return { at, text: `The code did not match${t.sas ? ` (${t.sas})` : ''}: the call was ended`, detail: '', danger: true };
  }
}
