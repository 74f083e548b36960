#!/usr/bin/env node
// `npm start`: build, then open the Electron app when its binary is present (fetching it first
// when the network allows), otherwise the browser shell. Says which it opened and why.
// `npm start -- --shell=browser` forces the browser shell; other arguments go to the app
// (e.g. `--data-dir DIR`).
import { spawnSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { electronBinary } from './electron-binary.mjs';

const args = process.argv.slice(2);
const forceBrowser = args.includes('--shell=browser');
const forceElectron = args.includes('--shell=electron');
const appArgs = args.filter((a) => !a.startsWith('--shell='));

// --help/--version answer without building or starting anything.
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm start -- [--shell=browser|--shell=electron] [app options]
Builds Vouch and opens the Electron app when its binary is present, otherwise the browser shell.
app options: --data-dir DIR (also VOUCH_DATA_DIR); the browser shell also takes --port, --host,
--sip-port, --no-open (node out/main/browser.js --help).`);
  process.exit(0);
}
if (args.includes('--version') || args.includes('-v')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  console.log(JSON.stringify({ event: 'version', version }));
  process.exit(0);
}

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let exe = forceBrowser ? undefined : electronBinary();
let why = forceBrowser ? '--shell=browser was given' : '';
if (!exe && !forceBrowser) {
  console.log('vouch: the Electron binary is not installed; trying `npx install-electron` (needs the network)…');
  const r = spawnSync('npx', ['install-electron'], { stdio: 'inherit', timeout: 120_000 });
  exe = electronBinary();
  if (!exe) why = `the Electron binary could not be fetched (install-electron exit ${r.status ?? r.signal ?? r.error?.message})`;
}

if (exe) {
  console.log(`vouch: opening the Electron app (${exe})`);
  const child = spawn(exe, ['.', ...appArgs], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (forceElectron) {
    console.error(`vouch: --shell=electron, but ${why}`);
    process.exit(1);
  }
  console.log(`vouch: opening the browser shell, because ${why}`);
  const child = spawn(process.execPath, ['out/main/browser.js', ...appArgs], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
