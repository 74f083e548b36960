// Issue 20 part A on the wire, over UDP and TCP: every malformed request refused with the right
// status (RFC 3261 §7.3.1, §8.2, §18.3, §21.4.1, §21.5.6), valid but unusual syntax accepted
// (RFC 4475 §3.1.1 classes written from the §25 grammar), and after each one an OPTIONS from the
// same source still gets 200.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { uaPool } from '../test-support';
import type { SipUa } from './user-agent';
import { RawPeer } from './test-support';
import type { WireProtocol } from './test-support';

const { ua, closeAll } = uaPool();
afterEach(closeAll);

async function peerOf(protocol: WireProtocol): Promise<{ bob: SipUa; peer: RawPeer }> {
  const bob = await ua('bob', { tcp: { port: 0 } });
  bob.on('incoming', () => undefined);
  const peer = await RawPeer.open(protocol, bob.localAddress(protocol)!.port);
  return { bob, peer };
}

/** Sends the edited request and returns its final response, then checks liveness. */
async function exchange(peer: RawPeer, edit: (lines: string[]) => string[], method = 'OPTIONS', body = ''): Promise<{ status?: number; reason?: string; allow?: string }> {
  const branch = RawPeer.branch();
  peer.send(edit(peer.request(method, branch)), body);
  const res = await peer.response(branch);
  expect(await peer.alive()).toBe(true);
  return { status: res?.status, reason: res?.reason, allow: res?.headers.get('allow') };
}

const insertAfterVia = (lines: string[], line: string): string[] => [...lines.slice(0, 2), line, ...lines.slice(2)];
const replaceHeader = (lines: string[], name: string, line: string | undefined): string[] =>
  lines.flatMap((l) => (l.toLowerCase().startsWith(`${name.toLowerCase()}:`) ? (line === undefined ? [] : [line]) : [l]));

/** Each single-valued header and the lines that make it appear twice in the peer's request. */
const DUPLICATES: [string, string][] = [
  ['Call-ID', 'Call-ID: second@127.0.0.1'],
  ['CSeq', 'CSeq: 2 OPTIONS'],
  ['From', 'From: <sip:eve@127.0.0.1>;tag=other'],
  ['To', 'To: <sip:carol@127.0.0.1>'],
  ['Max-Forwards', 'Max-Forwards: 69'],
  ['Content-Length', 'Content-Length: 0'],
  ['Content-Type', 'Content-Type: application/sdp\r\nContent-Type: text/plain'],
];

