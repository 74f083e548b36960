// An account behind a NAT, seen from the API: a registrar on 127.0.0.1 that reports another
// source port in rport (what a NAT's mapping looks like) makes the registration event carry the
// public address Vouch registered; the CLI prints it on its registration line.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RegistrationInfo } from '../../shared/api';
import { parseMessage, serializeMessage } from '../sip';
import { createResponse } from '../sip/response';
import { AppCore } from './app-core';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('registration behind a NAT (API)', () => {
  it('the registration event names the public address the registrar saw', async () => {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise<void>((r) => sock.close(() => r())));
    const contacts: string[] = [];
    sock.on('message', (data, rinfo) => {
      const p = parseMessage(data);
      if (!p.ok || p.message.type !== 'request') return;
      const req = p.message;
      if (req.method === 'REGISTER') contacts.push(req.headers.get('contact') ?? '');
      const res = createResponse(req, 200, { toTag: 'reg', headers: req.method === 'REGISTER' ? [['Contact', `${req.headers.get('contact')};expires=60`]] : [] });
      const vias = res.headers.getAll('via');
      res.headers.delete('via');
      res.headers.add('Via', vias[0].replace(/;rport(=\d*)?/, ';rport=40007;received=127.0.0.1'));
      sock.send(serializeMessage(res), rinfo.port, rinfo.address);
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'vouch-nat-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const core = new AppCore({ dataDir, host: '127.0.0.1', sipPort: 0, prestartWorker: false });
    cleanup.push(() => core.close());
    const seen: RegistrationInfo[] = [];
    core.onEvent((e) => void (e.type === 'registration' && seen.push(e.registration)));
    await core.invoke('updateSettings', {
      patch: { account: { address: 'sip:erin@vouch.test', username: 'erin', server: `127.0.0.1:${sock.address().port}`, transport: 'udp', directIpOnly: false }, keepAliveSeconds: 0 },
    });
    const reg = await core.invoke('register', {});
    expect(reg.state).toBe('registered');
    await expect.poll(() => seen.find((r) => r.state === 'registered')?.publicAddress, { timeout: 5000 }).toBe('127.0.0.1:40007');
    expect(contacts.some((c) => c.includes('@127.0.0.1:40007'))).toBe(true);
  });
});
