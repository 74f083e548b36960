import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimInstance, parseHandover, SOCKET_NAME, type Handover } from './single-instance';

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'vouch-si-'));
}

describe('parseHandover', () => {
  it('reads a sip: URI or none, refuses anything else with a typed error', () => {
    expect(parseHandover('{"uri":"sip:bob@127.0.0.1:5062"}')).toEqual({ ok: true, handover: { uri: 'sip:bob@127.0.0.1:5062' } });
    expect(parseHandover('{"uri":null}')).toEqual({ ok: true, handover: { uri: undefined } });
    expect(parseHandover('{"uri":"http://evil"}')).toEqual({ ok: false, error: 'bad-uri' });
    expect(parseHandover('{"uri":"sip:a b"}')).toEqual({ ok: false, error: 'bad-uri' });
    expect(parseHandover('[1]')).toEqual({ ok: false, error: 'not-an-object' });
    expect(parseHandover('{')).toEqual({ ok: false, error: 'not-json' });
  });
  it('never throws', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (s) => typeof parseHandover(s).ok === 'boolean'));
  });
});

describe('claimInstance', () => {
  it('the first launch owns a 0600 socket; a second hands over its URI and gets the answer; closing frees the data dir', async () => {
    const dir = dataDir();
    try {
      const seen: Handover[] = [];
      const first = await claimInstance(dir, undefined, async (h) => {
        seen.push(h);
        return { ok: true, detail: 'call 1' };
      });
      expect(first.kind).toBe('primary');
      expect(statSync(join(dir, SOCKET_NAME)).mode & 0o777).toBe(0o600);
      const second = await claimInstance(dir, 'sip:bob@127.0.0.1:5062', async () => ({ ok: false, error: 'not me' }));
      expect(second).toMatchObject({ kind: 'handed-over', answer: { ok: true, detail: 'call 1' } });
      const third = await claimInstance(dir, undefined, async () => ({ ok: false, error: 'not me' }));
      expect(third.kind).toBe('handed-over');
      expect(seen).toEqual([{ uri: 'sip:bob@127.0.0.1:5062' }, { uri: undefined }]);
      if (first.kind === 'primary') await first.close();
      const after = await claimInstance(dir, undefined, async () => ({ ok: true }));
      expect(after.kind).toBe('primary');
      if (after.kind === 'primary') await after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a crashed instance's socket (nobody listening) is taken over", async () => {
    const dir = dataDir();
    try {
      const path = join(dir, SOCKET_NAME);
      // A crash: a process binds the socket and is killed before it can remove it.
      spawnSync(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
      expect(existsSync(path)).toBe(true);
      const claim = await claimInstance(dir, undefined, async () => ({ ok: true }));
      expect(claim.kind).toBe('primary');
      if (claim.kind === 'primary') await claim.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a plain file in the way is not a running instance either', async () => {
    const dir = dataDir();
    try {
      writeFileSync(join(dir, SOCKET_NAME), 'junk');
      const claim = await claimInstance(dir, undefined, async () => ({ ok: true }));
      expect(claim.kind).toBe('primary');
      if (claim.kind === 'primary') await claim.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad request line gets a typed error back, and the instance keeps serving', async () => {
    const dir = dataDir();
    try {
      const first = await claimInstance(dir, undefined, async () => ({ ok: true }));
      const { createConnection } = await import('node:net');
      const reply = await new Promise<string>((resolve) => {
        const s = createConnection(join(dir, SOCKET_NAME), () => s.write('{"uri":"javascript:alert(1)"}\n'));
        let buf = '';
        s.on('data', (d) => (buf += d.toString()));
        s.on('end', () => resolve(buf));
      });
      expect(JSON.parse(reply)).toEqual({ ok: false, error: 'bad-uri' });
      expect((await claimInstance(dir, 'sip:a@127.0.0.1', async () => ({ ok: false, error: 'x' }))).kind).toBe('handed-over');
      if (first.kind === 'primary') await first.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
