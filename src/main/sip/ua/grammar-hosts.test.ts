// Issue 20, what the SIP UA fuzzer found (test/fuzz/crashes/sip-ua/) on the wire over UDP and
// TCP: Via sent-bys and URI hosts that are no §25.1 host, Via parameters and From/To tags that
// are no generic-params (RFC 3261 §25.1) get 400 saying what is wrong, never 200; a top Via that
// does not parse leaves nowhere to answer (§18.2.2), so the request is dropped and counted. After
// each one an OPTIONS from the same source still gets 200; valid hosts and parameters still do.
import { afterEach, describe, expect, it } from 'vitest';
import { uaPool } from '../test-support';
import { RawPeer } from './test-support';
import type { WireProtocol } from './test-support';

const { ua, closeAll } = uaPool();
afterEach(closeAll);

const withLine = (lines: string[], at: number, line: string): string[] => lines.map((l, i) => (i === at ? line : l));
const secondVia = (protocol: WireProtocol, rest: string) => (l: string[]): string[] => [...l.slice(0, 2), `Via: SIP/2.0/${protocol} ${rest}`, ...l.slice(2)];

for (const protocol of ['UDP', 'TCP'] as const) {
  describe(`§25.1 hosts and generic-params over ${protocol}`, () => {
    async function open(): Promise<{ dropped: () => number; send: (edit: (l: string[]) => string[]) => Promise<{ status?: number; reason?: string }>; close: () => void }> {
      const bob = await ua('bob', { tcp: { port: 0 } });
      bob.on('incoming', () => undefined);
      const peer = await RawPeer.open(protocol, bob.localAddress(protocol)!.port);
      return {
        dropped: () => bob.stats.dropped,
        send: async (edit) => {
          const branch = RawPeer.branch();
          peer.send(edit(peer.request('OPTIONS', branch)));
          const res = await peer.response(branch, 500);
          expect(await peer.alive()).toBe(true);
          return { status: res?.status, reason: res?.reason };
        },
        close: () => peer.close(),
      };
    }

    it('answers 400 naming the part to a broken second Via, Request-URI host or From/To tag', async () => {
      const p = await open();
      const refused: [string, (l: string[]) => string[], RegExp][] = [
        ['Via param value with a space', secondVia(protocol, '127.0.0.1:5061;branch=z9hG4bi: Khjhs8ass877 ;received=127.0.0.1'), /Via/],
        ['Via param name opening a quote', secondVia(protocol, '127.0.0.1:5061;"ranch=z9"hG4bi'), /Via/],
        ['Via param x:=1', secondVia(protocol, '127.0.0.1:5061;x:=1;branch=z9hG4bK2'), /Via/],
        ['Via sent-by 1e9.0.0.1', secondVia(protocol, '1e9.0.0.1:5060;branch=z9hG4bK2'), /Via/],
        ['Via sent-by 127.', secondVia(protocol, '127.:5060;branch=z9hG4bK2'), /Via/],
        ['Via sent-by 127.0.4294967296.1', secondVia(protocol, '127.0.4294967296.1;branch=z9hG4bK2'), /Via/],
        ['Via sent-by 12', secondVia(protocol, '12;branch=z9hG4bK2'), /Via/],
        ['Request-URI host 127.', (l) => withLine(l, 0, 'OPTIONS sip:carol@127.;rport0.0.1 SIP/2.0'), /host/],
        ['From tag 1\\2', (l) => withLine(l, 3, 'From: <sip:raw@127.0.0.1>;tag=1\\2'), /From/],
        ['To tag a\\b', (l) => withLine(l, 4, 'To: <sip:ua@127.0.0.1>;tag=a\\b'), /To/],
        ['unquoted non-ASCII From display name', (l) => withLine(l, 3, 'From: Aq\ufffdlice <sip:raw@127.0.0.1>;tag=rawtag'), /From/],
        ['From host 1e9.0.0.1', (l) => withLine(l, 3, 'From: <sip:raw@1e9.0.0.1>;tag=rawtag'), /From/],
      ];
      for (const [name, edit, says] of refused) {
        const r = await p.send(edit);
        expect(r.status, name).toBe(400);
        expect(r.reason, name).toMatch(says);
      }
      p.close();
    });

    it('drops and counts a request whose top Via is broken: there is nowhere to answer (§18.2.2)', async () => {
      const p = await open();
      for (const via of ['127.0.0.1;x:=1', '1e9.0.0.1', '127.0.0.256']) {
        const before = p.dropped();
        const r = await p.send((l) => withLine(l, 1, `Via: SIP/2.0/${protocol} ${via};branch=z9hG4bKbroken;rport`));
        expect(r.status, via).toBeUndefined();
        expect(p.dropped(), via).toBe(before + 1);
      }
      p.close();
    });

    it('still answers 200 with valid hostnames, IPv6 references, token and quoted-string parameters', async () => {
      const p = await open();
      const accepted: [string, (l: string[]) => string[]][] = [
        ['second Via with a trailing-dot hostname', secondVia(protocol, 'pc33.atlanta.example.:5060;branch=z9hG4bK2;received=127.0.0.1')],
        ['second Via with an IPv6 reference', secondVia(protocol, '[::1]:5060;branch=z9hG4bK3;received=[::1]')],
        ['second Via with a quoted-string parameter', secondVia(protocol, `example.com;branch=z9hG4bK4;x="a, \\"b\\"; c";-.!%*_+\`'~=-.!%*_+\`'~`)],
        ['From tag of every token character', (l) => withLine(l, 3, "From: <sip:raw@127.0.0.1>;tag=-.!%*_+`'~aZ9")],
        ['quoted UTF-8 From display name', (l) => withLine(l, 3, 'From: "Jöhn" <sip:raw@127.0.0.1>;tag=rawtag')],
        ['To with a hostname', (l) => withLine(l, 4, 'To: <sip:ua@example.com>')],
      ];
      for (const [name, edit] of accepted) expect((await p.send(edit)).status, name).toBe(200);
      p.close();
    });
  });
}
