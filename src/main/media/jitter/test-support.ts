// For tests only: playing an AudioJitterBuffer out as its audio device would, and recording what came out.
import type { AudioJitterBuffer } from './audio-jitter-buffer';

/**
 * Pops every 5 ms from `fromMs` to `untilMs`, recording each frame by its first payload byte (the
 * tests' packet id) and each loss as `lost(jb)` ('lost' unless a test wants more of it).
 */
export function drain(jb: AudioJitterBuffer, fromMs: number, untilMs: number, lost: (jb: AudioJitterBuffer) => string = () => 'lost'): string[] {
  const out: string[] = [];
  for (let t = fromMs; t <= untilMs; t += 5) {
    while (true) {
      const r = jb.pop(t);
      if (r === 'frame') out.push(String(jb.slab[jb.frameStart]));
      else if (r === 'lost') out.push(lost(jb));
      else break;
    }
  }
  return out;
}
