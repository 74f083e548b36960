// `vouch`: the headless front end on AppCore. JSON lines on stdout, one object per event, so
// scripts and tests can read it. Exit codes say how a command ended.

import { AppCore } from './core/app-core';
import { resolveDataDir } from './options';
import { VOUCH_VERSION } from './version';

const USAGE = `usage: vouch [--data-dir DIR] <command>
commands:
  --version        print the version
  ping             round trip through a media worker thread
`;

export const EXIT = { ok: 0, usage: 64, failed: 1 } as const;

function out(obj: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--version') || argv.includes('-v')) {
    out({ event: 'version', version: VOUCH_VERSION });
    return EXIT.ok;
  }
  const positional = argv.filter((a, i) => !a.startsWith('--') && !(argv[i - 1] ?? '').match(/^--(data-dir)$/));
  const command = positional[0];
  if (!command || command === 'help') {
    process.stderr.write(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  const dataDir = resolveDataDir(argv);
  switch (command) {
    case 'ping': {
      const core = new AppCore({ dataDir });
      try {
        const r = await core.invoke('ping', {});
        out({ event: 'pong', roundTripMs: Number(r.roundTripMs.toFixed(3)), workerThreadId: r.workerThreadId, workerPid: r.workerPid });
        return EXIT.ok;
      } catch (e) {
        out({ event: 'error', message: (e as Error).message });
        return EXIT.failed;
      } finally {
        await core.close();
      }
    }
    default:
      process.stderr.write(`vouch: unknown command '${command}'\n${USAGE}`);
      return EXIT.usage;
  }
}

