import { describe, it, expect } from 'vitest';
import { IncomingCall } from './IncomingCall';
import { html, noop, text } from './render';
import { callInfo } from '../state/fixtures';

describe('IncomingCall', () => {
  const call = callInfo({ direction: 'incoming', state: 'incoming', remoteName: 'Bob' });

  it('names the caller, offers Answer and Reject, and rings', () => {
    const el = <IncomingCall call={call} verified={false} inAnotherCall={false} ringtoneUrl="/assets/ringtone.wav" busy={false} onAnswer={noop} onReject={noop} />;
    const out = html(el);
    expect(out).toContain('role="alertdialog"');
    expect(out).toContain('aria-label="Answer call from Bob"');
    expect(out).toContain('aria-label="Reject call from Bob"');
    expect(out).toMatch(/<audio class="ringtone" src="\/assets\/ringtone.wav" autoplay="" loop=""/i);
    expect(text(el)).toContain('Incoming call Bob sip:bob@127.0.0.1 Answer Reject');
  });

  it('says that answering holds the current call, and shows a verified caller', () => {
    const el = <IncomingCall call={call} verified={true} inAnotherCall={true} ringtoneUrl="" busy={false} onAnswer={noop} onReject={noop} />;
    expect(text(el)).toContain('Verified');
    expect(text(el)).toContain('Answering puts your current call on hold.');
    expect(html(el)).not.toContain('<audio');
  });
});