for (const protocol of ['UDP', 'TCP'] as const) {
  describe(`malformed and unusual requests over ${protocol}`, () => {
    it('answers 400 naming each repeated single-valued header (§7.3.1, §20)', async () => {
      const { peer } = await peerOf(protocol);
      for (const [name, line] of DUPLICATES) {
        const r = await exchange(peer, (l) => insertAfterVia(l, line));
        expect(r.status, name).toBe(400);
        expect(r.reason, name).toContain(name);
      }
      peer.close();
    });

    it('property: a single-valued header repeated anywhere, in any case, gets 400 and the source stays served', async () => {
      const { peer } = await peerOf(protocol);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...DUPLICATES), fc.integer({ min: 2, max: 8 }), fc.boolean(), async ([, line], at, upper) => {
          const extra = upper ? line.toUpperCase() : line;
          const r = await exchange(peer, (l) => [...l.slice(0, at), extra, ...l.slice(at)]);
          return r.status === 400;
        }),
        { numRuns: 15 },
      );
      peer.close();
    });

    it('accepts leading zeros, quoted-pairs, non-SIP From/To, folding, compact forms and odd case', async () => {
      const { peer } = await peerOf(protocol);
      const accepted: [string, (l: string[]) => string[]][] = [
        ['leading zeros', (l) => replaceHeader(replaceHeader(l, 'Max-Forwards', 'Max-Forwards: 0068'), 'CSeq', 'CSeq: 000000001 OPTIONS')],
        ['quoted-pair', (l) => replaceHeader(l, 'From', 'From: "\\"raw\\\\ \\\x01peer\\"" <sip:raw@127.0.0.1>;tag=rawtag')],
        ['tel: From', (l) => replaceHeader(l, 'From', 'From: <tel:+1-201-555-0123>;tag=rawtag')],
        ['http: To', (l) => replaceHeader(l, 'To', 'To: <http://www.example.com/ua>')],
        ['urn: From', (l) => replaceHeader(l, 'From', 'From: "U" <urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>;tag=rawtag')],
        ['folding', (l) => replaceHeader(l, 'From', 'From: <sip:raw@127.0.0.1>\r\n  ;tag=rawtag')],
        ['compact forms', (l) => l.map((x) => x.replace(/^From:/, 'f:').replace(/^To:/, 't:').replace(/^Call-ID:/, 'i:').replace(/^Content-Length:/, 'l:').replace(/^Via:/, 'v:'))],
        ['odd case', (l) => l.map((x) => x.replace(/^Max-Forwards:/, 'mAx-FoRwArDs:').replace('SIP/2.0/', 'sip/2.0/').replace(';branch=', ';BRANCH=').replace(' SIP/2.0', ' sip/2.0'))],
      ];
      for (const [name, edit] of accepted) expect((await exchange(peer, edit)).status, name).toBe(200);
      peer.close();
    });

    it('property: any mix of leading zeros, compact forms, folding and scrambled case still gets 200', async () => {
      const { peer } = await peerOf(protocol);
      const COMPACT: [RegExp, string][] = [[/^From:/, 'f:'], [/^To:/, 't:'], [/^Call-ID:/, 'i:'], [/^Content-Length:/, 'l:'], [/^Via:/, 'v:']];
      const scramble = (name: string, bits: number): string => [...name].map((c, i) => ((bits >> i % 16) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
      await fc.assert(
        fc.asyncProperty(fc.nat(6), fc.nat(6), fc.subarray(COMPACT), fc.nat(0xffff), fc.boolean(), async (zerosMf, zerosSeq, compact, bits, fold) => {
          const r = await exchange(peer, (l) =>
            l.map((line) => {
              let x = line.replace(/^Max-Forwards: 70/, `Max-Forwards: ${'0'.repeat(zerosMf)}70`).replace(/^CSeq: 1 /, `CSeq: ${'0'.repeat(zerosSeq)}1 `);
              for (const [long, short] of compact) x = x.replace(long, short);
              if (x.startsWith('Max-Forwards') || x.startsWith('CSeq') || x.startsWith('To')) x = scramble(x.slice(0, x.indexOf(':')), bits) + x.slice(x.indexOf(':'));
              if (fold && /^(From|f):/.test(x)) x = x.replace(';tag=', '\r\n\t;tag=');
              return x;
            }),
          );
          return r.status === 200;
        }),
        { numRuns: 12 },
      );
      peer.close();
    });

    it('property: any required header but Via dropped or emptied gets 400 naming it, never silence', async () => {
      const { peer } = await peerOf(protocol);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('From', 'To', 'Call-ID', 'CSeq'), fc.boolean(), async (name, drop) => {
          const r = await exchange(peer, (l) => replaceHeader(l, name, drop ? undefined : `${name}: `));
          return r.status === 400 && (r.reason ?? '').includes(name);
        }),
        { numRuns: 12 },
      );
      peer.close();
    });

    it('answers 501 with Allow to an unknown method and 405 with Allow to a known one it does not take (§8.2.1)', async () => {
      const { peer } = await peerOf(protocol);
      const unknown = await exchange(peer, (l) => l, 'NEWMETHOD.x!%');
      expect(unknown.status).toBe(501);
      expect(unknown.allow).toContain('INVITE');
      // An RFC 4475 §3.1.1 valid class: a method made of every token character there is.
      expect((await exchange(peer, (l) => l, "!odd-Method0123456789_*+`.%indeed'~")).status).toBe(501);
      const known = await exchange(peer, (l) => l, 'PUBLISH');
      expect(known.status).toBe(405);
      expect(known.allow).not.toContain('PUBLISH');
      peer.close();
    });

    it('answers 505 to another SIP version and 400 saying what is wrong to broken required headers', async () => {
      const { peer } = await peerOf(protocol);
      const version = await exchange(peer, (l) => [l[0].replace(/SIP\/2\.0$/, 'SIP/7.0'), ...l.slice(1)]);
      expect(version.status).toBe(505);
      const broken: [string, (l: string[]) => string[], RegExp][] = [
        ['bad CSeq', (l) => replaceHeader(l, 'CSeq', 'CSeq: one OPTIONS'), /CSeq/],
        ['CSeq method mismatch', (l) => replaceHeader(l, 'CSeq', 'CSeq: 1 INVITE'), /CSeq/],
        ['missing Call-ID', (l) => replaceHeader(l, 'Call-ID', undefined), /Call-ID/],
        ['missing From', (l) => replaceHeader(l, 'From', undefined), /From/],
        ['missing To', (l) => replaceHeader(l, 'To', undefined), /To/],
        ['unparsable To', (l) => replaceHeader(l, 'To', 'To: <sip:ua@127.0.0.1'), /To/],
        ['Max-Forwards 256', (l) => replaceHeader(l, 'Max-Forwards', 'Max-Forwards: 256'), /Max-Forwards/],
        ['request line with extra spaces', (l) => [l[0].replace(' sip:', '   sip:'), ...l.slice(1)], /start line/],
        ['<> around the Request-URI', (l) => [l[0].replace(/ (sip:\S+) /, ' <$1> '), ...l.slice(1)], /URI/],
        ['unquoted display name with a comma', (l) => replaceHeader(l, 'To', 'To: Ua, The <sip:ua@127.0.0.1>'), /To/],
        ['Call-ID with a space', (l) => replaceHeader(l, 'Call-ID', 'Call-ID: two words'), /Call-ID/],
        ['LWS inside the Request-URI', (l) => [l[0].replace(';transport', '; transport'), ...l.slice(1)], /start line/],
      ];
      for (const [name, edit, says] of broken) {
        const r = await exchange(peer, edit);
        expect(r.status, name).toBe(400);
        expect(r.reason, name).toMatch(says);
      }
      peer.close();
    });
  });
}

