// The network lab itself (root): built only from lab namespaces, cone and symmetric NATs behave
// as their names say, unsolicited packets die at the router, nothing routes out of the lab, and
// teardown leaves nothing behind.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { Lab, ADDR, labSkipReason, labNamespaces, labEtcEntries } from './lab';
import { startEcho, probe } from './udp-probe';

const skip = labSkipReason();
const rootLinks = (): string => spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout.replace(/\\.*$/gm, '').replace(/^\d+: /gm, '');

describe.skipIf(skip)('network lab', () => {
  let lab: Lab;
  let linksBefore = '';
  beforeAll(async () => {
    linksBefore = rootLinks();
    lab = await Lab.create({ conntrackUdpTimeoutS: 3 });
    await startEcho(lab, 'pub', '203.0.113.1', 7000);
    await startEcho(lab, 'pub', '198.51.100.1', 7001);
  });
  afterAll(async () => {
    await lab?.destroy();
  });

  it('builds everything inside lab namespaces: the root namespace gains no link', () => {
    expect(labNamespaces(lab.tag).length).toBe(10);
    expect(rootLinks()).toBe(linksBefore);
  });

  it('has no route out of the lab', () => {
    // Only the home hosts have a default route, and it leads to their router, which has none.
    for (const role of ['pub', 'ra', 'rb', 'lan', 'l1', 'l2', 'v6a', 'v6b'] as const) {
      const r = spawnSync('ip', ['-n', lab.ns(role), 'route', 'get', '192.0.2.1'], { encoding: 'utf8' });
      expect(r.status, role).not.toBe(0);
    }
    expect(lab.ip('ha', 'route', 'show', 'default')).toContain('via 10.0.1.1');
  });

  it('cone NAT: one public port for every destination, the private port kept', () => {
    lab.setNat('ra', 'cone');
    const seen = probe(lab, 'ha', 40000, ['203.0.113.1:7000', '198.51.100.1:7001']);
    expect(seen).toEqual([`${ADDR.raWan}:40000`, `${ADDR.raWan}:40000`]);
  });

  it('symmetric NAT (masquerade fully-random): a new public port per destination', () => {
    lab.setNat('rb', 'symmetric');
    const seen = probe(lab, 'hb', 40000, ['203.0.113.1:7000', '198.51.100.1:7001']);
    expect(seen.every((s) => s.startsWith(`${ADDR.rbWan}:`))).toBe(true);
    expect(seen[0]).not.toBe(seen[1]);
    lab.setNat('rb', 'cone');
  });

  it('drops unsolicited datagrams at the router; a mapping lets replies in until the UDP timeout', async () => {
    lab.setNat('ra', 'cone');
    // The host behind ra opens a mapping towards 203.0.113.1:7300 only.
    const echo = await startEcho(lab, 'ha', '0.0.0.0', 7100, '203.0.113.1:7300');
    expect(probe(lab, 'pub', 7400, [`${ADDR.raWan}:7100`])).toEqual(['']);
    expect(probe(lab, 'pub', 7300, [`${ADDR.raWan}:7100`])).toEqual(['203.0.113.1:7300']);
    // Silence longer than the router's UDP timeout (3 s here): the mapping is gone.
    await new Promise((r) => setTimeout(r, 4500));
    expect(probe(lab, 'pub', 7300, [`${ADDR.raWan}:7100`])).toEqual(['']);
    expect(echo.seen).toEqual(['203.0.113.1:7300']);
    await echo.process.stop();
  });

  it('full-cone NAT: one public port kept for every destination, and unsolicited datagrams from anyone reach the host', async () => {
    lab.setNat('ra', 'full-cone');
    try {
      expect(probe(lab, 'ha', 40100, ['203.0.113.1:7000', '198.51.100.1:7001'])).toEqual([`${ADDR.raWan}:40100`, `${ADDR.raWan}:40100`]);
      // The host opened its port towards 203.0.113.1:7300 only; 7400 and the other network's
      // address never heard from it, yet their datagrams reach it (endpoint-independent filtering).
      const echo = await startEcho(lab, 'ha', '0.0.0.0', 7110, '203.0.113.1:7300');
      expect(probe(lab, 'pub', 7400, [`${ADDR.raWan}:7110`])).toEqual(['203.0.113.1:7400']);
      // (its stdout line may trail the echo by a moment)
      for (let i = 0; i < 50 && echo.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(echo.seen).toEqual(['203.0.113.1:7400']);
      await echo.process.stop();
      // The same under the cone NAT: dropped at the router, as before.
      lab.setNat('ra', 'cone');
      const coneEcho = await startEcho(lab, 'ha', '0.0.0.0', 7111, '203.0.113.1:7300');
      expect(probe(lab, 'pub', 7400, [`${ADDR.raWan}:7111`])).toEqual(['']);
      expect(coneEcho.seen).toEqual([]);
      await coneEcho.process.stop();
    } finally {
      lab.setNat('ra', 'cone');
    }
  });

  it('home hosts reach the public side through their router; the flat LAN is a world apart', async () => {
    expect(probe(lab, 'hb', 41000, ['203.0.113.1:7000'])[0]).toMatch(new RegExp(`^${ADDR.rbWan.replaceAll('.', '\\.')}:`));
    const echo = await startEcho(lab, 'l2', ADDR.l2, 7000);
    expect(probe(lab, 'l1', 41000, [`${ADDR.l2}:7000`])).toEqual([`${ADDR.l1}:41000`]);
    expect(probe(lab, 'ha', 41000, [`${ADDR.l2}:7000`])).toEqual(['']);
    await echo.process.stop();
  });

  it('removes its namespaces and their /etc/netns files on destroy', async () => {
    const other = await Lab.create();
    expect(labNamespaces(other.tag).length).toBe(10);
    await other.destroy();
    expect(labNamespaces(other.tag)).toEqual([]);
    expect(labEtcEntries(other.tag)).toEqual([]);
  });
});
