// `--help` and `--version` for every entry point, answered before anything else runs: no data
// dir, no ZRTP identity, no socket, no window.

import { VOUCH_VERSION } from './version';

export type EarlyAnswer = { exitCode: number; text: string } | undefined;

/** What to print and the exit code when argv asks for help or the version; undefined otherwise. */
export function earlyAnswer(argv: readonly string[], usage: string): EarlyAnswer {
  // Arguments after `--` belong to someone else (e.g. a SIP URI starting with dashes).
  const end = argv.indexOf('--');
  const own = end === -1 ? argv : argv.slice(0, end);
  if (own.includes('--help') || own.includes('-h')) return { exitCode: 0, text: usage };
  if (own.includes('--version') || own.includes('-v')) return { exitCode: 0, text: JSON.stringify({ event: 'version', version: VOUCH_VERSION }) + '\n' };
  return undefined;
}

/** Prints the early answer to stdout and exits, or returns when there is none. */
export function answerEarly(argv: readonly string[], usage: string): void {
  const answer = earlyAnswer(argv, usage);
  if (!answer) return;
  process.stdout.write(answer.text);
  process.exit(answer.exitCode);
}
