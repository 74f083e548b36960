// Runs sipp (Debian sip-tester) for a bounded time and reports its exit code and error log.
// sipp exits 0 when every call of the scenario succeeded, 1 when some failed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCENARIOS = new URL('.', import.meta.url).pathname;

export interface SippResult {
  code: number | null;
  errors: string;
  /** Every message sipp sent and received (its -trace_msg log). */
  messages: string;
  stdout: string;
}

export interface SippProcess {
  done: Promise<SippResult>;
  kill(): void;
}

export function runSipp(bin: string, args: string[], timeoutMs = 15000): SippProcess {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-sipp-'));
  const errorFile = join(dir, 'errors.log');
  const messageFile = join(dir, 'messages.log');
  const child = spawn(bin, [...args, '-i', '127.0.0.1', '-nostdin', '-trace_err', '-error_file', errorFile, '-trace_msg', '-message_file', messageFile, '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-timeout_error'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: dir,
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString('latin1')).slice(-20000)));
  child.stderr.on('data', (d: Buffer) => (stdout = (stdout + d.toString('latin1')).slice(-20000)));
  const killTimer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 3000);
  const done = new Promise<SippResult>((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killTimer);
      const read = (file: string): string => {
        try {
          return readFileSync(file, 'latin1');
        } catch {
          return ''; // sipp writes no file when there is nothing to log
        }
      };
      const errors = read(errorFile);
      const messages = read(messageFile);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, errors, messages, stdout });
    });
  });
  return {
    done,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
