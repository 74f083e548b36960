// Another local user looks for the SIP password (issue 16): `ps` shows every process's
// arguments to everyone, so the password must not be in them; /proc/PID/environ (VOUCH_PASSWORD)
// is readable by its owner only. Acts as user `nobody` with setpriv, so it needs root.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peerPort } from '../../test/interop/ports';

const PASSWORD = 'hunter2-but-longer';
const why = process.getuid?.() !== 0 ? 'needs root to act as user nobody' : !statSync('/usr/bin/setpriv', { throwIfNoEntry: false }) ? 'needs setpriv (util-linux)' : undefined;
if (why && process.env.CI === 'true') throw new Error(why);

const asNobody = (args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });

/**
 * A UDP port nobody answers on: the CLI keeps registering in the background and stays up. A peer
 * port (test/interop/ports.ts) is handed to no other socket, unlike one the kernel just freed.
 */
const silentPort = peerPort;

describe.skipIf(why)('hostile local user: the SIP password is not in ps or readable in the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-ps-'));
  const children: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null) return r();
            c.once('exit', () => r());
            c.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts `vouch listen` registering with a silent server; resolves once it listens. */
  async function listen(name: string, extraArgs: string[], env: NodeJS.ProcessEnv): Promise<ChildProcess> {
    const dataDir = join(dir, name);
    const args = ['--import', 'tsx', 'src/main/cli-entry.ts', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0', 'listen'];
    args.push('--account', 'sip:alice@127.0.0.1', '--server', `127.0.0.1:${await silentPort()}`, ...extraArgs);
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no listening line in 40 s: ${out}`)), 40_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"event":"listening"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`${name} exited: ${out}`)));
    });
    return child;
  }

  it('with --password-file or VOUCH_PASSWORD, user nobody finds the CLI in ps but not the password, and cannot read its environment', async () => {
    const file = join(dir, 'password');
    writeFileSync(file, PASSWORD, { mode: 0o600 });
    const env = { ...process.env };
    delete env.VOUCH_PASSWORD;
    const [fromFile, fromEnv, fromArg] = await Promise.all([
      listen('file', ['--password-file', file], env),
      listen('env', [], { ...env, VOUCH_PASSWORD: PASSWORD }),
      // The old way, for contrast: the same ps run does see it (why --password warns).
      listen('arg', ['--password', `${PASSWORD}-arg`], env),
    ]);
    const ps = asNobody(['ps', '-eo', 'pid,args', '--no-headers']);
    expect(ps.status).toBe(0);
    for (const c of [fromFile, fromEnv]) expect(ps.stdout).toMatch(new RegExp(`^\\s*${c.pid}\\s.*cli-entry\\.ts`, 'm'));
    expect(ps.stdout).toContain(`${PASSWORD}-arg`);
    expect(ps.stdout.replaceAll(`${PASSWORD}-arg`, '')).not.toContain(PASSWORD);
    const environ = asNobody(['cat', `/proc/${fromEnv.pid}/environ`]);
    expect(environ.status).not.toBe(0);
    expect(environ.stdout).not.toContain(PASSWORD);
    expect(fromArg.exitCode).toBeNull();
  }, 60_000);
});
