import { describe, it, expect } from 'vitest';
import { addError, dismissError, dismissScope, initialErrorsState, MAX_SHOWN_ERRORS } from './errors';
import { blockingWarnings, forgetCallSecurity, reduceSecurity } from './security';
import { forgetCallStats, reduceStats } from './stats';
import { callStats, securityInfo } from './fixtures';

describe('security reducer', () => {
  it('keeps the latest security info per call and forgets it', () => {
    let s = reduceSecurity({}, securityInfo({ state: 'securing', sas: '' }));
    s = reduceSecurity(s, securityInfo({ state: 'secure', verified: true }));
    expect(s[1].state).toBe('secure');
    expect(s[1].verified).toBe(true);
    expect(forgetCallSecurity(s, 1)).toEqual({});
    expect(forgetCallSecurity(s, 5)).toBe(s);
  });

  it('cache mismatch and new identity block; other warnings do not', () => {
    const info = securityInfo({
      warnings: [
        { kind: 'zrtp-error', message: 'x' },
        { kind: 'cache-mismatch', message: 'cache' },
        { kind: 'new-identity', message: 'new', previousZid: 'a', zid: 'b' },
      ],
    });
    expect(blockingWarnings(info).map((w) => w.kind)).toEqual(['cache-mismatch', 'new-identity']);
  });
});

describe('stats reducer', () => {
  it('keeps a bounded history per call, oldest dropped first', () => {
    let s = {};
    for (let i = 0; i < 10; i++) s = reduceStats(s, callStats(i * 1000), 4);
    expect((s as Record<number, { at: number }[]>)[1].map((x) => x.at)).toEqual([6000, 7000, 8000, 9000]);
  });

  it('ignores a sample older than the last one and forgets a call', () => {
    let s = reduceStats({}, callStats(5000));
    const same = reduceStats(s, callStats(4000));
    expect(same).toBe(s);
    s = reduceStats(s, callStats(6000, undefined, 2));
    expect(Object.keys(forgetCallStats(s, 1))).toEqual(['2']);
  });
});

describe('errors', () => {
  it('adds errors with ids, collapses an immediate repeat, bounds the list', () => {
    let s = addError(initialErrorsState, 'call', 'a');
    s = addError(s, 'call', 'a');
    expect(s.errors).toHaveLength(1);
    for (let i = 0; i < 10; i++) s = addError(s, 'app', `e${i}`);
    expect(s.errors).toHaveLength(MAX_SHOWN_ERRORS);
    expect(s.errors[s.errors.length - 1].message).toBe('e9');
  });

  it('dismisses one error or a whole scope', () => {
    let s = addError(initialErrorsState, 'call', 'a');
    s = addError(s, 'settings', 'b');
    s = addError(s, 'settings', 'c');
    expect(dismissError(s, s.errors[0].id).errors.map((e) => e.message)).toEqual(['b', 'c']);
    expect(dismissScope(s, 'settings').errors.map((e) => e.message)).toEqual(['a']);
  });
});
