#!/usr/bin/env node
// `npm run test:hostile`: every test of what an attacker tries (issue 16) together. Vitest files
// and e2e specs whose names contain "hostile" (each slice names its own so), plus the entry
// points' --help test and the shell's app-frame spec. Builds first (the e2e specs run the built
// shell); runs both suites even when the first fails, and exits non-zero if either did.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => spawnSync('npx', [cmd, ...args], { stdio: 'inherit' }).status ?? 1;

if (run('electron-vite', ['build']) !== 0) process.exit(1);
const unit = run('vitest', ['run', 'hostile', 'src/main/entry-args.test.ts']);
const e2e = run('playwright', ['test', 'hostile', 'e2e/app-frame.spec.ts']);
console.log(`test:hostile: vitest ${unit === 0 ? 'passed' : 'FAILED'}, e2e ${e2e === 0 ? 'passed' : 'FAILED'}`);
process.exit(unit === 0 && e2e === 0 ? 0 : 1);
