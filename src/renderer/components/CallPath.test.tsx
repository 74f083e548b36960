// The call's path in words and its round trip.
import { describe, expect, it } from 'vitest';
import { CallPath } from './CallPath';
import { InCall } from './InCall';
import { html, noop, text } from './render';
import { callInfo } from '../state/fixtures';

describe('call path', () => {
  it.each([
    ['host', 'Path: Direct · round trip 12 ms'],
    ['srflx', "Path: Through your router's public address · round trip 12 ms"],
    ['prflx', "Path: Through your router's public address · round trip 12 ms"],
    ['relay', 'Path: Through a relay (TURN) · round trip 12 ms'],
  ] as const)('%s reads "%s"', (kind, words) => {
    expect(text(<CallPath path={{ kind, rttMs: 12.4 }} />)).toBe(words);
  });

  it('without a round trip yet, only the path; without a path, nothing', () => {
    expect(text(<CallPath path={{ kind: 'relay' }} />)).toBe('Path: Through a relay (TURN)');
    expect(html(<CallPath path={undefined} />)).toBe('');
  });

  it('shows in the call', () => {
    const props = { stateLine: 'Secure', verified: false, elapsedSeconds: 5, levels: { microphone: 0, speaker: 0 }, keypadOpen: false, dtmfSent: '', dtmfReceived: '', busy: false, onMute: noop, onHold: noop, onToggleKeypad: noop, onDtmf: noop, onHangup: noop };
    expect(html(<InCall {...props} call={callInfo({ state: 'connected', path: { kind: 'relay', rttMs: 48 } })} />)).toContain('<p class="call-path" data-kind="relay">');
    expect(html(<InCall {...props} call={callInfo({ state: 'connected' })} />)).not.toContain('call-path');
  });
});
