// Verifying by voice, guided: each side speaks what the other must check. The caller reads the
// first half of the SAS aloud and listens for the second half; the callee the opposite (RFC 6189
// §7: B32 is four characters, so two each; B256 is two PGP words, one each). "Matches" then means
// both halves were heard, not merely seen on one's own screen.
import type { CallDirection, SasType } from '../../shared/api';

export interface SasHalves {
  /** What this user reads aloud. */
  say: string;
  /** What this user must hear from the other side. */
  hear: string;
}

function halvesOf(sas: string, sasType: SasType | ''): [string, string] {
  if (sasType === 'B256') {
    const words = sas.split(/\s+/).filter(Boolean);
    return [words[0] ?? '', words.slice(1).join(' ')];
  }
  const chars = sas.toUpperCase();
  const middle = Math.ceil(chars.length / 2);
  return [chars.slice(0, middle), chars.slice(middle)];
}

export function sasHalves(sas: string, sasType: SasType | '', direction: CallDirection): SasHalves {
  const [first, second] = halvesOf(sas, sasType);
  return direction === 'outgoing' ? { say: first, hear: second } : { say: second, hear: first };
}

// ITU/NATO spelling alphabet; digits spelled so "5" is not heard as "i".
const NATO: Record<string, string> = {
  A: 'Alfa', B: 'Bravo', C: 'Charlie', D: 'Delta', E: 'Echo', F: 'Foxtrot', G: 'Golf', H: 'Hotel',
  I: 'India', J: 'Juliett', K: 'Kilo', L: 'Lima', M: 'Mike', N: 'November', O: 'Oscar', P: 'Papa',
  Q: 'Quebec', R: 'Romeo', S: 'Sierra', T: 'Tango', U: 'Uniform', V: 'Victor', W: 'Whiskey',
  X: 'X-ray', Y: 'Yankee', Z: 'Zulu',
};
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** "T as in Tango", "7 (seven)": how to say one B32 character unmistakably. */
export function phoneticHint(c: string): string {
  const up = c.toUpperCase();
  if (/^[0-9]$/.test(up)) return `${up} (${DIGITS[Number(up)]})`;
  const word = NATO[up];
  return word ? `${up} as in ${word}` : up;
}

/** Hints for a half: one per B32 character; B256 words are already words. */
export function phoneticHints(half: string, sasType: SasType | ''): string[] {
  if (sasType === 'B256') return [];
  return [...half].map(phoneticHint);
}

/** What the system voice says for "How do I say it?": B32 with its spelling words. */
export function speakableHalf(half: string, sasType: SasType | ''): string {
  if (sasType === 'B256') return half;
  return [...half.toUpperCase()].map((c) => (/[0-9]/.test(c) ? DIGITS[Number(c)] : (NATO[c] ?? c))).join(', ');
}
