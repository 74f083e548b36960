import { describe, expect, it } from 'vitest';
import { CallEvents, type CallEvent } from './call-events';

describe('CallEvents', () => {
  it('gives each listener the events of its type only, in order', () => {
    const events = new CallEvents();
    const digits: string[] = [];
    const marks: string[] = [];
    events.on('dtmf', (e) => digits.push(e.digit));
    events.on('mark', (e) => marks.push(e.what));
    const sent: CallEvent[] = [{ type: 'dtmf', digit: '1' }, { type: 'mark', what: 'connected' }, { type: 'changed' }, { type: 'dtmf', digit: '#' }];
    for (const e of sent) events.emit(e);
    expect(digits).toEqual(['1', '#']);
    expect(marks).toEqual(['connected']);
  });

  it('stops calling a listener once it stopped listening, and the others still hear that event', () => {
    const events = new CallEvents();
    const heard: string[] = [];
    const off = events.on('ended', () => {
      heard.push('first');
      off();
    });
    events.on('ended', () => heard.push('second'));
    events.emit({ type: 'ended' });
    events.emit({ type: 'ended' });
    expect(heard).toEqual(['first', 'second', 'second']);
  });
});
