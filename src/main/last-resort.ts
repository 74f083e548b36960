// The last line of defence of every entry point (Electron, browser shell, CLI): a throw or a
// rejected promise nobody handled is logged and counted, and the process goes on, so the calls
// it carries keep running. Node's default (print and exit 1) would end every call at once for
// one bad handler. Handlers nearer the cause still turn their failures into a 4xx or a closed
// connection; this only catches what slipped past them.

export interface LastResortCounts {
  uncaughtException: number;
  unhandledRejection: number;
}

export const lastResortCounts: LastResortCounts = { uncaughtException: 0, unhandledRejection: 0 };

let installed = false;

/** One line, no stack beyond the first frame: enough to find the handler, never a dump of state. */
function describe(e: unknown): string {
  if (e instanceof Error) {
    const at = e.stack?.split('\n').find((l) => l.trimStart().startsWith('at '))?.trim();
    return `${e.name}: ${e.message}${at ? ` (${at})` : ''}`;
  }
  return String(e);
}

/** Installs the handlers once per process; `log` gets one line per event (default: stderr). */
export function installLastResort(log: (line: string) => void = (line) => process.stderr.write(line + '\n')): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (e) => {
    lastResortCounts.uncaughtException++;
    log(`vouch: uncaught exception #${lastResortCounts.uncaughtException}, still running: ${describe(e)}`);
  });
  process.on('unhandledRejection', (reason) => {
    lastResortCounts.unhandledRejection++;
    log(`vouch: unhandled rejection #${lastResortCounts.unhandledRejection}, still running: ${describe(reason)}`);
  });
}
