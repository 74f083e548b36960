// Vouch calls Vouch through Kamailio (issue 8): both register with digest auth, the call goes
// through the proxy (Record-Route), ZRTP keys it end to end past the server, video is added by
// multistream, and both hang up cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kamailio } from './kamailio/kamailio';
import { VouchUsers, accountOf, until } from './kamailio/vouch-users';
import type { VouchUser } from './kamailio/vouch-users';
import { findPeer } from './peers';
import { peerPort } from './ports';

const kamailio = findPeer('kamailio', 'kamailio kamailio-tls-modules');
const PASSWORD = 'correct horse';

describe.skipIf(!kamailio)('Vouch ↔ Vouch through Kamailio', () => {
  let k: Kamailio;
  let port = 0;
  const users = new VouchUsers();

  beforeAll(async () => {
    port = await peerPort();
    k = await Kamailio.start({ bin: kamailio!, udpPort: port, tcpPort: await peerPort(), password: PASSWORD });
  });
  afterAll(async () => {
    await users.close();
    await k?.stop();
  });

  const user = (name: string): Promise<VouchUser> =>
    users.addRegistered(`vouch-kam-${name}-`, {
      autoAnswer: name === 'bob',
      account: accountOf(name, '127.0.0.1', `127.0.0.1:${port}`, PASSWORD),
    });

  it('registers, calls through the proxy, secures with ZRTP, adds video, hangs up', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const { callId } = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${port}` });
    const a = await until(alice.events, (e) => (e.type === 'security' && e.security.state === 'secure' ? e.security : undefined));
    const b = await until(bob.events, (e) => (e.type === 'security' && e.security.state === 'secure' ? e.security : undefined));
    expect(a.sas).toBe(b.sas);
    const incoming = await until(bob.events, (e) => (e.type === 'callState' && e.call.direction === 'incoming' ? e.call : undefined));
    expect(incoming.remoteUri).toBe('sip:alice@127.0.0.1');
    await alice.core.invoke('addVideo', { callId });
    await until(bob.events, (e) => (e.type === 'security' && e.security.perStream.video?.state === 'secure' ? true : undefined));
    await alice.core.invoke('hangup', { callId });
    const ended = await until(bob.events, (e) => (e.type === 'callState' && e.call.state === 'ended' ? e.call : undefined));
    expect(ended.endReason).toBe('remote-hangup');
  }, 30_000);
});
