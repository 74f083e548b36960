import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';

const tierUp = new URL('./tier-up.ts', import.meta.url).href;

/**
 * Runs a small function `calls` times in a fresh Node (tsx for the TypeScript import), with or
 * without tierUpMediaPath() first, and says whether V8 optimized it or queued it for optimizing
 * (%GetOptimizationStatus bits: optimized 1<<4, marked 1<<8 and 1<<9, compiling 1<<10).
 */
function optimizedAfter(calls: number, lowered: boolean): boolean {
  const code = `
    import { tierUpMediaPath } from ${JSON.stringify(tierUp)};
    if (${lowered}) tierUpMediaPath();
    function packetLike(a, i) { a[i & 7] = (a[(i + 1) & 7] ^ i) & 0xff; return a[i & 7]; }
    const a = new Uint8Array(8);
    let s = 0;
    for (let i = 0; i < ${calls}; i++) s += packetLike(a, i);
    const status = %GetOptimizationStatus(packetLike);
    process.stdout.write(String((status & ((1 << 4) | (1 << 8) | (1 << 9) | (1 << 10))) !== 0));
  `;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  return out.trim() === 'true';
}

describe('tierUpMediaPath', () => {
  it('gets a function called a few hundred times optimized, which V8 left unoptimized before', () => {
    // ~40 bytecodes a call: 1000 calls are ~10 budgets of 4 KB, well under one of V8's 66 KB.
    expect(optimizedAfter(1000, false)).toBe(false);
    expect(optimizedAfter(1000, true)).toBe(true);
  }, 30_000);
});
