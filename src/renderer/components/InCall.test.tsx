import { describe, it, expect } from 'vitest';
import { InCall, type InCallProps } from './InCall';
import { DtmfKeypad } from './DtmfKeypad';
import { html, noop, text } from './render';
import { callInfo } from '../state/fixtures';

function props(patch: Partial<InCallProps> = {}): InCallProps {
  return {
    call: callInfo(),
    stateLine: 'Secure',
    verified: false,
    elapsedSeconds: 65,
    levels: { microphone: 0.5, speaker: 0.25 },
    keypadOpen: false,
    dtmfSent: '',
    dtmfReceived: '',
    busy: false,
    onMute: noop,
    onHold: noop,
    onToggleKeypad: noop,
    onDtmf: noop,
    onHangup: noop,
    ...patch,
  };
}

describe('InCall', () => {
  it('shows the state line as a live region, the timer and the controls', () => {
    const out = html(<InCall {...props()} />);
    expect(out).toContain('role="status" aria-live="polite" aria-label="Call state" data-testid="call-state">Secure</p>');
    expect(out).toContain('<time aria-label="Call duration">01:05</time>');
    expect(out).toMatch(/<button type="button" aria-pressed="false">Mute<\/button>/);
    expect(out).toMatch(/<button type="button" aria-pressed="false">Hold<\/button>/);
    expect(out).toContain('aria-label="Hang up call with Bob"');
  });

  it('shows audio level meters, the microphone at zero while muted', () => {
    expect(html(<InCall {...props()} />)).toMatch(/<meter aria-label="Your microphone"[^>]*value="0.5"/);
    expect(html(<InCall {...props()} />)).toMatch(/<meter aria-label="Bob&#x27;s audio"[^>]*value="0.25"/);
    const muted = html(<InCall {...props({ call: callInfo({ muted: true, held: true }) })} />);
    expect(muted).toMatch(/<meter aria-label="Your microphone"[^>]*value="0"/);
    expect(muted).toContain('>Unmute</button>');
    expect(muted).toContain('>Resume</button>');
  });

  it('before the call is up the timer waits and mute/hold are disabled', () => {
    const out = html(<InCall {...props({ call: callInfo({ state: 'ringing' }), stateLine: 'Ringing…', elapsedSeconds: null })} />);
    expect(out).toContain('>--:--</time>');
    expect(out).toMatch(/aria-pressed="false" disabled="">Mute/);
    expect(out).toContain('Ringing…');
  });

  it('opens a labelled DTMF keypad and shows digits sent and received', () => {
    const el = <InCall {...props({ keypadOpen: true, dtmfSent: '12#', dtmfReceived: '5' })} />;
    const out = html(el);
    expect(out).toContain('aria-label="Send 1"');
    expect(out).toContain('aria-label="Send star"');
    expect(out).toContain('aria-label="Send pound"');
    expect(out).toContain('aria-label="Digits sent">12#</output>');
    expect(text(el)).toContain('Bob pressed 5');
    expect(html(<DtmfKeypad disabled={false} sent="" onDigit={noop} />).match(/<button/g)).toHaveLength(12);
  });
});
