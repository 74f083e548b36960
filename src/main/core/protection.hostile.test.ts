// Whoever lowers protection (a window, a script holding the shell's token, the CLI), every front
// end hears of it at once (issue 16: a local user set autoAnswer and allow-unencrypted unseen).
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent } from '../../shared/api';
import { AppCore } from './app-core';

const dirs: string[] = [];
const cores: AppCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newCore(): { core: AppCore; events: ApiEvent[] } {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-protection-'));
  dirs.push(dir);
  const core = new AppCore({ dataDir: dir, host: '127.0.0.1', sipPort: 0, prestartWorker: false });
  cores.push(core);
  const events: ApiEvent[] = [];
  core.onEvent((e) => events.push(e));
  return { core, events };
}

const lowered = (events: ApiEvent[]) => events.filter((e) => e.type === 'protectionLowered');

describe('AppCore says when protection is lowered', () => {
  it('emits protectionLowered for media security below zrtp-required and for auto-answer turned on, in one event', async () => {
    const { core, events } = newCore();
    const res = await core.handle({ kind: 'request', id: 1, command: 'updateSettings', args: { patch: { mediaSecurity: 'allow-unencrypted', autoAnswer: true } } });
    expect(res.ok).toBe(true);
    expect(lowered(events)).toEqual([
      {
        type: 'protectionLowered',
        changes: [
          { setting: 'mediaSecurity', from: 'zrtp-required', to: 'allow-unencrypted' },
          { setting: 'autoAnswer', from: false, to: true },
        ],
      },
    ]);
  });

  it('each step down counts: zrtp-required -> allow-sdes -> allow-unencrypted', async () => {
    const { core, events } = newCore();
    await core.invoke('updateSettings', { patch: { mediaSecurity: 'allow-sdes' } });
    await core.invoke('updateSettings', { patch: { mediaSecurity: 'allow-unencrypted' } });
    expect(lowered(events).map((e) => (e.type === 'protectionLowered' ? e.changes : []))).toEqual([
      [{ setting: 'mediaSecurity', from: 'zrtp-required', to: 'allow-sdes' }],
      [{ setting: 'mediaSecurity', from: 'allow-sdes', to: 'allow-unencrypted' }],
    ]);
  });

  it('stays quiet when protection goes up or an unrelated setting changes, and for a refused change', async () => {
    const { core, events } = newCore();
    await core.invoke('updateSettings', { patch: { mediaSecurity: 'allow-sdes', autoAnswer: true } });
    events.length = 0;
    await core.invoke('updateSettings', { patch: { mediaSecurity: 'zrtp-required', autoAnswer: false } });
    await core.invoke('updateSettings', { patch: { callWaiting: true } });
    await core.invoke('updateSettings', { patch: { autoAnswer: false } });
    const refused = await core.handle({ kind: 'request', id: 2, command: 'updateSettings', args: { patch: { mediaSecurity: 'none-at-all' as never } } });
    expect(refused.ok).toBe(false);
    expect(lowered(events)).toEqual([]);
  });
});
