// Hostile challengers (issue 16, challenge.ts): a digest response is derived from the password,
// so the UA answers 401/407 only on requests to its own registrar/proxy and only for the
// account's realm.
// Real UDP sockets on 127.0.0.1; the peers are raw sockets that challenge everything. Each UA
// runs on a manual clock (time is an input of the transactions): retransmissions and Timer B
// happen only where a test advances it, never because a loaded host was slow to answer within
// T1 (a retransmitted INVITE drew a second 603 and was counted as a second credentialed request).
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { SipRequest } from '../message';
import { NOT_OWN_SERVER } from '../own-server';
import { parseMessage } from '../parser';
import { createResponse } from '../response';
import { serializeMessage } from '../serializer';
import type { SipBody } from '../session';
import { ManualScheduler } from '../timers';
import { SipUa } from './user-agent';
import type { SipUaOptions } from './options';

const FAST = { t1: 20, t2: 160, t4: 200, timerD: 200 } satisfies SipUaOptions['timers'];
const OFFER: SipBody = { contentType: 'application/sdp', body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n' };
const cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  // Last opened, first closed: a UA unregisters before its registrar's socket goes away.
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface Challenger {
  port: number;
  requests: SipRequest[];
  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void>;
}

/**
 * A raw UDP peer on 127.0.0.1: grants REGISTER after a 401 for `realm`, challenges every INVITE
 * with `inviteStatus` for `inviteRealm` and declines (603) one that carries credentials. With
 * `holdInvite`, an INVITE without credentials is answered only when its retransmission arrives,
 * then both get a challenge, each with its own nonce.
 */
async function challenger(realm: string, inviteStatus: 401 | 407, inviteRealm = realm, holdInvite = false): Promise<Challenger> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise<void>((r) => socket.close(() => r())));
  const requests: SipRequest[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  let held: SipRequest | undefined;
  const challenge = (req: SipRequest, nonce: string): Buffer => {
    const header = inviteStatus === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    return serializeMessage(createResponse(req, inviteStatus, { toTag: 'inv', headers: [[header, `Digest realm="${inviteRealm}", nonce="${nonce}", qop="auth", algorithm=MD5`]] }));
  };
  socket.on('message', (data, rinfo) => {
    const r = parseMessage(data);
    if (!r.ok || r.message.type !== 'request' || r.message.method === 'ACK') return;
    const req = r.message;
    requests.push(req);
    for (const w of waiting.filter((w) => requests.length >= w.count)) w.resolve();
    const credentials = req.headers.get('authorization') ?? req.headers.get('proxy-authorization');
    let res;
    if (req.method === 'REGISTER') {
      res = credentials
        ? createResponse(req, 200, { toTag: 'reg', headers: [['Contact', `${req.headers.get('contact')};expires=600`]] })
        : createResponse(req, 401, { toTag: 'reg', headers: [['WWW-Authenticate', `Digest realm="${realm}", nonce="r${requests.length}", qop="auth", algorithm=MD5`]] });
    } else if (credentials) {
      res = createResponse(req, 603, { toTag: 'inv' });
    } else if (holdInvite && !held) {
      held = req;
      return;
    } else {
      // A held INVITE gets its challenge first, then its retransmission one with a newer nonce.
      if (held) socket.send(challenge(held, 'held'), rinfo.port, rinfo.address);
      held = undefined;
      socket.send(challenge(req, `i${requests.length}`), rinfo.port, rinfo.address);
      return;
    }
    socket.send(serializeMessage(res), rinfo.port, rinfo.address);
  });
  const received = (count: number): Promise<void> =>
    requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }));
  return { port: socket.address().port, requests, received };
}

async function ua(extra: Partial<SipUaOptions>): Promise<SipUa> {
  const u = await SipUa.start({ user: 'alice', host: '127.0.0.1', password: 'secret password', timers: FAST, scheduler: new ManualScheduler(), ...extra });
  cleanup.push(() => u.close());
  return u;
}

const credentialsSent = (requests: SipRequest[]): SipRequest[] =>
  requests.filter((r) => r.method !== 'REGISTER' && (r.headers.has('authorization') || r.headers.has('proxy-authorization')));

