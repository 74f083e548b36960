import { describe, it, expect } from 'vitest';
import { IncomingCall } from './IncomingCall';
import { html, noop, text } from './render';
import { callInfo } from '../state/fixtures';

describe('IncomingCall', () => {
  const call = callInfo({ direction: 'incoming', state: 'incoming', remoteName: 'Bob' });
  const base = { call, verified: false, inAnotherCall: false, ringtoneUrl: '', busy: false, onAnswer: noop, onAnswerVideo: noop, onReject: noop };

  it('names the caller, offers Answer, Answer with video and Reject, and rings', () => {
    const el = <IncomingCall {...base} ringtoneUrl="/assets/ringtone.wav" />;
    const out = html(el);
    expect(out).toContain('role="alertdialog"');
    expect(out).toContain('class="incoming ringing-screen"');
    expect(out).toContain('aria-label="Answer call from Bob"');
    expect(out).toContain('aria-label="Answer with video call from Bob"');
    expect(out).toContain('aria-label="Reject call from Bob"');
    expect(out).toMatch(/<audio class="ringtone" src="\/assets\/ringtone.wav" loop=""/i);
    expect(text(el)).toContain('Incoming call Bob sip:bob@127.0.0.1 Not verified yet: compare the code once you are connected. Answer Answer with video Reject');
  });

  it('says that answering holds the current call, and shows a verified caller', () => {
    const el = <IncomingCall {...base} verified={true} inAnotherCall={true} />;
    expect(text(el)).toContain('Verified You verified this caller before.');
    expect(text(el)).toContain('Answering puts your current call on hold.');
    expect(html(el)).not.toContain('<audio');
  });

  it("names a contact by the address book's name and warns in red when their key changed", () => {
    const el = <IncomingCall {...base} contact={{ name: 'Robert', security: { level: 'key-changed', verifiedAt: 1, changedAt: 2 } }} />;
    expect(text(el)).toContain('Robert sip:bob@127.0.0.1 Key changed since verified Their key changed since you verified it');
    expect(html(el)).toContain('class="danger-text"');
  });
});
