// The JSON event lines a `vouch` CLI prints ({"event":"security","state":"secure",...}), recorded
// as they arrive and awaitable by predicate: how every test that runs the CLI as a process reads
// it (vouch-process.ts, lab/vouch-ns.ts, e2e/peers/vouch-cli.ts).

export type Line = Record<string, unknown> & { event: string };

/** A printed line as an event; undefined when it is not JSON. */
export function parseLine(text: string): Line | undefined {
  try {
    return JSON.parse(text) as Line;
  } catch {
    return undefined;
  }
}

export interface NextFailure {
  /** The error when no line passed within the time given. */
  timeout(): Error;
  /** Resolves with the error to reject with early (the process is gone). */
  gone?: Promise<Error>;
}

export class LineLog {
  readonly lines: Line[] = [];
  /** clock() when each line arrived, by index. */
  readonly times: number[] = [];
  private readonly waiters: { pred: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  push(l: Line): void {
    this.lines.push(l);
    this.times.push(this.clock());
    for (const w of [...this.waiters]) {
      if (!w.pred(l)) continue;
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(l);
    }
  }

  /** The first line (seen or to come within `ms`) that passes `pred`. */
  next(pred: (l: Line) => boolean, ms: number, fail: NextFailure): Promise<Line> {
    const seen = this.lines.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(fail.timeout()), ms);
      void fail.gone?.then((e) => {
        clearTimeout(t);
        reject(e);
      });
      this.waiters.push({
        pred,
        resolve: (l) => {
          clearTimeout(t);
          resolve(l);
        },
      });
    });
  }
}
