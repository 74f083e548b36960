// What the `vouch` CLI says on stdout besides calls (issues 16, 17): why a call failed in a
// person's words, settings that lower protection, and a `listening` line again when what a peer
// can reach changes. The printer on its own, then a real CLI process on loopback.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ListeningInfo, PublicSettings } from '../shared/api';
import { eventPrinter } from './cli';
import { parseMessage, serializeMessage } from './sip';
import { NOT_OWN_SERVER } from './sip/own-server';
import { createResponse } from './sip/response';
import { defaultSettings, toPublicSettings } from './store/settings';
import { endedCall as ended } from '../shared/test-support';


function settingsWith(account: Partial<PublicSettings['account']>): PublicSettings {
  const s = toPublicSettings(defaultSettings());
  return { ...s, account: { ...s.account, ...account } };
}

function printer() {
  const lines: Record<string, unknown>[] = [];
  const p = eventPrinter(() => ({ host: '127.0.0.1', sipPort: 5062, zid: 'abc' }), (l) => lines.push(l));
  return { p, lines };
}

describe('the CLI event printer', () => {
  it("says why a call failed: Vouch's own refusal as it is, else the app's words, naming a server only when there is one", () => {
    const { p, lines } = printer();
    p.onEvent({ type: 'callState', call: ended({ endReason: 'failed', sipStatus: 401, sipReason: NOT_OWN_SERVER }) });
    p.onEvent({ type: 'callState', call: ended({ endReason: 'timeout', sipStatus: 408, sipReason: 'Request Timeout (Timer B)' }) });
    p.onEvent({ type: 'callState', call: ended({ endReason: 'busy', sipStatus: 486, sipReason: 'Busy Here' }) });
    p.onEvent({ type: 'settings', settings: settingsWith({ directIpOnly: false, server: 'pbx.example.org', address: 'sip:alice@example.org' }) });
    p.onEvent({ type: 'callState', call: ended({ endReason: 'busy', sipStatus: 486, sipReason: 'Busy Here' }) });
    // A peer's own 401 reason phrase is not taken for Vouch's sentence.
    p.onEvent({ type: 'callState', call: ended({ endReason: 'failed', sipStatus: 401, sipReason: 'Unauthorized' }) });
    p.onEvent({ type: 'callState', call: { ...ended({}), state: 'connected' } });
    expect(lines.map((l) => l.reason)).toEqual([
      'The other side asked for your password; Vouch only gives it to your own server.',
      'No answer from 203.0.113.20: the other computer may be off or not reachable.',
      'The other side is busy. (486 Busy Here)',
      'The other side is busy. (486 Busy Here from the server)',
      'The call failed. (401 Unauthorized from the server)',
      undefined,
    ]);
    expect(lines[0]).toMatchObject({ event: 'state', state: 'ended', endReason: 'failed', sipStatus: 401 });
  });

  it('prints protectionLowered as it comes, and listening again only when it changed', () => {
    const { p, lines } = printer();
    const l: ListeningInfo = { addresses: ['sip:vouch@127.0.0.1:5062'], udp: 5062, tcp: 5062, tls: null, notes: [] };
    p.onEvent({ type: 'listening', listening: l });
    p.listening(l);
    p.onEvent({ type: 'protectionLowered', changes: [{ setting: 'autoAnswer', from: false, to: true }] });
    p.onEvent({ type: 'listening', listening: { ...l, tls: 5063 } });
    expect(lines).toEqual([
      { event: 'listening', addresses: ['sip:vouch@127.0.0.1:5062'], udp: 5062, tcp: 5062, tls: null, notes: [], host: '127.0.0.1', sipPort: 5062, zid: 'abc' },
      { event: 'protectionLowered', changes: [{ setting: 'autoAnswer', from: false, to: true }] },
      { event: 'listening', addresses: ['sip:vouch@127.0.0.1:5062'], udp: 5062, tcp: 5062, tls: 5063, notes: [], host: '127.0.0.1', sipPort: 5062, zid: 'abc' },
    ]);
  });
});

/** A callee on 127.0.0.1 that answers every INVITE with a digest challenge, and counts the answers to it. */
async function challengingCallee(): Promise<{ port: number; invites: () => number; authorized: () => number; close: () => void }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  let invites = 0;
  let authorized = 0;
  socket.on('message', (data, rinfo) => {
    const r = parseMessage(data);
    if (!r.ok || r.message.type !== 'request' || r.message.method !== 'INVITE') return;
    invites++;
    if (r.message.headers.get('authorization') || r.message.headers.get('proxy-authorization')) authorized++;
    const res = createResponse(r.message, 401, { toTag: 'evil', headers: [['WWW-Authenticate', 'Digest realm="evil.test", nonce="n1", algorithm=MD5']] });
    socket.send(serializeMessage(res), rinfo.port, rinfo.address);
  });
  return { port: socket.address().port, invites: () => invites, authorized: () => authorized, close: () => socket.close() };
}

describe('vouch call, a real process on loopback', () => {
  it('a callee asking for the password: the state line says why, nothing is answered; --allow-sdes is said as protectionLowered', async () => {
    const callee = await challengingCallee();
    const dataDir = mkdtempSync(join(tmpdir(), 'vouch-cli-events-'));
    // A direct-IP account that still has a password stored: the callee is not its server.
    const account = { displayName: 'Alice', address: 'sip:alice@127.0.0.1', username: 'alice', password: 'correct horse', server: '', transport: 'udp', directIpOnly: true };
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ account }), { mode: 0o600 });
    const env = { ...process.env };
    delete env.VOUCH_PASSWORD;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0', '--allow-sdes', 'call', `sip:bob@127.0.0.1:${callee.port}`], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    createInterface({ input: child.stdout }).on('line', (t) => lines.push(JSON.parse(t) as Record<string, unknown>));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? -1)));
      const end = lines.find((l) => l.event === 'state' && l.state === 'ended');
      expect(end, JSON.stringify(lines)).toMatchObject({ sipStatus: 401, reason: `${NOT_OWN_SERVER}.` });
      expect(code).not.toBe(0);
      expect(callee.invites()).toBeGreaterThanOrEqual(1);
      expect(callee.authorized()).toBe(0);
      expect(lines.find((l) => l.event === 'protectionLowered')).toEqual({ event: 'protectionLowered', changes: [{ setting: 'mediaSecurity', from: 'zrtp-required', to: 'allow-sdes' }] });
      expect(lines.filter((l) => l.event === 'listening')).toHaveLength(1);
    } finally {
      clearTimeout(timer);
      callee.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 40_000);
});
