#!/usr/bin/env node
// `npm run test:soak`: the whole suite (`npm test`) SOAK_RUNS times in a row (default 5), each run
// under background load from Debian's `stress` (CPU, I/O and memory pressure), to catch tests that
// pass only on an idle machine (issue 22: "CI that cannot hide a flake"; 0 failures is the bar).
// Prints one JSON line per run and a summary line; exits 1 if any run had a failure.
// Not part of .ci/run (it takes about an hour).
//   SOAK_RUNS=N            number of runs (default 5)
//   SOAK_STRESS="ARGS"     stress's load arguments (default: --cpu 2 --io 1 --vm 1 --vm-bytes 256M)
//   --dry-run              (first) print the plan as JSON and exit without running anything
//   CMD ARGS...            run CMD instead of `npm test`: `npm run test:soak -- npx vitest run test/interop/ports.test.ts`
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

// `npm run test:soak -- npx vitest run X` arrives here without its `--` (npm takes it).
const argv = process.argv.slice(2);
const dryRun = argv[0] === '--dry-run';
const rest = argv.slice(dryRun ? 1 : 0);
const given = rest[0] === '--' ? rest.slice(1) : rest;
const command = given.length > 0 ? given : ['npm', 'test'];
const runs = Number(process.env.SOAK_RUNS ?? 5);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`test:soak: SOAK_RUNS must be a positive integer, not ${JSON.stringify(process.env.SOAK_RUNS)}`);
  process.exit(2);
}
const stressArgs = (process.env.SOAK_STRESS ?? '--cpu 2 --io 1 --vm 1 --vm-bytes 256M').split(/\s+/).filter(Boolean);
// stress stops by itself after this long even if this script is killed with SIGKILL and cannot
// stop it (one run of `npm test` takes about 10 minutes here).
const STRESS_TIMEOUT_S = 3600;
// Not under test-results/: Playwright empties that folder when it starts, logs and all.
const outDir = 'soak-results';

function which(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const stressBin = which('stress');
const plan = { runs, command, stress: [stressBin ?? 'stress', ...stressArgs, '--timeout', `${STRESS_TIMEOUT_S}s`], logs: outDir };
if (dryRun) {
  console.log(JSON.stringify({ dryRun: true, ...plan, stressFound: Boolean(stressBin) }));
  process.exit(0);
}
if (!stressBin) {
  console.error('test:soak: `stress` not found: apt-get install stress (a soak without load proves nothing)');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

/** Starts stress in its own process group, so stopping it stops its workers too. */
function startStress() {
  const child = spawn(stressBin, [...stressArgs, '--timeout', `${STRESS_TIMEOUT_S}s`], { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // the group is gone already
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

let stress;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    void (stress?.stop() ?? Promise.resolve()).then(() => process.exit(130));
  });
}

/** A report written since `since` (ms): an older one belongs to an earlier run or command. */
function readJson(path, since) {
  try {
    if (statSync(path).mtimeMs < since) return undefined;
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Names of the failed tests in the reports `npm test` leaves (scripts/test.mjs), best effort. */
function failedTestNames(since) {
  const names = [];
  const vitest = readJson('test-results/vitest.json', since);
  for (const file of vitest?.testResults ?? []) {
    const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failed) names.push(`${file.name.replace(`${process.cwd()}/`, '')} > ${a.fullName}`);
    if (file.status === 'failed' && failed.length === 0) names.push(`${file.name.replace(`${process.cwd()}/`, '')} (did not load)`);
  }
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) if (t.status === 'unexpected' || t.status === 'flaky') names.push(`${spec.file ?? file} > ${spec.title} (${t.status})`);
    for (const s of suite.suites ?? []) walk(s, suite.file ?? file);
  };
  for (const s of readJson('test-results/e2e-report.json', since)?.suites ?? []) walk(s, s.file);
  return names;
}

/** Passed/failed/skipped from the output: scripts/test.mjs's last line, else vitest's "Tests" line. */
function parseCounts(output) {
  const total = [...output.matchAll(/^(\d+) passed, (\d+) failed, (\d+) skipped$/gm)].at(-1);
  if (total) return { passed: Number(total[1]), failed: Number(total[2]), skipped: Number(total[3]) };
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const tests = [...plain.matchAll(/^\s*Tests\s+(.*)$/gm)].at(-1);
  if (!tests) return undefined;
  const count = (word) => Number(tests[1].match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

async function runOnce(n) {
  const log = join(outDir, `run-${n}.log`);
  const file = createWriteStream(log);
  const load = loadavg()[0];
  stress = startStress();
  const t0 = Date.now();
  let output = '';
  const code = await new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const onData = (stream) => (d) => {
      stream.write(d);
      file.write(d);
      output = (output + d.toString()).slice(-200_000);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  const seconds = (Date.now() - t0) / 1000;
  const loadDuring = loadavg()[0];
  await stress.stop();
  await new Promise((r) => file.end(r));
  const counts = parseCounts(output);
  // A run that exits non-zero fails even when no test count says so (a stage that did not start).
  const failed = Math.max(counts?.failed ?? 0, code === 0 ? 0 : 1);
  const failedTests = failedTestNames(t0);
  for (const report of ['vitest.json', 'e2e-report.json']) {
    if (readJson(join('test-results', report), t0)) {
      mkdirSync(outDir, { recursive: true });
      copyFileSync(join('test-results', report), join(outDir, `run-${n}-${report}`));
    }
  }
  return { run: n, exit: code, passed: counts?.passed ?? 0, failed, skipped: counts?.skipped ?? 0, seconds: Number(seconds.toFixed(1)), loadBefore: Number(load.toFixed(2)), loadAtEnd: Number(loadDuring.toFixed(2)), failedTests, log };
}

const results = [];
console.log(`test:soak: ${runs} run(s) of \`${command.join(' ')}\` under \`stress ${stressArgs.join(' ')}\`; logs in ${outDir}/`);
for (let n = 1; n <= runs; n++) {
  const r = await runOnce(n);
  results.push(r);
  console.log(JSON.stringify(r));
}
const failures = results.reduce((a, r) => a + r.failed, 0);
const summary = { summary: true, runs, command: command.join(' '), stress: stressArgs.join(' '), failedRuns: results.filter((r) => r.failed > 0).length, failures, failuresPerRun: results.map((r) => r.failed), seconds: Number(results.reduce((a, r) => a + r.seconds, 0).toFixed(1)) };
console.log('\n=== soak summary');
for (const r of results) console.log(`run ${r.run}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped in ${r.seconds} s${r.failedTests.length ? `: ${r.failedTests.join('; ')}` : ''}`);
console.log(JSON.stringify(summary));
process.exit(failures === 0 ? 0 : 1);
