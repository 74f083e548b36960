#!/usr/bin/env node
// `npm start`: build, then open the Electron app when its binary is present (fetching it first
// when the network allows), otherwise the browser shell. Says which it opened and why.
// `npm start -- --shell=browser` forces the browser shell; other arguments go to the app
// (e.g. `--data-dir DIR`).
import { spawnSync, spawn } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

const args = process.argv.slice(2);
const forceBrowser = args.includes('--shell=browser');
const forceElectron = args.includes('--shell=electron');
const appArgs = args.filter((a) => !a.startsWith('--shell='));

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
