import { describe, it, expect } from 'vitest';
import { activateCall, activeCall, incomingCall, initialCallsState, reduceCallState } from './calls';
import { callInfo } from './fixtures';

describe('calls reducer', () => {
  it('an outgoing call becomes the active call and updates in place', () => {
    let s = reduceCallState(initialCallsState, callInfo({ state: 'calling' }));
    expect(activeCall(s)?.state).toBe('calling');
    s = reduceCallState(s, callInfo({ state: 'connected' }));
    expect(activeCall(s)?.state).toBe('connected');
    expect(Object.keys(s.calls)).toEqual(['1']);
  });

  it('an incoming call rings without becoming active until answered', () => {
    let s = reduceCallState(initialCallsState, callInfo({ callId: 7, direction: 'incoming', state: 'incoming' }));
    expect(activeCall(s)).toBeNull();
    expect(incomingCall(s)?.callId).toBe(7);
    s = activateCall(s, 7);
    expect(activeCall(s)?.callId).toBe(7);
    expect(incomingCall(s)).toBeNull();
  });

  it('a second incoming call waits beside the active one', () => {
    let s = reduceCallState(initialCallsState, callInfo({ callId: 1 }));
    s = reduceCallState(s, callInfo({ callId: 2, direction: 'incoming', state: 'incoming' }));
    expect(activeCall(s)?.callId).toBe(1);
    expect(incomingCall(s)?.callId).toBe(2);
  });

  it('an ended call leaves, is kept as the last ended call, and the next call up becomes active', () => {
    let s = reduceCallState(initialCallsState, callInfo({ callId: 1 }));
    s = reduceCallState(s, callInfo({ callId: 2, state: 'held' }));
    s = reduceCallState(s, callInfo({ callId: 1, state: 'ended', endReason: 'remote-hangup' }));
    expect(s.calls[1]).toBeUndefined();
    expect(s.lastEnded?.endReason).toBe('remote-hangup');
    expect(activeCall(s)?.callId).toBe(2);
  });

  it('activating an unknown call changes nothing', () => {
    expect(activateCall(initialCallsState, 9)).toBe(initialCallsState);
  });
});
