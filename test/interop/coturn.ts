// Starts Debian's coturn (`turnserver`) on 127.0.0.1 for interop tests: a private state directory,
// a free port, log to stdout, and a stop() that waits for the process to exit.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { peerPort } from './ports';

export interface Coturn {
  /** UDP and TCP listening port on 127.0.0.1. */
  readonly port: number;
  /** Everything coturn printed so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** `args` are mode flags (e.g. --stun-only, or --lt-cred-mech --user ...); listening, state and log flags are added here. */
export async function startCoturn(turnserver: string, args: readonly string[]): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-coturn-'));
  const port = await peerPort();
  const child: ChildProcess = spawn(
    turnserver,
    [
      '-n',
      '--listening-ip',
      '127.0.0.1',
      '--listening-port',
      String(port),
      ...args,
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--pidfile',
      join(dir, 'turnserver.pid'),
      '--db',
      join(dir, 'turndb'),
      '--log-file',
      'stdout',
      '--simple-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // coturn prints this once its listener threads exist; the client's retransmissions cover any
  // remaining gap before the UDP socket is bound.
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`coturn did not start within 5 s:\n${out}`)), 5000);
      const onData = (d: Buffer): void => {
        out += d.toString();
        if (out.includes('Total General servers')) {
          clearTimeout(deadline);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`coturn exited (${code}):\n${out}`)));
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, log: () => out, stop };
}

/**
 * coturn with `args` for the tests of the describe block this is called in: started before them
 * (beforeAll), stopped after (afterAll). Returns the running server.
 */
export function coturnForSuite(turnserver: string, args: readonly string[]): () => Coturn {
  let coturn: Coturn | undefined;
  beforeAll(async () => {
    coturn = await startCoturn(turnserver, args);
  }, 10_000);
  afterAll(async () => {
    await coturn?.stop();
  });
  return () => {
    if (!coturn) throw new Error('coturn has not started');
    return coturn;
  };
}

/**
 * A loopback relay for ICE tests: long-term credentials, relayed addresses on 127.0.0.1, and
 * loopback peers allowed (coturn refuses them by default). The credentials are test-only.
 */
export const LOOPBACK_RELAY = {
  username: 'alice',
  password: 'secret',
  args: ['--lt-cred-mech', '--user', 'alice:secret', '--realm', 'vouch.test', '--relay-ip', '127.0.0.1', '--allow-loopback-peers'],
} as const;
