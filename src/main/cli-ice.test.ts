// The CLI's ICE flags to the settings' `ice`: servers checked, the TURN password only from a file
// or the environment, contradictions refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argValues, iceSettingsFromFlags } from './cli-ice';
import { PasswordError } from './cli-password';

let dir: string;
let pwFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-cli-ice-'));
  pwFile = join(dir, 'turn-password');
  writeFileSync(pwFile, 'from file\n', { mode: 0o600 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const warnings: string[] = [];
  const ice = iceSettingsFromFlags(argv, { env, warn: (l) => warnings.push(l) });
  return { ice, warnings };
};

describe('ICE flags', () => {
  it('repeatable flags keep every value in order, in both spellings', () => {
    expect(argValues(['--stun', 'a', 'call', '--stun=b:1', '--turn', 'c', '--stun'], 'stun')).toEqual(['a', 'b:1']);
  });

  it('no ICE flag: undefined, so the stored settings stay', () => {
    expect(parse(['call', 'sip:bob@127.0.0.1']).ice).toBeUndefined();
  });

  it('--stun (repeated) and --turn with --turn-user and --turn-password-file make the whole ICE setup', () => {
    const { ice, warnings } = parse(['--stun', 'stun.example.org', '--stun', '[2001:db8::1]:3479', '--turn', '127.0.0.1:3478', '--turn-user', 'alice', '--turn-password-file', pwFile, 'listen']);
    expect(ice).toEqual({
      enabled: true,
      stunServers: ['stun.example.org', '[2001:db8::1]:3479'],
      turnServers: [{ server: '127.0.0.1:3478', username: 'alice', password: 'from file' }],
    });
    expect(warnings).toEqual([]);
  });

  it('--turn-tcp names a TURN server reached over TCP, with the same user and password', () => {
    const { ice } = parse(['--turn-tcp', 'turn.example.org:443', '--turn', '127.0.0.1', '--turn-user', 'alice', '--turn-password-file', pwFile, 'listen']);
    expect(ice?.turnServers).toEqual([
      { server: '127.0.0.1', username: 'alice', password: 'from file' },
      { server: 'turn.example.org:443', username: 'alice', password: 'from file', transport: 'tcp' },
    ]);
  });

  it('the TURN password comes from VOUCH_TURN_PASSWORD when no file is named; the file wins over it', () => {
    const argv = ['--turn', 'turn.example.org', '--turn-user', 'bob'];
    expect(parse(argv, { VOUCH_TURN_PASSWORD: 'from env' }).ice?.turnServers).toEqual([{ server: 'turn.example.org', username: 'bob', password: 'from env' }]);
    expect(parse([...argv, '--turn-password-file', pwFile], { VOUCH_TURN_PASSWORD: 'from env' }).ice?.turnServers[0].password).toBe('from file');
  });

  it('a password file others can read is named', () => {
    const open = join(dir, 'readable');
    writeFileSync(open, 'pw');
    chmodSync(open, 0o644);
    expect(parse(['--turn', 'turn.example.org', '--turn-user', 'bob', '--turn-password-file', open]).warnings).toEqual([`vouch: ${open} can be read by other users; chmod 600 it`]);
  });

  it('--no-ice turns ICE off and clears the servers', () => {
    expect(parse(['--no-ice', 'call', 'sip:bob@127.0.0.1']).ice).toEqual({ enabled: false, stunServers: [], turnServers: [] });
  });

  it.each([
    [['--turn-password', 'secret'], /--turn-password is not taken: other users see it in ps/],
    [['--turn-password=secret'], /--turn-password is not taken/],
    [['--stun', 'stun:example.org'], /^--stun stun:example.org: must be HOST\[:PORT\]/],
    [['--stun', '2001:db8::1'], /^--stun 2001:db8::1: must be HOST\[:PORT\]/],
    [['--turn', 'turn.example.org:99999', '--turn-user', 'u'], /^--turn turn.example.org:99999: must be HOST\[:PORT\]/],
    [Array.from({ length: 9 }, (_, i) => ['--stun', `s${i}.example.org`]).flat(), /^--stun: at most 8 servers$/],
    [['--no-ice', '--stun', 'stun.example.org'], /--no-ice turns ICE off: it does not go with --stun, --turn or --turn-tcp/],
    [['--turn-tcp', 'turn.example.org:0', '--turn-user', 'u'], /^--turn-tcp turn.example.org:0: must be HOST\[:PORT\]/],
    [[...Array.from({ length: 5 }, (_, i) => ['--turn', `t${i}.example.org`]).flat(), ...Array.from({ length: 4 }, (_, i) => ['--turn-tcp', `t${i}.example.org`]).flat()], /^--turn and --turn-tcp: at most 8 servers$/],
    [['--turn', 'turn.example.org'], /^--turn needs --turn-user U$/],
    [['--turn', 'turn.example.org', '--turn-user', 'u'], /^--turn needs a password: --turn-password-file FILE or VOUCH_TURN_PASSWORD$/],
    [['--turn-user', 'u'], /^--turn-user and --turn-password-file need --turn HOST\[:PORT\]$/],
  ])('refuses %j by name', (argv, message) => {
    expect(() => parse(argv)).toThrow(message);
  });

  it('an unreadable password file is a PasswordError naming --turn-password-file', () => {
    expect(() => parse(['--turn', 'turn.example.org', '--turn-user', 'u', '--turn-password-file', join(dir, 'missing')])).toThrow(PasswordError);
    expect(() => parse(['--turn', 'turn.example.org', '--turn-user', 'u', '--turn-password-file', join(dir, 'missing')])).toThrow(/^--turn-password-file .*missing: ENOENT$/);
  });
});
