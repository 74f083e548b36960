// The call stage's small decisions, pure so they are tested without a DOM: which keyboard
// shortcut a key press is, where the self view goes when moved by keyboard, when the control bar
// hides, and the avatar initials of an audio-only call.

export type CallShortcut = 'mute' | 'video' | 'hangup';

/** The documented shortcuts, for the help line and aria-keyshortcuts. */
export const CALL_SHORTCUTS: readonly { key: string; action: CallShortcut; label: string }[] = [
  { key: 'M', action: 'mute', label: 'mute or unmute' },
  { key: 'V', action: 'video', label: 'add or stop video' },
  { key: 'H', action: 'hangup', label: 'hang up' },
];

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The focused element's tag name (upper case, as the DOM gives it) and whether it is editable. */
  targetTag: string;
  targetEditable: boolean;
}

/**
 * A call shortcut, or null: only plain M/V/H, never with a modifier (Ctrl+V pastes), and never
 * while focus is in a text field, where the letter is typing.
 */
export function shortcutFor(k: KeyPress): CallShortcut | null {
  if (k.ctrlKey || k.metaKey || k.altKey) return null;
  if (k.targetEditable || k.targetTag === 'INPUT' || k.targetTag === 'TEXTAREA' || k.targetTag === 'SELECT') return null;
  const hit = CALL_SHORTCUTS.find((s) => s.key === k.key.toUpperCase());
  return hit ? hit.action : null;
}

export type PipCorner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/** Arrow keys move the self view between the four corners; other keys leave it. */
export function nextCorner(corner: PipCorner, key: string): PipCorner {
  const [v, h] = corner.split('-') as ['top' | 'bottom', 'left' | 'right'];
  if (key === 'ArrowUp') return `top-${h}`;
  if (key === 'ArrowDown') return `bottom-${h}`;
  if (key === 'ArrowLeft') return `${v}-left`;
  if (key === 'ArrowRight') return `${v}-right`;
  return corner;
}

/** The corner nearest to where a drag let go, as fractions (0..1) of the stage. */
export function cornerNear(x: number, y: number): PipCorner {
  return `${y < 0.5 ? 'top' : 'bottom'}-${x < 0.5 ? 'left' : 'right'}`;
}

export const CONTROLS_HIDE_AFTER_MS = 3000;

/**
 * The control bar shows after pointer movement for a while, always while focus is inside the
 * stage's controls, and always when there is no video to uncover (audio-only calls).
 */
export function controlsVisible(o: { now: number; lastActivity: number; focusInside: boolean; videoShown: boolean }): boolean {
  if (!o.videoShown || o.focusInside) return true;
  return o.now - o.lastActivity < CONTROLS_HIDE_AFTER_MS;
}

/** "Bob Smith" → "BS", "sip:carol@host" → "C". */
export function initials(name: string): string {
  const bare = name.replace(/^sips?:/i, '').replace(/@.*$/, '');
  const words = bare.split(/[\s._-]+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  return words
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase() ?? '')
    .join('');
}
