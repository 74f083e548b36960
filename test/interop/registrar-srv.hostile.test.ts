// The own server found by DNS (issue 16): the account names its server by a name whose SRV
// record (RFC 3263 §4.2, dnsmasq on 127.0.0.1) points at Kamailio under another name and port.
// Vouch gives its password to that target, since it is what the registrar's URI resolved to:
// registration succeeds. (Anyone else asking is refused: sip-challenge.hostile.test.ts.)
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCore } from '../../src/main/core/app-core';
import { Dnsmasq } from './dnsmasq/dnsmasq';
import { Kamailio } from './kamailio/kamailio';
import { findPeer } from './peers';
import { peerPort } from './ports';

const kamailio = findPeer('kamailio', 'kamailio kamailio-tls-modules');
const dnsmasq = findPeer('dnsmasq', 'dnsmasq-base');
const PASSWORD = 'correct horse';

describe.skipIf(!kamailio || !dnsmasq)('a registrar found by SRV is the own server', () => {
  const stops: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const s of stops.reverse()) await s();
  });

  it('registers with pbx.vouch.test, whose SRV names sip1.vouch.test on another port', async () => {
    const port = await peerPort();
    const k = await Kamailio.start({ bin: kamailio!, udpPort: port, tcpPort: await peerPort(), password: PASSWORD });
    stops.push(() => k.stop());
    const dns = await Dnsmasq.start(dnsmasq!, {
      zones: ['vouch.test'],
      srv: [{ name: '_sip._udp.pbx.vouch.test', target: 'sip1.vouch.test', port, priority: 10, weight: 0 }],
      hosts: [{ name: 'sip1.vouch.test', addresses: ['127.0.0.1'] }],
    });
    stops.push(() => dns.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'vouch-srv-reg-'));
    stops.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const core = new AppCore({
      dataDir,
      host: '127.0.0.1',
      sipPort: 0,
      io: { audioSource: { kind: 'tone', frequencyHz: 1000 }, audioSink: { kind: 'none' }, videoSource: { kind: 'ivf', path: 'assets/test-vp8.ivf' }, videoSink: { kind: 'none' }, audioCodecs: ['pcmu'] },
    });
    stops.push(() => core.close());
    await core.invoke('updateSettings', {
      patch: {
        dnsServers: [dns.server],
        account: { displayName: 'alice', address: 'sip:alice@vouch.test', username: 'alice', password: PASSWORD, server: 'pbx.vouch.test', transport: 'udp', directIpOnly: false },
      },
    });
    expect(await core.invoke('register', {})).toMatchObject({ state: 'registered' });
  }, 30_000);
});
