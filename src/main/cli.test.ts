// The `vouch` CLI as a user runs it: a real process, JSON lines on stdout.
import { describe, it, expect } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VOUCH_VERSION } from './version';
import { PASSWORD_ARG_WARNING } from './cli-password';
import { parseMessage, serializeMessage } from './sip';
import { createResponse } from './sip/response';

function vouch(args: string[]): Record<string, unknown>[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', ...args], { encoding: 'utf8', timeout: 20_000 });
  return out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('vouch CLI', () => {
  it('prints its version, the same as package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(VOUCH_VERSION).toBe(pkg.version);
    expect(vouch(['--version'])).toEqual([{ event: 'version', version: pkg.version }]);
  });

  it('vouch ping makes a round trip through a media worker thread', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vouch-cli-'));
    try {
      const [pong] = vouch(['--data-dir', dataDir, 'ping']);
      expect(pong.event).toBe('pong');
      expect(pong.workerThreadId).toBeGreaterThan(0);
      expect(typeof pong.roundTripMs).toBe('number');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('--help names the ICE flags; a TURN password on the command line is refused (exit 64) and never stored', () => {
    const help = execFileSync(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', '--help'], { encoding: 'utf8', timeout: 20_000 });
    for (const flag of ['--stun HOST[:PORT]', '--turn HOST[:PORT]', '--turn-user U', '--turn-password-file FILE', 'VOUCH_TURN_PASSWORD', '--no-ice']) expect(help).toContain(flag);
    const dataDir = mkdtempSync(join(tmpdir(), 'vouch-cli-'));
    try {
      vouch(['--data-dir', dataDir, '--turn', '127.0.0.1', '--turn-user', 'u', '--turn-password', 'hunter2', 'listen']);
      expect.unreachable();
    } catch (e) {
      const err = e as { status: number; stderr: string };
      expect(err.status).toBe(64);
      expect(err.stderr).toContain('vouch: --turn-password is not taken: other users see it in ps; use --turn-password-file FILE or VOUCH_TURN_PASSWORD');
      expect(existsSync(join(dataDir, 'settings.json'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('exits 64 with usage on an unknown command', () => {
    try {
      vouch(['dance']);
      expect.unreachable();
    } catch (e) {
      expect((e as { status: number }).status).toBe(64);
    }
  });
});

/**
 * A registrar on a raw UDP socket on 127.0.0.1 that knows one password: 401 with an MD5 challenge,
 * then 200 for a digest made from that password (RFC 2617 §3.2.2, computed here on its own) and
 * 403 for any other.
 */
async function registrar(password: string): Promise<{ port: number; close: () => void }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
  socket.on('message', (data, rinfo) => {
    const r = parseMessage(data);
    if (!r.ok || r.message.type !== 'request' || r.message.method !== 'REGISTER') return;
    const req = r.message;
    const auth = req.headers.get('authorization');
    const param = (name: string): string => new RegExp(`${name}="?([^",]*)"?`).exec(auth ?? '')?.[1] ?? '';
    let res;
    if (!auth) res = createResponse(req, 401, { toTag: 'r', headers: [['WWW-Authenticate', 'Digest realm="cli.test", nonce="n1", algorithm=MD5']] });
    else {
      const expected = md5(`${md5(`${param('username')}:cli.test:${password}`)}:n1:${md5(`REGISTER:${param('uri')}`)}`);
      res = param('response') === expected ? createResponse(req, 200, { toTag: 'r', headers: [['Contact', `${req.headers.get('contact')};expires=600`]] }) : createResponse(req, 403, { toTag: 'r' });
    }
    socket.send(serializeMessage(res), rinfo.port, rinfo.address);
  });
  return { port: socket.address().port, close: () => socket.close() };
}

/**
 * Runs `vouch listen` registering with `server` until it says how registration went, then ends it.
 * `tty` runs it under script(1), so its stdin is a terminal; `typed` is what the user types there.
 */
async function listenRegistering(args: string[], env: NodeJS.ProcessEnv, opts: { tty?: boolean; typed?: string } = {}): Promise<{ registration: Record<string, unknown> | undefined; stdout: string; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vouch-cli-pw-'));
  const cli = ['--import', 'tsx', 'src/main/cli-entry.ts', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0', 'listen', ...args];
  const quoted = [process.execPath, ...cli].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = opts.tty
    ? spawn('script', ['-qfec', quoted, '/dev/null'], { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, cli, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let typed = false;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  try {
    const registration = await new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no registration line in 40 s:\n${stdout}\n${stderr}`)), 40_000);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (opts.typed !== undefined && !typed && stdout.includes('SIP password: ')) {
          typed = true;
          child.stdin?.write(`${opts.typed}\r`);
        }
        for (const line of stdout.split(/\r?\n/)) {
          // 'registering' comes first; the test waits for how it went.
          const m = /\{"event":"registration","state":"(registered|failed)".*\}/.exec(line);
          if (m) {
            clearTimeout(timer);
            resolve(JSON.parse(m[0]) as Record<string, unknown>);
          }
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    return { registration, stdout, stderr };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // it ended by itself
    }
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('vouch CLI: the SIP password never on the command line', () => {
  const PASSWORD = 'correct horse battery';
  const account = (port: number): string[] => ['--account', 'sip:alice@127.0.0.1', '--server', `127.0.0.1:${port}`];
  const cleanEnv = (): NodeJS.ProcessEnv => {
    const env = { ...process.env };
    delete env.VOUCH_PASSWORD;
    return env;
  };

  it('takes the password from --password-file (one trailing newline dropped) and from VOUCH_PASSWORD', async () => {
    const reg = await registrar(PASSWORD);
    const dir = mkdtempSync(join(tmpdir(), 'vouch-cli-pwfile-'));
    try {
      const file = join(dir, 'password');
      writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 });
      const [fromFile, fromEnv, wrongEnv] = await Promise.all([
        listenRegistering([...account(reg.port), '--password-file', file], cleanEnv()),
        listenRegistering(account(reg.port), { ...cleanEnv(), VOUCH_PASSWORD: PASSWORD }),
        listenRegistering(account(reg.port), { ...cleanEnv(), VOUCH_PASSWORD: 'wrong' }),
      ]);
      expect(fromFile.registration).toMatchObject({ state: 'registered' });
      expect(fromFile.stderr).not.toContain('visible to other users');
      expect(fromEnv.registration).toMatchObject({ state: 'registered' });
      expect(wrongEnv.registration).toMatchObject({ state: 'failed' });
    } finally {
      reg.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('--password still works, with a warning on stderr; a password file others can read is named', async () => {
    const reg = await registrar(PASSWORD);
    const dir = mkdtempSync(join(tmpdir(), 'vouch-cli-pwfile-'));
    try {
      const file = join(dir, 'password');
      writeFileSync(file, PASSWORD);
      chmodSync(file, 0o644);
      const [fromArg, readable] = await Promise.all([
        listenRegistering([...account(reg.port), '--password', PASSWORD], cleanEnv()),
        listenRegistering([...account(reg.port), '--password-file', file], cleanEnv()),
      ]);
      expect(fromArg.registration).toMatchObject({ state: 'registered' });
      expect(fromArg.stderr).toContain(PASSWORD_ARG_WARNING);
      expect(readable.registration).toMatchObject({ state: 'registered' });
      expect(readable.stderr).toContain(`${file} can be read by other users`);
    } finally {
      reg.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(!existsSync('/usr/bin/script'))('asks for the password on a terminal without echoing it', async () => {
    const reg = await registrar(PASSWORD);
    try {
      const run = await listenRegistering(account(reg.port), cleanEnv(), { tty: true, typed: PASSWORD });
      expect(run.registration).toMatchObject({ state: 'registered' });
      expect(run.stdout).toContain('SIP password: ');
      expect(run.stdout).not.toContain(PASSWORD);
    } finally {
      reg.close();
    }
  }, 60_000);
});
