// A peer program driven through its console (linphonec, baresip): commands go to stdin, its
// stdout and stderr are kept (bounded) so tests can wait for a line; stop() asks it to quit, kills
// it after 3 s, and removes its temp dir.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';

export class ConsolePeer {
  private out = '';
  private waiters: { re: RegExp; from: number; resolve: (m: RegExpMatchArray) => void }[] = [];
  private readonly exited: Promise<void>;

  protected constructor(
    /** Names the program in timeout messages. */
    private readonly name: string,
    /** The console command that makes it exit. */
    private readonly quitCommand: string,
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly dir: string,
    readonly uri: string,
  ) {
    const onData = (d: Buffer): void => {
      this.out += d.toString('utf8');
      if (this.out.length > 2_000_000) this.out = this.out.slice(-1_000_000);
      this.check();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    this.exited = new Promise((r) => child.on('exit', () => r()));
  }

  get output(): string {
    return this.out;
  }

  send(command: string): void {
    if (this.child.exitCode === null) this.child.stdin.write(`${command}\n`);
  }

  /** Resolves with the first match of `re` printed after `from` (an offset into output). */
  waitFor(re: RegExp, timeoutMs = 10000, from = 0): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`${this.name}: no ${re} within ${timeoutMs} ms; last output:\n${this.out.slice(-3000)}`));
      }, timeoutMs);
      const done = (m: RegExpMatchArray): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push({ re, from, resolve: done });
      this.check();
    });
  }

  private check(): void {
    for (const w of [...this.waiters]) {
      const m = this.out.slice(w.from).match(w.re);
      if (m) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(m);
      }
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.send(this.quitCommand);
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await this.exited;
      clearTimeout(killer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
