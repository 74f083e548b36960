// Child process of src/main/last-resort.hostile.test.ts (a vitest worker treats any uncaught
// error as a failed run, so the throws happen here): two AppCores in a secure call on loopback,
// the browser shell in front of the caller; then a deferred throw and an unhandled rejection
// escape every handler, and malformed input hits the shell. Prints one JSON line: what the last
// resort counted and whether the call stayed up and kept receiving audio.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installLastResort, lastResortCounts } from '../../src/main/last-resort';
import { startBrowserShell } from '../../src/main/browser-shell/server';
import { VouchPeers } from './vouch-peer';
import { securityWhere, statsWhere } from './vouch-events';

const logged: string[] = [];
installLastResort((line) => logged.push(line));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const peers = new VouchPeers();
const renderer = mkdtempSync(join(tmpdir(), 'vouch-last-resort-'));
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Vouch</title>');

try {
  const alice = await peers.start({ autoAnswer: false });
  const bob = await peers.start({ autoAnswer: true });
  const shell = await startBrowserShell(alice.core, { rendererDir: renderer, log: (l) => logged.push(l) });
  const { callId } = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bob.sipPort}` });
  await alice.until(securityWhere((s) => s.state === 'secure'), 20_000);
  await alice.until(statsWhere('audio', 20), 20_000);
  const from = alice.events.length;
  const packetsBefore = alice.lastStats('audio')?.packetsReceived ?? 0;

  // A listener whose deferred work throws, and a promise nobody awaits: both escape every handler.
  const off = alice.core.onEvent((e) => {
    if (e.type !== 'stats') return;
    off();
    setImmediate(() => {
      throw new Error('a stats handler threw');
    });
    void Promise.reject(new Error('nobody handled this'));
  });
  // Malformed input at the shell in front of the same AppCore: a bad target and a bad frame.
  for (const bytes of [`GET /% HTTP/1.1\r\nHost: 127.0.0.1:${shell.port}\r\n\r\n`]) {
    const s = connect(shell.port, '127.0.0.1');
    s.on('error', () => undefined);
    s.end(bytes);
  }
  await sleep(2500);
  const ended = alice.events.slice(from).some((e) => e.type === 'callState' && e.call.state === 'ended') || bob.events.some((e) => e.type === 'callState' && e.call.state === 'ended');
  const packetsAfter = alice.lastStats('audio')?.packetsReceived ?? 0;
  process.stdout.write(JSON.stringify({ counts: lastResortCounts, ended, packetsBefore, packetsAfter, shellBadRequests: shell.counters.badRequests, logged }) + '\n');
  await alice.core.invoke('hangup', { callId });
  await shell.close();
} finally {
  await peers.closeAll();
  rmSync(renderer, { recursive: true, force: true });
}
process.exit(0);
