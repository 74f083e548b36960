// The built browser shell (node out/main/browser.js) as a throwaway instance: its own data dir,
// removed by stop(). Built on peers/app-instance.ts, which keeps the data dir for restarts.
import { test } from '@playwright/test';
import { removeDataDir, startApp } from './peers/app-instance';
import { artifactsDir } from './ui-helpers';

export interface RunningShell {
  url: string;
  origin: string;
  token: string;
  /** The UDP port it listens on for SIP, so another instance can call it over loopback. */
  sipPort: number;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startShell(): Promise<RunningShell> {
  const app = await startApp();
  const u = new URL(app.url);
  return {
    url: app.url,
    origin: u.origin,
    token: new URLSearchParams(u.hash.slice(1)).get('token') ?? '',
    sipPort: app.sipPort,
    dataDir: app.dataDir,
    stop: async () => {
      await app.stop();
      removeDataDir(app.dataDir);
    },
  };
}

/** One shell for the whole spec file (started in beforeAll, stopped in afterAll); call the result inside tests. */
export function shellPerFile(): () => RunningShell {
  let shell: RunningShell | undefined;
  test.beforeAll(async () => {
    shell = await startShell();
    artifactsDir();
  });
  test.afterAll(async () => {
    await shell?.stop();
  });
  return () => {
    if (!shell) throw new Error('the shell did not start (see beforeAll)');
    return shell;
  };
}

/** Two shells, Alice's and Bob's, for the whole spec file (started together in beforeAll). */
export function twoShellsPerFile(): { alice: () => RunningShell; bob: () => RunningShell } {
  let shells: [RunningShell, RunningShell] | undefined;
  test.beforeAll(async () => {
    shells = await Promise.all([startShell(), startShell()]);
    artifactsDir();
  });
  test.afterAll(async () => {
    await Promise.all((shells ?? []).map((s) => s.stop()));
  });
  const get = (i: 0 | 1) => (): RunningShell => {
    if (!shells) throw new Error('the shells did not start (see beforeAll)');
    return shells[i];
  };
  return { alice: get(0), bob: get(1) };
}
