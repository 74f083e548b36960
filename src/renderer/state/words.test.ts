import { describe, it, expect } from 'vitest';
import { VouchApiError } from '../../shared/api';
import { describeCallState, describeEnd, describeFailure, describeListening, formatDuration } from './words';
import { callInfo, securityInfo } from './fixtures';

describe('words', () => {
  it('states the call: calling, ringing, securing…, secure', () => {
    expect(describeCallState(callInfo({ state: 'calling' }), undefined)).toBe('Calling…');
    expect(describeCallState(callInfo({ state: 'ringing' }), undefined)).toBe('Ringing…');
    expect(describeCallState(callInfo(), undefined)).toBe('Securing…');
    expect(describeCallState(callInfo(), securityInfo({ state: 'securing' }))).toBe('Securing…');
    expect(describeCallState(callInfo(), securityInfo({ state: 'secure' }))).toBe('Secure: compare the code');
    expect(describeCallState(callInfo(), securityInfo({ state: 'secure', sas: '' }))).toBe('Secure');
    expect(describeCallState(callInfo(), securityInfo({ state: 'secure', verified: true }))).toBe('Secure and verified');
    expect(describeCallState(callInfo(), securityInfo({ state: 'secure', mode: 'sdes' }))).toBe('Encrypted, not end-to-end');
    expect(describeCallState(callInfo({ state: 'held' }), undefined)).toBe('On hold');
  });

  it('says when the other side went silent, and when the call ended for it', () => {
    expect(describeCallState(callInfo({ reconnecting: true }), securityInfo({ state: 'secure' }))).toBe('Reconnecting…');
    expect(describeCallState(callInfo({ state: 'held', reconnecting: true }), undefined)).toBe('On hold. Reconnecting…');
    expect(describeEnd(callInfo({ state: 'ended', endReason: 'connection-lost' }))).toBe('The connection to the other person was lost.');
  });

  it('explains why a call ended, with the SIP status when a response ended it', () => {
    expect(describeEnd(callInfo({ state: 'ended', endReason: 'sas-mismatch' }))).toMatch(/security code did not match/);
    expect(describeEnd(callInfo({ state: 'ended', endReason: 'busy', sipStatus: 486, sipReason: 'Busy Here' }))).toBe(
      'The other side is busy. (486 Busy Here from the server)',
    );
  });

  it('in direct-IP mode: no "from the server", a timeout names the computer that did not answer, no Timer B', () => {
    const timedOut = callInfo({ state: 'ended', remoteUri: 'sip:bob@203.0.113.20:5060', endReason: 'timeout', sipStatus: 408, sipReason: 'Request Timeout (Timer B)' });
    expect(describeEnd(timedOut, true)).toBe('No answer from 203.0.113.20: the other computer may be off or not reachable.');
    expect(describeEnd(callInfo({ state: 'ended', remoteUri: 'sip:bob@[2001:db8::7]', endReason: 'timeout', sipStatus: 408 }), true)).toMatch(/^No answer from \[2001:db8::7\]:/);
    expect(describeEnd(callInfo({ state: 'ended', endReason: 'busy', sipStatus: 486, sipReason: 'Busy Here' }), true)).toBe('The other side is busy. (486 Busy Here)');
    expect(describeEnd(timedOut)).toBe('No answer. (408 Request Timeout from the server)');
  });

  it('says how to reach you, and that there is no TLS listener', () => {
    expect(describeListening({ addresses: ['sip:alice@192.168.1.23:5062'], udp: 5062, tcp: 5062, tls: null, notes: ['no TLS listener (no certificate configured)'] })).toBe(
      'Your address: sip:alice@192.168.1.23:5062. No TLS listener (no certificate configured).',
    );
    expect(describeListening({ addresses: [], udp: 5060, tcp: 5060, tls: 5061, notes: [] })).toBe('Not reachable from other computers (no network address).');
  });

  it('puts command errors in words', () => {
    const e = new VouchApiError({ code: 'unavailable', message: 'calling is not available in this build yet' });
    expect(describeFailure('call sip:bob@x', e)).toBe('Could not call sip:bob@x: calling is not available in this build yet.');
    expect(describeFailure('call', new VouchApiError({ code: 'network', message: '' }))).toBe('Could not call: the network failed.');
    expect(describeFailure('open the camera', new DOMException('x', 'NotAllowedError'))).toMatch(/permission .* denied/);
    expect(describeFailure('switch to that microphone', new DOMException('x', 'OverconstrainedError'))).toBe('Could not switch to that microphone: that device is no longer connected.');
    expect(describeFailure('switch to that camera', new DOMException('Could not start video source', 'NotReadableError'))).toBe(
      'Could not switch to that camera: another app may be using the device, or it stopped working.',
    );
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(75.9)).toBe('01:15');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
