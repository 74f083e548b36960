// `vouch --commands`: JSON lines on stdin answered one JSON line each, through a real AppCore.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VouchPeers, type VouchPeer } from '../../test/interop/vouch-peer';
import { readCommands, runCommandLine } from './cli-commands';

const peers = new VouchPeers();
let peer: VouchPeer;
beforeAll(async () => {
  peer = await peers.start({ autoAnswer: false });
});
afterAll(() => peers.closeAll());

describe('CLI command lines', () => {
  it('runs a command; "kind" and "id" may be left out', async () => {
    expect(await runCommandLine(peer.core, '{"command":"getHistory"}', 7)).toEqual({ event: 'response', id: 7, ok: true, result: [] });
    expect(await runCommandLine(peer.core, '{"kind":"request","id":3,"command":"getHistory","args":{}}', 8)).toMatchObject({ id: 3, ok: true });
  });

  it('answers bad lines with typed errors and skips blank ones', async () => {
    expect(await runCommandLine(peer.core, '   ', 1)).toBeUndefined();
    expect(await runCommandLine(peer.core, 'hold 1', 1)).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'not JSON' } });
    expect(await runCommandLine(peer.core, '{"command":"fly"}', 1)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await runCommandLine(peer.core, '{"command":"transfer","args":{"callId":1}}', 1)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/to must be/) } });
    expect(await runCommandLine(peer.core, '{"command":"hold","args":{"callId":99,"on":false}}', 1)).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    expect(await runCommandLine(peer.core, `{"command":"call","args":{"uri":"${'x'.repeat(5000)}"}}`, 1)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('reads lines from a stream in order, numbering those without an id', async () => {
    const input = new PassThrough();
    const answers: Record<string, unknown>[] = [];
    const stop = readCommands(peer.core, input, (a) => answers.push(a));
    input.write('{"command":"getHistory"}\n\n{"command":"nope"}\n');
    // Two answers: the blank line is skipped.
    for (const end = Date.now() + 5000; answers.length < 2 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
    stop();
    expect(answers.map((a) => [a.id, a.ok])).toEqual([
      [1, true],
      [3, false],
    ]);
  });
});
