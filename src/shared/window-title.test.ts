import { describe, expect, it } from 'vitest';
import type { CallInfo } from './api';
import { windowTitle } from './window-title';

type C = Pick<CallInfo, 'direction' | 'state' | 'held'> & { name: string };
const call = (direction: C['direction'], state: C['state'], name: string, held = false): C => ({ direction, state, held, name });
const title = (...calls: C[]) => windowTitle(calls, (c) => c.name);

describe('window title', () => {
  it('is just Vouch without a call', () => {
    expect(title()).toBe('Vouch');
  });

  it('says the call in words: placing, talking, ringing here, on hold', () => {
    expect(title(call('outgoing', 'calling', 'Bob'))).toBe('Vouch — Calling Bob…');
    expect(title(call('outgoing', 'ringing', 'Bob'))).toBe('Vouch — Calling Bob…');
    expect(title(call('outgoing', 'connected', 'Bob'))).toBe('Vouch — In call with Bob');
    expect(title(call('incoming', 'connected', 'Carol'))).toBe('Vouch — In call with Carol');
    expect(title(call('incoming', 'incoming', 'Carol'))).toBe('Vouch — Incoming call from Carol');
    expect(title(call('outgoing', 'held', 'Bob', true))).toBe('Vouch — Bob on hold');
  });

  it('a call ringing here wins over the one being talked in; talking wins over one on hold', () => {
    expect(title(call('outgoing', 'connected', 'Bob'), call('incoming', 'incoming', 'Carol'))).toBe('Vouch — Incoming call from Carol');
    expect(title(call('outgoing', 'held', 'Bob', true), call('incoming', 'connected', 'Carol'))).toBe('Vouch — In call with Carol');
  });

  it('an ended call is no longer in the title', () => {
    expect(title(call('outgoing', 'ended', 'Bob'))).toBe('Vouch');
  });
});
