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

  it('one control bar: mute, Add video, hold, dial pad, devices, hang up, in that order', () => {
    const out = html(<InCall {...props({ canAddVideo: true })} />);
    expect(out).toContain('role="toolbar" aria-label="Call controls" data-hidden="false"');
    const names = [...out.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map((m) => m[1]);
    expect(names).toEqual(['Mute', 'Add video', 'Hold', 'Dial pad', 'Devices', 'Hang up']);
    expect(html(<InCall {...props({ call: callInfo({ video: { local: 'adding', remote: 'off', declinedByPeer: false } }) })} />)).toContain('>Stop video</button>');
    expect(html(<InCall {...props({ controlsHidden: true })} />)).toContain('data-hidden="true"');
  });

  it('audio-only: the peer\'s initials, name and a large level meter on the stage', () => {
    const out = html(<InCall {...props({ call: callInfo({ remoteName: 'Bob Smith' }) })} />);
    expect(out).toContain('<span class="avatar" aria-hidden="true">BS</span>');
    expect(out).toMatch(/class="levels large"><div class="level-meter"><span class="level-label">Bob Smith&#x27;s audio/);
    const video = html(<InCall {...props({ video: { local: 'on', remote: 'on' } })} />);
    expect(video).not.toContain('class="avatar"');
    expect(video).toContain('data-video="on"');
  });

  it('says "Adding video…" and a decline in a live region', () => {
    expect(text(<InCall {...props({ video: { local: 'adding', remote: 'off' }, call: callInfo({ video: { local: 'on', remote: 'on', declinedByPeer: false } }) })} />)).toContain('Adding video…');
    expect(text(<InCall {...props({ call: callInfo({ video: { local: 'off', remote: 'off', declinedByPeer: true } }) })} />)).toContain('Bob declined video.');
  });

  it('the SAS goes on the stage inside a live region that exists before it does', () => {
    expect(html(<InCall {...props()} />)).toContain('<div class="stage-security" aria-live="polite"></div>');
    expect(html(<InCall {...props({ security: <p>K7XQ</p> })} />)).toContain('<div class="stage-security" aria-live="polite"><p>K7XQ</p></div>');
  });

  it('documents the M/V/H shortcuts when on, with a switch to turn them off', () => {
    const on = <InCall {...props({ shortcutsOn: true })} />;
    expect(text(on)).toContain('M mute or unmute · V add or stop video · H hang up (not while typing in a field)');
    expect(html(on)).toContain('aria-keyshortcuts="M"');
    expect(html(on)).toContain('aria-keyshortcuts="H"');
    const off = <InCall {...props({ shortcutsOn: false })} />;
    expect(text(off)).not.toContain('H hang up');
    expect(html(off)).not.toContain('aria-keyshortcuts');
    expect(html(off)).toMatch(/<input type="checkbox"\/> Keyboard shortcuts/);
  });
});
