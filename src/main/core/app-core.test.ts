import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCore } from './app-core';
import type { ListeningInfo } from '../../shared/api';
import { SettingsStore, defaultSettings } from '../store/settings';

const dirs: string[] = [];
const cores: AppCore[] = [];
function newCore(dataDir = mkdtempSync(join(tmpdir(), 'vouch-core-'))) {
  dirs.push(dataDir);
  const core = new AppCore({ dataDir, host: '127.0.0.1', sipPort: 0 });
  cores.push(core);
  return core;
}
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('AppCore', () => {
  it('settings pin the SIP address; changing it restarts SIP there and says how to reach it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vouch-core-'));
    dirs.push(dataDir);
    new SettingsStore(dataDir).save({ ...defaultSettings(), sipHost: '::1', sipPort: 0 });
    const core = new AppCore({ dataDir, prestartWorker: false });
    cores.push(core);
    const seen: ListeningInfo[] = [];
    core.onEvent((e) => {
      if (e.type === 'listening') seen.push(e.listening);
    });
    await core.start();
    const port = core.snapshot().listening!.udp!;
    expect(core.snapshot().listening).toEqual({ addresses: [`sip:vouch@[::1]:${port}`], udp: port, tcp: port, tls: null, notes: ['no TLS listener (no certificate configured)'] });
    await core.invoke('updateSettings', { patch: { sipHost: '127.0.0.1' } });
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(2);
    expect(seen[1].addresses).toEqual([`sip:vouch@127.0.0.1:${seen[1].udp}`]);
    expect((await core.invoke('updateSettings', { patch: { sipHost: 'example.org' } }).catch((e: Error) => e)) as Error).toMatchObject({ message: expect.stringMatching(/^sipHost:/) });
  });

  it('keeps an address book: save, list, update, delete, each announced; a bad field is a typed error naming it', async () => {
    const core = newCore();
    const events: number[] = [];
    core.onEvent((e) => {
      if (e.type === 'contacts') events.push(e.contacts.length);
    });
    const bob = await core.invoke('saveContact', { contact: { name: 'Bob', address: 'sip:bob@127.0.0.1:5070', notes: 'desk phone' } });
    expect(bob.security).toEqual({ level: 'never-called' });
    expect(statSync(join(core.dataDir, 'contacts.json')).mode & 0o777).toBe(0o600);
    await core.invoke('saveContact', { contact: { id: bob.id, name: 'Robert', address: bob.address } });
    expect((await core.invoke('listContacts', {})).map((c) => c.name)).toEqual(['Robert']);
    const bad = await core.handle({ kind: 'request', id: 3, command: 'saveContact', args: { contact: { name: 'X', address: 'no address here' } } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request', field: 'address' } });
    await core.invoke('deleteContact', { id: bob.id });
    expect(await core.invoke('listContacts', {})).toEqual([]);
    expect(await core.handle({ kind: 'request', id: 4, command: 'deleteContact', args: { id: bob.id } })).toMatchObject({ ok: false, error: { code: 'bad-request', field: 'id' } });
    expect(events).toEqual([1, 1, 0]);
  });

  it('pings through a real media worker thread', async () => {
    const core = newCore();
    const r = await core.invoke('ping', {});
    expect(r.workerThreadId).toBeGreaterThan(0);
    expect(r.workerPid).toBe(process.pid);
    expect(r.roundTripMs).toBeGreaterThan(0);
    expect(r.roundTripMs).toBeLessThan(5000);
  });

  it('answers a request with a typed error instead of throwing', async () => {
    const core = newCore();
    const res = await core.handle({ kind: 'request', id: 9, command: 'updateSettings', args: { patch: { sipPort: 70000 } } });
    expect(res).toEqual({ kind: 'response', id: 9, ok: false, error: { code: 'invalid-setting', field: 'sipPort', message: 'sipPort: must be a port number 0-65535' } });
  });

  it('saves settings atomically as a 0600 file and reloads them, never returning the password', async () => {
    const core = newCore();
    const events: string[] = [];
    core.onEvent((e) => events.push(e.type));
    const pub = await core.invoke('updateSettings', {
      patch: { account: { displayName: 'Alice', address: 'sip:alice@127.0.0.1', password: 's3cret', directIpOnly: true }, zrtp: { sasType: 'B256' } },
    });
    expect(pub.account.hasPassword).toBe(true);
    expect(JSON.stringify(pub)).not.toContain('s3cret');
    expect(events).toContain('settings');
    const file = join(core.dataDir, 'settings.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(core.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = newCore(core.dataDir);
    const s = await again.invoke('getSettings', {});
    expect(s.account.displayName).toBe('Alice');
    expect(s.zrtp.sasType).toBe('B256');
  });

  it('moves a corrupt settings file aside with a warning, never trusting it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-core-'));
    writeFileSync(join(dir, 'settings.json'), '{"account": {');
    const core = newCore(dir);
    expect(core.startupWarnings.join()).toMatch(/corrupt/);
    const moved = readdirSync(dir).find((f) => f.startsWith('settings.json.corrupt-'));
    expect(moved).toBeDefined();
    expect(readFileSync(join(dir, moved!), 'utf8')).toBe('{"account": {');
    expect((await core.invoke('getSettings', {})).mediaSecurity).toBe('zrtp-required');
  });

  it('refuses unknown settings by name', async () => {
    const core = newCore();
    const res = await core.handle({ kind: 'request', id: 1, command: 'updateSettings', args: { patch: { zrtp: { colour: 'red' } } as never } });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.field).toBe('zrtp.colour');
  });
});
