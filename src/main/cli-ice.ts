// The CLI's ICE flags: `--stun HOST[:PORT]`, `--turn HOST[:PORT]` and `--turn-tcp HOST[:PORT]`
// (a TURN server reached over TCP, RFC 8656 §3.1) (each repeatable),
// `--turn-user U` with the TURN password from `--turn-password-file FILE` or VOUCH_TURN_PASSWORD
// (never from the command line: every local user reads a process's arguments), and `--no-ice`.
// They become the `ice` part of the settings patch; without any, the stored settings stay.
import type { Settings } from '../shared/api';
import { parseServerAddress } from './net/ice-servers';
import { readSecretFile } from './cli-password';
import { MAX_ICE_SERVERS } from './store/settings';

/** Options that take a value; --turn-password is refused, but its value must not read as the command. */
export const ICE_VALUE_OPTIONS = ['stun', 'turn', 'turn-tcp', 'turn-user', 'turn-password-file', 'turn-password'] as const;

/** Every value of a repeatable `--name value` / `--name=value`, in order. */
export function argValues(argv: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}` && i + 1 < argv.length) values.push(argv[++i]);
    else if (a.startsWith(`--${name}=`)) values.push(a.slice(name.length + 3));
  }
  return values;
}

/** An ICE flag that is wrong or missing: a usage error. */
export class IceFlagError extends Error {}

export interface IceFlagInput {
  env: NodeJS.ProcessEnv;
  /** Hears of a password file others can read. */
  warn: (line: string) => void;
}

function servers(argv: readonly string[], name: 'stun' | 'turn' | 'turn-tcp'): string[] {
  const list = argValues(argv, name);
  if (list.length > MAX_ICE_SERVERS) throw new IceFlagError(`--${name}: at most ${MAX_ICE_SERVERS} servers`);
  for (const s of list) if (parseServerAddress(s) === undefined) throw new IceFlagError(`--${name} ${s}: must be HOST[:PORT] (default port 3478, an IPv6 address in brackets)`);
  return list;
}

/**
 * The settings' `ice` as the flags set it (all of it: the flags of a run say the whole ICE
 * setup), or undefined when no ICE flag is given. Throws IceFlagError or, for an unreadable
 * password file, PasswordError, each naming the flag.
 */
export function iceSettingsFromFlags(argv: readonly string[], input: IceFlagInput): Settings['ice'] | undefined {
  if (argv.some((a) => a === '--turn-password' || a.startsWith('--turn-password='))) {
    throw new IceFlagError('--turn-password is not taken: other users see it in ps; use --turn-password-file FILE or VOUCH_TURN_PASSWORD');
  }
  const stun = servers(argv, 'stun');
  const udpTurn = servers(argv, 'turn');
  const tcpTurn = servers(argv, 'turn-tcp');
  const turn = [...udpTurn, ...tcpTurn];
  if (turn.length > MAX_ICE_SERVERS) throw new IceFlagError(`--turn and --turn-tcp: at most ${MAX_ICE_SERVERS} servers`);
  const user = argValues(argv, 'turn-user').at(-1);
  const passwordFile = argValues(argv, 'turn-password-file').at(-1);
  const off = argv.includes('--no-ice');
  if (off && (stun.length > 0 || turn.length > 0)) throw new IceFlagError('--no-ice turns ICE off: it does not go with --stun, --turn or --turn-tcp');
  if (turn.length === 0 && (user !== undefined || passwordFile !== undefined)) throw new IceFlagError('--turn-user and --turn-password-file need --turn HOST[:PORT]');
  if (off) return { enabled: false, stunServers: [], turnServers: [] };
  if (stun.length === 0 && turn.length === 0) return undefined;
  if (turn.length > 0 && !user) throw new IceFlagError('--turn needs --turn-user U');
  let password: string | undefined;
  if (passwordFile !== undefined) password = readSecretFile(passwordFile, input.warn, 'turn-password-file');
  else password = input.env.VOUCH_TURN_PASSWORD;
  if (turn.length > 0 && password === undefined) throw new IceFlagError('--turn needs a password: --turn-password-file FILE or VOUCH_TURN_PASSWORD');
  if (password !== undefined && password.length > 1024) throw new IceFlagError('the TURN password is longer than 1024 characters');
  // Every --turn server takes the one user name and password given.
  const entry = (server: string) => ({ server, username: user!, password: password! });
  return { enabled: true, stunServers: stun, turnServers: [...udpTurn.map(entry), ...tcpTurn.map((server) => ({ ...entry(server), transport: 'tcp' as const }))] };
}
