// Vouch users of the Kamailio tests: AppCores on 127.0.0.1 with a tone and the test VP8 clip as
// sources and no sinks (these tests look at signalling and keys, not at the media received), each
// in its own data directory, every api.ts event recorded. close() ends them all.
import { expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent, DeepPartial, Settings, Transport } from '../../../src/shared/api';
import { AppCore } from '../../../src/main/core/app-core';

export interface VouchUser {
  core: AppCore;
  events: ApiEvent[];
}

export class VouchUsers {
  private readonly dirs: string[] = [];
  private readonly cores: AppCore[] = [];

  /** `prefix` names the data directory (in the OS temp dir); `patch` is applied to the settings. */
  async add(prefix: string, patch: DeepPartial<Settings>): Promise<VouchUser> {
    const dataDir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dataDir);
    const core = new AppCore({
      dataDir,
      host: '127.0.0.1',
      sipPort: 0,
      io: { audioSource: { kind: 'tone', frequencyHz: 1000 }, audioSink: { kind: 'none' }, videoSource: { kind: 'ivf', path: 'assets/test-vp8.ivf' }, videoSink: { kind: 'none' }, audioCodecs: ['pcmu'] },
    });
    this.cores.push(core);
    const events: ApiEvent[] = [];
    core.onEvent((e) => events.push(e));
    await core.invoke('updateSettings', { patch });
    return { core, events };
  }

  /** add(), then REGISTER: the registrar must accept it. */
  async addRegistered(prefix: string, patch: DeepPartial<Settings>): Promise<VouchUser> {
    const u = await this.add(prefix, patch);
    const reg = await u.core.invoke('register', {});
    expect(reg.state).toBe('registered');
    return u;
  }

  async close(): Promise<void> {
    await Promise.all(this.cores.map((c) => c.close()));
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** The account of `name` (display name and digest username too) at `domain`, registering with `server` (host:port). */
export function accountOf(name: string, domain: string, server: string, password: string, transport: Transport = 'udp'): DeepPartial<Settings['account']> {
  return { displayName: name, address: `sip:${name}@${domain}`, username: name, password, server, transport, directIpOnly: false };
}

/** The first recorded event (seen or to come within `ms`) that `pick` maps to a value; throws when none does in time. */
export async function until<T>(events: ApiEvent[], pick: (e: ApiEvent) => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const e of events) {
      const v = pick(e);
      if (v !== undefined) return v;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}
