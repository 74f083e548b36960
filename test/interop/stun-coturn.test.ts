// The sans-IO STUN Binding transaction (src/main/net/stun) against a real STUN server: coturn in
// STUN-only mode on 127.0.0.1, driven through a real UDP socket and the real clock. With no NAT in
// between, the server-reflexive address coturn reports must be our own socket's address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeType, BindingTransaction, TEXT_LIMIT, encodeText } from '../../src/main/net/stun';
import type { BindingInput, BindingOptions, BindingStep } from '../../src/main/net/stun';
import { findPeer } from './peers';
import { freeUdpPort } from './sipp/sipp';

const turnserver = findPeer('turnserver', 'coturn');

/** Sends what the transaction asks for, feeds it every datagram, until it ends (bounded by its own timeout). */
async function bind(
  serverPort: number,
  options: BindingOptions = {},
): Promise<{ result: BindingInput | { kind: 'timeout' }; localPort: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const localPort = socket.address().port;
  const t = new BindingTransaction({ rtoMs: 200, ...options });
  const epoch = performance.now();
  const now = (): number => performance.now() - epoch;
  try {
    const result = await new Promise<BindingInput | { kind: 'timeout' }>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const follow = (step: BindingStep): void => {
        if (step.kind === 'timeout' || step.kind === 'done') return resolve({ kind: 'timeout' });
        if (step.kind === 'transmit') socket.send(step.packet, serverPort, '127.0.0.1');
        timer = setTimeout(() => follow(t.tick(now())), Math.max(0, step.at - now()));
      };
      socket.on('message', (msg) => {
        const r = t.input(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength), now());
        if (r.kind !== 'ignored') {
          clearTimeout(timer);
          resolve(r);
        }
      });
      follow(t.start(now()));
    });
    return { result, localPort };
  } finally {
    socket.close();
  }
}

describe.skipIf(!turnserver)('STUN Binding against coturn', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vouch-coturn-'));
    port = await freeUdpPort();
    child = spawn(
      turnserver!,
      [
        '-n',
        '--listening-ip',
        '127.0.0.1',
        '--listening-port',
        String(port),
        '--stun-only',
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
    // coturn prints this once its listener threads exist; the transaction's retransmissions
    // cover any remaining gap before the UDP socket is bound.
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`coturn did not start within 5 s:\n${out}`)), 5000);
      const onData = (d: Buffer): void => {
        out += d.toString();
        if (out.includes('Total General servers')) {
          clearTimeout(deadline);
          resolve();
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`coturn exited (${code}):\n${out}`)));
    });
  }, 10_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports our own 127.0.0.1 socket as the server-reflexive address', async () => {
    const { result, localPort } = await bind(port);
    expect(result).toMatchObject({
      kind: 'success',
      mapped: { family: 'IPv4', address: '127.0.0.1', port: localPort },
    });
    if (result.kind === 'success') expect(result.rttMs).toBeLessThan(2000);
  }, 20_000);

  it('answers a request that carries SOFTWARE and FINGERPRINT, so coturn accepts our fingerprint', async () => {
    const software = { type: AttributeType.Software, value: encodeText('Vouch STUN test', TEXT_LIMIT.software) };
    const { result, localPort } = await bind(port, { attributes: [software], fingerprint: true });
    expect(result).toMatchObject({ kind: 'success', mapped: { family: 'IPv4', address: '127.0.0.1', port: localPort } });
  }, 20_000);
});