describe('hostile challengers: the password goes only to the own server', () => {
  for (const status of [401, 407] as const) {
    it(`a direct-IP callee that answers ${status} gets no digest response; the call fails saying why`, async () => {
      const callee = await challenger('evil.example', status);
      const alice = await ua({});
      const refused: string[] = [];
      alice.on('authRefused', (why: string) => refused.push(why));
      const out = alice.invite(`sip:bob@127.0.0.1:${callee.port}`, OFFER);
      await expect(out.answered).rejects.toMatchObject({ status, reason: NOT_OWN_SERVER });
      // One INVITE (counted by branch and CSeq: a retransmission would be the same request).
      expect(new Set(callee.requests.map((r) => `${r.method} ${r.headers.get('via')} ${r.headers.get('cseq')}`)).size).toBe(1);
      expect(credentialsSent(callee.requests)).toEqual([]);
      expect(refused).toEqual([NOT_OWN_SERVER]);
    });
  }

  it('a registered account refuses a callee on another port of the registrar host, even with the same realm', async () => {
    const registrar = await challenger('vouch.test', 407);
    const callee = await challenger('vouch.test', 407);
    const alice = await ua({ registrar: `sip:127.0.0.1:${registrar.port}` });
    expect(alice.registration?.expires).toBe(600);
    const out = alice.invite(`sip:bob@127.0.0.1:${callee.port}`, OFFER);
    await expect(out.answered).rejects.toMatchObject({ status: 407, reason: NOT_OWN_SERVER });
    expect(credentialsSent(callee.requests)).toEqual([]);
  });

  it('the registrar as proxy gets credentials for its realm, and nothing for a realm a callee behind it relays', async () => {
    const proxy = await challenger('vouch.test', 407);
    const alice = await ua({ registrar: `sip:127.0.0.1:${proxy.port}` });
    const answered = alice.invite(`sip:bob@127.0.0.1:${proxy.port}`, OFFER);
    await expect(answered.answered).rejects.toMatchObject({ status: 603 });
    const sent = credentialsSent(proxy.requests);
    expect(sent).toHaveLength(1);
    expect(sent[0].headers.get('proxy-authorization')).toContain('realm="vouch.test"');

    const relaying = await challenger('vouch.test', 407, 'callee.example');
    const bob = await ua({ user: 'bob', registrar: `sip:127.0.0.1:${relaying.port}` });
    const out = bob.invite(`sip:carol@127.0.0.1:${relaying.port}`, OFFER);
    await expect(out.answered).rejects.toMatchObject({ status: 407, reason: expect.stringContaining('realm "callee.example"') as unknown });
    expect(credentialsSent(relaying.requests)).toEqual([]);
  });

  it('a challenge that crosses a retransmission is answered once: the later 407 of the same transaction is absorbed (§17.1.1.2)', async () => {
    const proxy = await challenger('vouch.test', 407, 'vouch.test', true);
    const clock = new ManualScheduler();
    const alice = await ua({ registrar: `sip:127.0.0.1:${proxy.port}`, scheduler: clock });
    const out = alice.invite(`sip:bob@127.0.0.1:${proxy.port}`, OFFER);
    await proxy.received(proxy.requests.length + 1);
    clock.advance(FAST.t1); // Timer A: the INVITE again; the proxy now challenges both copies.
    await expect(out.answered).rejects.toMatchObject({ status: 603 });
    const invites = proxy.requests.filter((r) => r.method === 'INVITE');
    expect(invites).toHaveLength(3);
    expect(invites[1].headers.get('via')).toBe(invites[0].headers.get('via'));
    const sent = credentialsSent(proxy.requests);
    expect(sent).toEqual([invites[2]]);
    expect(sent[0].headers.get('proxy-authorization')).toContain('nonce="held"');
  });

  it('a configured realm binds registration too: a registrar asking for another realm gets no answer', async () => {
    const registrar = await challenger('elsewhere.example', 401);
    await expect(ua({ registrar: `sip:127.0.0.1:${registrar.port}`, realm: 'vouch.test' })).rejects.toThrow(/REGISTER failed: 401 .*realm "elsewhere.example"/);
    expect(registrar.requests.filter((r) => r.headers.has('authorization'))).toEqual([]);
  });
});
