import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { controlsVisible, cornerNear, initials, nextCorner, shortcutFor, type KeyPress } from './call-stage';

const key = (k: string, patch: Partial<KeyPress> = {}): KeyPress => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, targetTag: 'BODY', targetEditable: false, ...patch });

describe('call stage', () => {
  it('M, V, H are the shortcuts, either case, outside text fields, never with a modifier', () => {
    expect(shortcutFor(key('m'))).toBe('mute');
    expect(shortcutFor(key('V'))).toBe('video');
    expect(shortcutFor(key('h', { targetTag: 'BUTTON' }))).toBe('hangup');
    expect(shortcutFor(key('h', { targetTag: 'INPUT' }))).toBeNull();
    expect(shortcutFor(key('m', { targetTag: 'TEXTAREA' }))).toBeNull();
    expect(shortcutFor(key('m', { targetTag: 'DIV', targetEditable: true }))).toBeNull();
    expect(shortcutFor(key('v', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('x'))).toBeNull();
  });

  it('arrow keys move the self view between corners, any sequence stays a corner', () => {
    expect(nextCorner('bottom-right', 'ArrowUp')).toBe('top-right');
    expect(nextCorner('top-right', 'ArrowLeft')).toBe('top-left');
    expect(nextCorner('top-left', 'Enter')).toBe('top-left');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'a')), (keys) => {
        const end = keys.reduce(nextCorner, 'bottom-right' as const as ReturnType<typeof nextCorner>);
        expect(['top-left', 'top-right', 'bottom-left', 'bottom-right']).toContain(end);
      }),
    );
    expect(cornerNear(0.1, 0.9)).toBe('bottom-left');
    expect(cornerNear(0.8, 0.2)).toBe('top-right');
  });

  it('the control bar hides after 3 s of rest over video, never with focus inside or on audio-only calls', () => {
    expect(controlsVisible({ now: 2000, lastActivity: 0, focusInside: false, videoShown: true })).toBe(true);
    expect(controlsVisible({ now: 3000, lastActivity: 0, focusInside: false, videoShown: true })).toBe(false);
    expect(controlsVisible({ now: 9000, lastActivity: 0, focusInside: true, videoShown: true })).toBe(true);
    expect(controlsVisible({ now: 9000, lastActivity: 0, focusInside: false, videoShown: false })).toBe(true);
  });

  it('avatar initials from a name or a bare address', () => {
    expect(initials('Bob Smith')).toBe('BS');
    expect(initials('sip:carol@127.0.0.1')).toBe('C');
    expect(initials('Émile')).toBe('É');
    expect(initials('')).toBe('');
  });
});
