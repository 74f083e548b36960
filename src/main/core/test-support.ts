// Helpers shared by this folder's tests: a registrar that sees us from behind a NAT, and an
// AppCore registered with it.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RegistrationInfo } from '../../shared/api';
import { parseMessage, serializeMessage } from '../sip';
import type { SipRequest } from '../sip';
import { createResponse } from '../sip/response';
import { AppCore } from './app-core';
import type { CallManager } from './call-manager';

/** What undoes a test's setup, run in reverse order after it. */
export type Cleanup = (() => Promise<void> | void)[];

/** The source port a NAT gave us, as the registrar reports it. */
export const NAT_PORT = 40007;

export interface NatRegistrar {
  port: number;
  /** The Contact of every REGISTER received. */
  contacts: string[];
  invites: SipRequest[];
}

/**
 * Registrar and proxy in one on 127.0.0.1: 200 to requests, 486 to INVITEs, with our Via's rport
 * and received filled in as `received`:NAT_PORT, what it would write seeing us through a NAT
 * (RFC 3581 §4).
 */
export async function natRegistrar(cleanup: Cleanup, received: string): Promise<NatRegistrar> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise<void>((r) => sock.close(() => r())));
  const contacts: string[] = [];
  const invites: SipRequest[] = [];
  sock.on('message', (data, rinfo) => {
    const p = parseMessage(data);
    if (!p.ok || p.message.type !== 'request' || p.message.method === 'ACK') return;
    const req = p.message;
    if (req.method === 'REGISTER') contacts.push(req.headers.get('contact') ?? '');
    if (req.method === 'INVITE') invites.push(req);
    const status = req.method === 'INVITE' ? 486 : 200;
    const res = createResponse(req, status, { toTag: 'nat', headers: req.method === 'REGISTER' ? [['Contact', `${req.headers.get('contact')};expires=60`]] : [] });
    const vias = res.headers.getAll('via');
    res.headers.delete('via');
    res.headers.add('Via', vias[0].replace(/;rport(=\d*)?/, `;rport=${NAT_PORT};received=${received}`));
    for (const v of vias.slice(1)) res.headers.add('Via', v);
    sock.send(serializeMessage(res), rinfo.port, rinfo.address);
  });
  return { port: sock.address().port, contacts, invites };
}

/**
 * The call manager inside an AppCore, for tests that watch its SIP user agent (a trace, counters)
 * or ask where a call's media would bind; front ends reach AppCore only through api.ts.
 */
export function callManagerOf(core: AppCore): CallManager {
  // Bracket access reads the private field without widening AppCore's public surface.
  return core['calls'];
}

/** The start-up rehearsal of an answer an AppCore ran (call/warm-up.ts); undefined before start(). */
export function rehearsalOf(core: AppCore): Promise<{ answered: boolean; sent: readonly string[] }> | undefined {
  return core['rehearsal'];
}

/** An AppCore on 127.0.0.1 (no media worker yet) registered as sip:erin@vouch.test with `registrar`; `seen` records its registration events. */
export async function registeredCore(cleanup: Cleanup, registrar: NatRegistrar, dirPrefix: string): Promise<{ core: AppCore; seen: RegistrationInfo[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), dirPrefix));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const core = new AppCore({ dataDir, host: '127.0.0.1', sipPort: 0, prestartWorker: false });
  cleanup.push(() => core.close());
  const seen: RegistrationInfo[] = [];
  core.onEvent((e) => void (e.type === 'registration' && seen.push(e.registration)));
  await core.invoke('updateSettings', {
    patch: { account: { address: 'sip:erin@vouch.test', username: 'erin', server: `127.0.0.1:${registrar.port}`, transport: 'udp', directIpOnly: false }, keepAliveSeconds: 0 },
  });
  expect((await core.invoke('register', {})).state).toBe('registered');
  return { core, seen };
}

/** A UDP socket on 127.0.0.1 (a raw test UAC's), closed at cleanup. */
export async function boundUdp(cleanup: Cleanup): Promise<import('node:dgram').Socket> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise<void>((r) => sock.close(() => r())));
  return sock;
}

/**
 * The INVITE a bare UAC at `me` (127.0.0.1:port) sends to Vouch on `sipPort` over UDP: Call-ID
 * and branch from `tag`, From carol (tag=carol), then `headers` and `body` with its Content-Length.
 */
export function incomingInvite(sipPort: number, me: string, tag: string, headers: string[], body: string): string {
  return [
    `INVITE sip:vouch@127.0.0.1:${sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP ${me};branch=z9hG4bK-${tag};rport`,
    'Max-Forwards: 70',
    `From: <sip:carol@${me}>;tag=carol`,
    `To: <sip:vouch@127.0.0.1:${sipPort}>`,
    `Call-ID: ${tag}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:carol@${me}>`,
    ...headers,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** An AppCore pinned to 127.0.0.1 on a free SIP port, no worker started ahead; gone at cleanup. */
export async function loopbackCore(cleanup: Cleanup, dirPrefix: string, onEvent?: (e: import('../../shared/api').ApiEvent) => void): Promise<AppCore> {
  const dataDir = mkdtempSync(join(tmpdir(), dirPrefix));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = new AppCore({ dataDir, host: '127.0.0.1', sipPort: 0, prestartWorker: false });
  cleanup.push(() => c.close());
  if (onEvent) c.onEvent(onEvent);
  await c.start();
  return c;
}
