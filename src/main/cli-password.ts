// Where the CLI takes the SIP password from without putting it on a command line: every local
// user reads a process's arguments (`ps`, /proc/PID/cmdline). In order: --password-file FILE,
// --password P (kept for scripts, with a warning), VOUCH_PASSWORD, and a prompt without echo
// when stdin is a terminal and the account has none stored.
import { readFileSync, statSync } from 'node:fs';
import { argValue } from './options';

export const PASSWORD_ARG_WARNING = 'vouch: --password is visible to other users in ps; use VOUCH_PASSWORD or --password-file';

/** Settings refuse longer passwords (store/settings.ts). */
const MAX_PASSWORD = 1024;

export interface PasswordInput {
  env: NodeJS.ProcessEnv;
  /** True when a server is given and no password is stored: only then is a prompt worth it. */
  needed: boolean;
  /** Asks on the terminal; undefined when stdin is not one. */
  prompt?: () => Promise<string>;
  /** Hears of a password file others can read. (--password itself: PASSWORD_ARG_WARNING, said by main.) */
  warn: (line: string) => void;
}

export class PasswordError extends Error {}

/**
 * A secret from a file named on the command line (`flag` names the option in messages): at most
 * 1024 bytes, a warning when others can read it, one trailing line break dropped.
 */
export function readSecretFile(path: string, warn: (line: string) => void, flag = 'password-file'): string {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_PASSWORD + 2) throw new PasswordError(`--${flag} ${path}: not a file of at most ${MAX_PASSWORD} bytes`);
    // Like ssh with its keys: say so when others can read the secret.
    if ((st.mode & 0o077) !== 0) warn(`vouch: ${path} can be read by other users; chmod 600 it`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof PasswordError) throw e;
    throw new PasswordError(`--${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // One trailing line break is the file's, not the password's (echo pw > file).
  return text.replace(/\r?\n$/, '');
}

/** The password to store for the account, or undefined to keep the stored one. */
export async function cliPassword(argv: readonly string[], input: PasswordInput): Promise<string | undefined> {
  const file = argValue(argv, 'password-file');
  const arg = argValue(argv, 'password');
  let password: string | undefined;
  if (file !== undefined) password = readSecretFile(file, input.warn);
  else if (arg !== undefined) password = arg;
  else if (input.env.VOUCH_PASSWORD !== undefined) password = input.env.VOUCH_PASSWORD;
  else if (input.needed && input.prompt) password = await input.prompt();
  if (password !== undefined && password.length > MAX_PASSWORD) throw new PasswordError(`the password is longer than ${MAX_PASSWORD} characters`);
  return password;
}

/**
 * Reads one line from a terminal in raw mode, echoing nothing. Enter ends it, Backspace removes a
 * character, Ctrl-C or Ctrl-D on an empty line cancels.
 */
export function promptHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || (ch === '\u0004' && value !== '')) {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new PasswordError('no password entered'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (value.length <= MAX_PASSWORD) value += ch;
      }
    };
    // Echo off before the question shows: whatever is typed after it never appears.
    input.setRawMode(true);
    output.write(question);
    input.on('data', onData);
    input.resume();
  });
}
