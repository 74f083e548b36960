import { describe, expect, it } from 'vitest';
import { dayOf, formatWhen, isoWhen } from './contact-words';

// 23:30 UTC on 24 November: already the 25th in Tokyo, still the 24th in New York.
const lateEvening = Date.UTC(2026, 10, 24, 23, 30);

describe('times in words', () => {
  it("reads a moment in the given locale and zone, whole or in part", () => {
    expect(formatWhen(lateEvening, { locale: 'en-GB', timeZone: 'Asia/Tokyo' })).toBe('25 Nov 2026, 08:30');
    expect(formatWhen(lateEvening, { locale: 'en-GB', timeZone: 'Asia/Tokyo' }, 'time')).toBe('08:30');
    expect(formatWhen(lateEvening, { locale: 'en-GB', timeZone: 'Asia/Tokyo' }, 'date')).toBe('25 Nov 2026');
    expect(formatWhen(lateEvening, { locale: 'de-DE', timeZone: 'Europe/Berlin' }, 'time')).toBe('00:30');
    expect(formatWhen(lateEvening, { locale: 'en-US', timeZone: 'America/New_York' }, 'time')).toMatch(/^6:30\sPM$/);
  });

  it("keys a day in the given zone as YYYY-MM-DD, whatever the locale", () => {
    expect(dayOf(lateEvening, { timeZone: 'Asia/Tokyo' })).toBe('2026-11-25');
    expect(dayOf(lateEvening, { locale: 'ar-EG', timeZone: 'America/New_York' })).toBe('2026-11-24');
    expect(dayOf(Date.UTC(2026, 0, 1, 0, 0), { timeZone: 'UTC' })).toBe('2026-01-01');
  });

  it('gives the exact moment in UTC for the tooltip', () => {
    expect(isoWhen(lateEvening)).toBe('2026-11-24T23:30:00.000Z');
  });
});
