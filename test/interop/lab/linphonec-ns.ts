// linphonec (Debian linphone-cli) inside a lab namespace, driven on stdin, with its debug log
// (-d 6) kept for the report: for the ICE lab tests and the bad-network bench.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, Role } from './lab';
import { writeLinphonecRc, type LinphonecRcDir } from '../linphone/linphonec-ice';

export type LinphonecNs = ReturnType<typeof startLinphonec>;

/**
 * linphonec in a lab namespace, driven on stdin; its debug log (-d 6) kept for the report. `rc`:
 * the rc's lines (written to a fresh 0700 dir) or a dir already written.
 */
export function startLinphonec(lab: Lab, rc: string[] | LinphonecRcDir, role: Role = 'ha', autoAnswer = true) {
  const files = Array.isArray(rc) ? writeLinphonecRc(rc) : rc;
  const logPath = join(files.dir, 'linphone.log');
  // `ip netns exec` execs linphonec in place, so this pid is linphonec's.
  const lp = spawn('ip', ['netns', 'exec', lab.ns(role), 'linphonec', '-c', files.rc, ...(autoAnswer ? ['-a'] : []), '-d', '6', '-l', logPath], {
    env: { ...process.env, HOME: files.home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  lp.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  lp.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<void>((r) => lp.once('exit', () => r()));
  const log = (): string => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  return {
    dir: files.dir,
    output: () => out,
    log,
    command: (line: string) => lp.stdin.write(line + '\n'),
    /** The first match of `pattern` in stdout (or in the debug log: `inLog`) within `ms`. */
    async waitFor(pattern: RegExp, ms: number, inLog = false): Promise<RegExpMatchArray> {
      const end = Date.now() + ms;
      for (;;) {
        const m = (inLog ? log() : out).match(pattern);
        if (m) return m;
        if (Date.now() > end) {
          const ice = log().split('\n').filter((l) => /ice|turn|stun|candidate|zrtp|regist/i.test(l)).slice(-60).join('\n');
          throw new Error(`linphonec: no ${pattern} within ${ms} ms; stdout:\n${out.slice(-1500)}\nlog (ICE/TURN/ZRTP):\n${ice}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(): Promise<void> {
      if (lp.exitCode === null && lp.signalCode === null) {
        lp.stdin.write('quit\n');
        const killer = setTimeout(() => lp.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

