// The `vouch` CLI in transfer and call waiting (issue 20): `listen --transfer-to` hands its caller
// over by REFER once secure and exits 0 ('transferred'); `listen --call-waiting --commands`
// answers a second call holding the first, and a `hold` line on stdin swaps back.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LineLog, parseLine, type Line } from './json-lines';
import { callWhere, securityWhere } from './vouch-events';
import { VouchPeers } from './vouch-peer';
import { killAll, spawnVouch } from './vouch-process';

const dir = mkdtempSync(join(tmpdir(), 'vouch-cli-transfer-'));
const peers = new VouchPeers();
afterEach(() => peers.closeAll());
afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('vouch CLI: transfer and call waiting', () => {
  it('listen --transfer-to: the caller ends up talking to the target, secure; the CLI exits 0', async () => {
    const a = await peers.start({ autoAnswer: false });
    const c = await peers.start({ autoAnswer: true });
    const b = spawnVouch(['listen', '--data-dir', join(dir, 'b1'), '--transfer-to', `carol@127.0.0.1:${c.sipPort}`, '--calls', '1']);
    const listening = await b.next((l) => l.event === 'listening');
    const { callId: first } = await a.core.invoke('call', { uri: `sip:bob@127.0.0.1:${listening.sipPort}` });
    await a.until(securityWhere((s) => s.callId === first && s.state === 'secure'), 15_000);
    const second = await a.until(callWhere((x) => x.callId !== first && x.state === 'connected'), 15_000);
    const aSas = await a.until(securityWhere((s) => s.callId === second.callId && s.state === 'secure'), 15_000);
    const cSas = await c.until(securityWhere((s) => s.state === 'secure'), 15_000);
    expect(aSas.sas).toBe(cSas.sas);
    expect(await b.exited).toBe(0);
    expect(b.lines.some((l) => l.event === 'state' && l.endReason === 'transferred')).toBe(true);
  }, 60_000);

  it('listen --call-waiting --commands: the second call is answered holding the first; a hold line swaps back', async () => {
    const a = await peers.start({ autoAnswer: false });
    const c = await peers.start({ autoAnswer: false });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', 'listen', '--call-waiting', '--commands', '--data-dir', join(dir, 'b2'), '--host', '127.0.0.1', '--port', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const log = new LineLog();
    createInterface({ input: child.stdout }).on('line', (t) => log.push(parseLine(t) ?? { event: 'text', text: t }));
    const next = (pred: (l: Line) => boolean) => log.next(pred, 15_000, { timeout: () => new Error(`timed out; got ${log.lines.map((l) => l.event).join(',')}`) });
    try {
      const listening = await next((l) => l.event === 'listening');
      const uri = `sip:bob@127.0.0.1:${listening.sipPort}`;
      const { callId: aCall } = await a.core.invoke('call', { uri });
      await a.until(securityWhere((s) => s.callId === aCall && s.state === 'secure'), 15_000);
      const { callId: cCall } = await c.core.invoke('call', { uri });
      await c.until(securityWhere((s) => s.callId === cCall && s.state === 'secure'), 15_000);
      await a.until(callWhere((x) => x.callId === aCall && x.remoteHeld), 15_000);
      const from = a.events.length;
      child.stdin.write('{"id":5,"command":"hold","args":{"callId":1,"on":false}}\n');
      expect(await next((l) => l.event === 'response' && l.id === 5)).toMatchObject({ ok: true });
      await a.until(callWhere((x) => x.callId === aCall && !x.remoteHeld), 15_000, from);
      await c.until(callWhere((x) => x.callId === cCall && x.remoteHeld), 15_000);
    } finally {
      child.stdin.end();
      child.kill('SIGTERM');
    }
  }, 60_000);
});
