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
import { startCoturn } from '../../test/interop/coturn';
import { findPeer } from '../../test/interop/peers';


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

  it("prints the path (kind, RTT, candidates) and an ICE error with its reason", () => {
    const { p, lines } = printer();
    p.onEvent({ type: 'path', callId: 3, stream: 'audio', kind: 'relay', rttMs: 42, local: 'relay 127.0.0.1:49152', remote: 'host 127.0.0.1:40000' });
    p.onEvent({ type: 'path', callId: 3, stream: 'video', kind: 'srflx', local: 'srflx 127.0.0.1:40004', remote: 'prflx 127.0.0.1:40006' });
    p.onEvent({ type: 'error', scope: 'ice', callId: 3, reason: 'no-path', message: 'no network path to the other phone', code: 'network' });
    p.onEvent({ type: 'error', scope: 'call', message: 'boom' });
    expect(lines.map((l) => JSON.stringify(l))).toEqual([
      '{"event":"path","callId":3,"stream":"audio","kind":"relay","rttMs":42,"local":"relay 127.0.0.1:49152","remote":"host 127.0.0.1:40000"}',
      '{"event":"path","callId":3,"stream":"video","kind":"srflx","local":"srflx 127.0.0.1:40004","remote":"prflx 127.0.0.1:40006"}',
      '{"event":"error","scope":"ice","reason":"no-path","message":"no network path to the other phone","callId":3}',
      '{"event":"error","scope":"call","message":"boom"}',
    ]);
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

const turnserver = findPeer('turnserver', 'coturn');

/** `vouch ARGS` as a process on 127.0.0.1; its stdout lines as they come. */
function vouchProcess(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', '--host', '127.0.0.1', '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (t) => lines.push(JSON.parse(t) as Record<string, unknown>));
  const exited = new Promise<number>((r) => child.once('exit', (c) => r(c ?? -1)));
  const line = (pred: (l: Record<string, unknown>) => boolean, ms = 15_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const start = Date.now();
      const poll = setInterval(() => {
        const found = lines.find(pred);
        if (found || Date.now() - start > ms) {
          clearInterval(poll);
          if (found) resolve(found);
          else reject(new Error(`no such line in ${ms} ms: ${JSON.stringify(lines)}\n${stderr}`));
        }
      }, 20);
    });
  return { child, lines, line, exited, stderr: () => stderr };
}

describe.skipIf(!turnserver)('vouch call to vouch listen with a TURN server that refuses the password (coturn on 127.0.0.1)', () => {
  it('prints the path line and an ice error line with reason turn-auth; the call goes on', async () => {
    const coturn = await startCoturn(turnserver!, ['--lt-cred-mech', '--user', 'alice:right', '--realm', 'vouch.test']);
    const dirs = [mkdtempSync(join(tmpdir(), 'vouch-cli-ice-a-')), mkdtempSync(join(tmpdir(), 'vouch-cli-ice-b-'))];
    const pwFile = join(dirs[0], 'turn-password');
    writeFileSync(pwFile, 'wrong\n', { mode: 0o600 });
    const env = { ...process.env };
    delete env.VOUCH_TURN_PASSWORD;
    const bob = vouchProcess(['--data-dir', dirs[1], '--calls', '1', 'listen'], env);
    let alice: ReturnType<typeof vouchProcess> | undefined;
    try {
      const listening = await bob.line((l) => l.event === 'listening');
      alice = vouchProcess(['--data-dir', dirs[0], '--turn', `127.0.0.1:${coturn.port}`, '--turn-user', 'alice', '--turn-password-file', pwFile, '--duration', '2', 'call', `sip:bob@127.0.0.1:${listening.udp as number}`], env);
      const path = await alice.line((l) => l.event === 'path');
      expect(path).toMatchObject({ event: 'path', callId: 1, stream: 'audio', kind: 'host' });
      expect(typeof path.rttMs).toBe('number');
      const error = await alice.line((l) => l.event === 'error');
      expect(error).toEqual({ event: 'error', scope: 'ice', reason: 'turn-auth', message: 'the TURN server refused the user name or password', callId: 1 });
      expect(await alice.exited).toBe(0);
      expect(alice.lines.some((l) => l.event === 'security' && l.state === 'secure')).toBe(true);
      expect(alice.stderr()).not.toContain('wrong');
    } finally {
      alice?.child.kill('SIGKILL');
      bob.child.kill('SIGTERM');
      await bob.exited;
      await coturn.stop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  }, 40_000);
});
