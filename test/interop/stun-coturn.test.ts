// The sans-IO STUN Binding transaction (src/main/net/stun) against a real STUN server: coturn in
// STUN-only mode on 127.0.0.1, driven through a real UDP socket and the real clock. With no NAT in
// between, the server-reflexive address coturn reports must be our own socket's address.
import { describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { AttributeType, BindingTransaction, TEXT_LIMIT, encodeText } from '../../src/main/net/stun';
import type { BindingInput, BindingOptions, BindingStep } from '../../src/main/net/stun';
import { coturnForSuite } from './coturn';
import { findPeer } from './peers';

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
  const coturn = coturnForSuite(turnserver!, ['--stun-only']);

  it('reports our own 127.0.0.1 socket as the server-reflexive address', async () => {
    const { result, localPort } = await bind(coturn().port);
    expect(result).toMatchObject({
      kind: 'success',
      mapped: { family: 'IPv4', address: '127.0.0.1', port: localPort },
    });
    if (result.kind === 'success') expect(result.rttMs).toBeLessThan(2000);
  }, 20_000);

  it('answers a request that carries SOFTWARE and FINGERPRINT, so coturn accepts our fingerprint', async () => {
    const software = { type: AttributeType.Software, value: encodeText('Vouch STUN test', TEXT_LIMIT.software) };
    const { result, localPort } = await bind(coturn().port, { attributes: [software], fingerprint: true });
    expect(result).toMatchObject({ kind: 'success', mapped: { family: 'IPv4', address: '127.0.0.1', port: localPort } });
  }, 20_000);
});
