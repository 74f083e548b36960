#!/usr/bin/env node
// `npm test`: typecheck, lint, build, unit + interop tests (vitest), e2e (Playwright).
// Prints each suite's time and ends with one line summing them all: `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = [];
mkdirSync('test-results', { recursive: true });

function run(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = (Date.now() - t0) / 1000;
  console.log(`=== ${name}: exit ${r.status ?? r.signal} in ${seconds.toFixed(1)} s`);
  return { status: r.status ?? 1, seconds };
}

function check(name, cmd, args) {
  const r = run(name, cmd, args);
  results.push({ name, passed: r.status === 0 ? 1 : 0, failed: r.status === 0 ? 0 : 1, skipped: 0, seconds: r.seconds });
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const npx = 'npx';
check('typecheck', npx, ['tsc', '-p', 'tsconfig.json', '--noEmit']);
check('lint', npx, ['eslint', '.']);
check('build', npx, ['electron-vite', 'build']);

{
  const out = 'test-results/vitest.json';
  rmSync(out, { force: true });
  const r = run('unit + interop (vitest)', npx, ['vitest', 'run'], { VOUCH_TEST_JSON: out });
  const j = readJson(out);
  if (j) {
    const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
    // A suite that failed to load has no tests in the counts; count it as a failure.
    const brokenFiles = (j.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
    results.push({ name: 'vitest', passed: j.numPassedTests, failed: j.numFailedTests + brokenFiles, skipped, seconds: r.seconds });
  } else {
    results.push({ name: 'vitest', passed: 0, failed: 1, skipped: 0, seconds: r.seconds });
  }
}

{
  const out = 'test-results/e2e-report.json';
  rmSync(out, { force: true });
  const r = run('e2e (Playwright)', npx, ['playwright', 'test']);
  const j = readJson(out);
  if (j && j.stats) {
    const s = j.stats;
    results.push({ name: 'playwright', passed: s.expected ?? 0, failed: (s.unexpected ?? 0) + (s.flaky ?? 0), skipped: s.skipped ?? 0, seconds: r.seconds });
  } else {
    results.push({ name: 'playwright', passed: 0, failed: 1, skipped: 0, seconds: r.seconds });
  }
  if (r.status !== 0 && j && j.stats && (j.stats.unexpected ?? 0) === 0) results.at(-1).failed += 1;
}

console.log('\n=== summary');
for (const s of results) console.log(`${s.name.padEnd(12)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(3)} failed ${String(s.skipped).padStart(3)} skipped  ${s.seconds.toFixed(1)} s`);
const total = results.reduce((a, s) => ({ passed: a.passed + s.passed, failed: a.failed + s.failed, skipped: a.skipped + s.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed === 0 && existsSync('out/main/index.js') ? 0 : 1);