describe('Content-Length against the datagram (§18.3)', () => {
  it('answers 400 over UDP when Content-Length is larger than the body', async () => {
    const { peer } = await peerOf('UDP');
    const r = await exchange(peer, (l) => replaceHeader(l, 'Content-Length', 'Content-Length: 40'), 'OPTIONS', 'v=0\r\n');
    expect(r.status).toBe(400);
    expect(r.reason).toMatch(/Content-Length/);
    peer.close();
  });

  it('over TCP the framer waits for the rest of the body, then answers', async () => {
    const { peer } = await peerOf('TCP');
    const branch = RawPeer.branch();
    const lines = replaceHeader(peer.request('OPTIONS', branch), 'Content-Length', 'Content-Length: 10');
    peer.send(lines, 'v=0\r\n');
    expect(await peer.response(branch, 300)).toBeUndefined();
    peer.send('x=1\r\n');
    expect((await peer.response(branch))?.status).toBe(200);
    expect(await peer.alive()).toBe(true);
    peer.close();
  });
});

describe('conflicting Content-Length on a stream (§18.3, §7.3.1)', () => {
  it('answers 400 naming Content-Length, then closes; a new connection is served', async () => {
    const { bob, peer } = await peerOf('TCP');
    const branch = RawPeer.branch();
    peer.send(insertAfterVia(peer.request('OPTIONS', branch), 'Content-Length: 5'), 'v=0\r\n');
    const r = await peer.response(branch);
    expect(r?.status).toBe(400);
    expect(r?.reason).toContain('Content-Length');
    peer.close();
    const again = await RawPeer.open('TCP', bob.localAddress('TCP')!.port);
    expect(await again.alive()).toBe(true);
    again.close();
  });
});
