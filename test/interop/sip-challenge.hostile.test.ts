// Hostile callees ask for the password (issue 16). A digest response lets whoever gets it guess
// the password offline, so Vouch answers challenges only from its own server and for its realm:
// - a direct-IP account (password still stored) calls sipp, which answers 401: nothing is sent;
// - a registered account calls, through Kamailio, a sipp registered there that answers 401 for
//   its own realm; Kamailio relays it, and Vouch, whose server's realm is another, sends nothing.
// Both calls end saying why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, CallInfo, DeepPartial, Settings } from '../../src/shared/api';
import { NOT_OWN_SERVER } from '../../src/main/sip/own-server';
import { Kamailio } from './kamailio/kamailio';
import { VouchUsers } from './kamailio/vouch-users';
import type { VouchUser } from './kamailio/vouch-users';
import { SCENARIOS, runSipp } from './sipp/sipp';
import type { SippResult } from './sipp/sipp';
import { findPeer } from './peers';
import { peerPort, untilBound } from './ports';

const kamailio = findPeer('kamailio', 'kamailio kamailio-tls-modules');
const sipp = findPeer('sipp', 'sip-tester');
const PASSWORD = 'correct horse';

describe.skipIf(!kamailio || !sipp)('hostile challengers: callees asking for the password', () => {
  let k: Kamailio;
  let registrarPort = 0;
  const users = new VouchUsers();

  beforeAll(async () => {
    registrarPort = await peerPort();
    k = await Kamailio.start({ bin: kamailio!, udpPort: registrarPort, tcpPort: await peerPort(), password: PASSWORD, algorithm: 'MD5' });
  });
  afterAll(async () => {
    await users.close();
    await k?.stop();
  });

  const alice = (account: DeepPartial<Settings['account']>): Promise<VouchUser> =>
    users.add('vouch-hostile-401-', { account: { address: 'sip:alice@127.0.0.1', username: 'alice', password: PASSWORD, transport: 'udp', ...account } });

  /** sipp answering 401 for `realm` on a fresh port. */
  async function hostileCallee(realm: string): Promise<{ port: number; done: Promise<SippResult> }> {
    const port = await peerPort();
    const p = runSipp(sipp!, ['-sf', `${SCENARIOS}uas-hostile-401.xml`, '-set', 'realm', realm, '-m', '1', '-p', String(port)], 10_000);
    await untilBound(port, 'udp'); // sipp listens
    return { port, done: p.done };
  }

  const endOf = async (events: ApiEvent[]): Promise<CallInfo | undefined> => {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const e = events.find((x): x is Extract<ApiEvent, { type: 'callState' }> => x.type === 'callState' && x.call.state === 'ended');
      if (e) return e.call;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  };

  function expectNoCredentials(result: SippResult): void {
    expect(result.code, result.errors + result.stdout.slice(-2000)).toBe(0);
    expect(result.messages).not.toMatch(/^(proxy-)?authorization:/im);
    // One INVITE transaction: a loaded host may retransmit the INVITE (Timer A, T1) before the
    // 401 arrives, and sipp logs the copy; it has the same branch. A retry would have a new one.
    const invites = result.messages.match(/^INVITE sip:/gm) ?? [];
    const branches = [...result.messages.matchAll(/^INVITE sip:[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*?Via:[^\r\n]*?;branch=([^;\s,]+)/gim)].map((m) => m[1]);
    expect(branches).toHaveLength(invites.length);
    expect(new Set(branches).size).toBe(1);
  }

  it('a direct-IP account with a stored password gives a callee that answers 401 nothing', async () => {
    const a = await alice({ server: '', directIpOnly: true });
    const callee = await hostileCallee('127.0.0.1');
    await a.core.invoke('call', { uri: `sip:bob@127.0.0.1:${callee.port}` });
    expectNoCredentials(await callee.done);
    expect(await endOf(a.events)).toMatchObject({ endReason: 'failed', sipStatus: 401, sipReason: NOT_OWN_SERVER });
  }, 30_000);

  it('a registered account gives a callee behind its own server, asking for another realm, nothing', async () => {
    const a = await alice({ server: `127.0.0.1:${registrarPort}`, directIpOnly: false });
    expect(await a.core.invoke('register', {})).toMatchObject({ state: 'registered' });
    const callee = await hostileCallee('hostile.example');
    const registering = runSipp(
      sipp!,
      ['-sf', `${SCENARIOS}uac-register-contact.xml`, '-s', 'mallory', '-au', 'mallory', '-ap', PASSWORD, '-set', 'contact', `sip:mallory@127.0.0.1:${callee.port}`, '-m', '1', '-p', String(await peerPort()), `127.0.0.1:${registrarPort}`],
      10_000,
    );
    const reg = await registering.done;
    expect(reg.code, reg.errors + reg.stdout.slice(-2000)).toBe(0);
    await a.core.invoke('call', { uri: 'sip:mallory@127.0.0.1' });
    expectNoCredentials(await callee.done);
    const ended = await endOf(a.events);
    expect(ended).toMatchObject({ endReason: 'failed', sipStatus: 401 });
    expect(ended?.sipReason).toContain('realm "hostile.example"');
  }, 30_000);
});
