// An account behind a NAT, seen from the API: a registrar on 127.0.0.1 that reports another
// source port in rport (what a NAT's mapping looks like) makes the registration event carry the
// public address Vouch registered; the CLI prints it on its registration line.
import { afterEach, describe, expect, it } from 'vitest';
import { NAT_PORT, natRegistrar, registeredCore } from './test-support';
import type { Cleanup } from './test-support';

const cleanup: Cleanup = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('registration behind a NAT (API)', () => {
  it('the registration event names the public address the registrar saw', async () => {
    const registrar = await natRegistrar(cleanup, '127.0.0.1');
    const { seen } = await registeredCore(cleanup, registrar, 'vouch-nat-');
    await expect.poll(() => seen.find((r) => r.state === 'registered')?.publicAddress, { timeout: 5000 }).toBe(`127.0.0.1:${NAT_PORT}`);
    expect(registrar.contacts.some((c) => c.includes(`@127.0.0.1:${NAT_PORT}`))).toBe(true);
  });
});
