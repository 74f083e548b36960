// What the Electron spec needs before `_electron.launch`: the Electron binary, found without
// require('electron') (requiring it starts a download; see scripts/electron-binary.mjs), and a
// display (an Xvfb of our own on a Linux machine without one, as in CI).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../test/interop/peers';

export type Found<T> = { ok: true; value: T } | { ok: false; reason: string };

export function electronBinary(root = process.cwd()): Found<string> {
  const pathTxt = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathTxt)) return { ok: false, reason: `${pathTxt} is missing: the Electron binary was never fetched (npx install-electron)` };
  const exe = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(exe)) return { ok: false, reason: `${exe} (named by path.txt) is missing` };
  return { ok: true, value: exe };
}

export interface Display {
  /** DISPLAY for the Electron process (undefined: keep the environment's). */
  readonly display: string | undefined;
  stop(): Promise<void>;
}

/** The environment's display, else a private Xvfb (`-displayfd` picks a free display number). */
export async function ensureDisplay(): Promise<Found<Display>> {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return { ok: true, value: { display: undefined, stop: async () => undefined } };
  const xvfb = which('Xvfb');
  if (!xvfb) return { ok: false, reason: 'no display and no Xvfb (apt-get install xvfb)' };
  const child: ChildProcess = spawn(xvfb, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const number = await new Promise<string | undefined>((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(undefined), 10_000);
    child.stdio[3]!.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(text.trim());
      }
    });
    void exited.then(() => (clearTimeout(timer), resolve(undefined)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  if (!number) {
    await stop();
    return { ok: false, reason: 'Xvfb did not report a display within 10 s' };
  }
  return { ok: true, value: { display: `:${number}`, stop } };
}
