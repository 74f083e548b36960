// A raw SIP peer for wire tests of what the UA answers (issue 20): writes request text over UDP
// or TCP from 127.0.0.1 and collects the responses, matched by the branch of their top Via.
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { Socket as TcpSocket } from 'node:net';
import { SipHeaders } from '../headers';
import type { SipResponse } from '../message';
import { topVia } from '../message';
import { parseMessage } from '../parser';
import type { ParseResult } from '../parser';
import type { SipSession } from '../session';
import { offer } from '../test-support';
import type { SipUa } from './user-agent';

/** Status line and header lines of a response the strict parser refuses (its copied headers are broken). */
function lenientResponse(text: string): SipResponse | undefined {
  const [head] = text.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const m = /^SIP\/2\.0 (\d{3}) (.*)$/.exec(lines[0]);
  if (!m) return undefined;
  const headers = new SipHeaders();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.add(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { type: 'response', status: Number(m[1]), reason: m[2], headers, body: '' };
}

export type WireProtocol = 'UDP' | 'TCP';

let branchCounter = 0;

export class RawPeer {
  readonly responses: SipResponse[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    readonly protocol: WireProtocol,
    readonly port: number,
    private readonly targetPort: number,
    private readonly write: (data: Buffer) => void,
    readonly close: () => void,
  ) {}

  /** Opens a UDP socket or a TCP connection from 127.0.0.1 to the UA's port. */
  static async open(protocol: WireProtocol, targetPort: number): Promise<RawPeer> {
    if (protocol === 'UDP') {
      const sock: UdpSocket = createSocket('udp4');
      await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
      const peer: RawPeer = new RawPeer('UDP', sock.address().port, targetPort, (d) => sock.send(d, targetPort, '127.0.0.1'), () => sock.close());
      sock.on('message', (m) => peer.take(parseMessage(m), m));
      return peer;
    }
    const sock: TcpSocket = connect({ host: '127.0.0.1', port: targetPort });
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    sock.on('error', () => undefined);
    const peer: RawPeer = new RawPeer('TCP', sock.localPort ?? 0, targetPort, (d) => sock.write(d), () => sock.destroy());
    // Framed by Content-Length (§18.3) here rather than by SipStreamFramer, so a response the
    // strict parser refuses still arrives with its bytes.
    let buf = '';
    sock.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const cl = Number(/\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + cl) return;
        const raw = Buffer.from(buf.slice(0, end + 4 + cl), 'latin1');
        buf = buf.slice(end + 4 + cl);
        peer.take(parseMessage(raw), raw);
      }
    });
    return peer;
  }

  /** Called with the text of every request the UA sends this peer (a BYE, say). */
  onRequestText: ((text: string) => void) | undefined;

  private take(r: ParseResult, raw?: Buffer): void {
    if (r.ok && r.message.type === 'request' && raw) this.onRequestText?.(raw.toString('utf8'));
    // A refusal copies the request's broken headers (§8.2.6.2): read those leniently.
    const res = r.ok ? r.message : raw ? lenientResponse(raw.toString('utf8')) : undefined;
    if (res?.type !== 'response') return;
    this.responses.push(res);
    for (const w of this.waiters.splice(0)) w();
  }

  /** A fresh branch with the RFC 3261 magic cookie. */
  static branch(): string {
    return `z9hG4bKraw${process.pid}x${++branchCounter}`;
  }

  /** The Via line this peer's requests carry (rport, so UDP answers come back to this socket). */
  via(branch: string): string {
    return `Via: SIP/2.0/${this.protocol} 127.0.0.1:${this.port};branch=${branch};rport`;
  }

  /** A well-formed request's lines (without the blank line); tests edit them into malformed ones. */
  request(method: string, branch: string, callId = `raw-${branch}`, cseq = 1): string[] {
    return [
      `${method} sip:ua@127.0.0.1:${this.targetPort};transport=${this.protocol.toLowerCase()} SIP/2.0`,
      this.via(branch),
      'Max-Forwards: 70',
      'From: <sip:raw@127.0.0.1>;tag=rawtag',
      'To: <sip:ua@127.0.0.1>',
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${method}`,
      'Content-Length: 0',
    ];
  }

  send(lines: string[] | string, body = ''): void {
    this.write(Buffer.from(typeof lines === 'string' ? lines : `${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8'));
  }

  /** The first final (or any, with `provisional`) response whose top Via carries `branch`. */
  async response(branch: string, timeoutMs = 2000, provisional = false): Promise<SipResponse | undefined> {
    return this.responseWhere((res) => topVia(res)?.params.get('branch') === branch && (provisional || res.status >= 200), timeoutMs);
  }

  /** The first response `match` accepts, waiting up to `timeoutMs`. */
  async responseWhere(match: (res: SipResponse) => boolean, timeoutMs = 2000): Promise<SipResponse | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = this.responses.find(match);
      if (r || Date.now() >= deadline) return r;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Liveness: an OPTIONS from this same source still gets 200 (issue 20's check after each bad message). */
  async alive(): Promise<boolean> {
    const branch = RawPeer.branch();
    this.send(this.request('OPTIONS', branch));
    return (await this.response(branch))?.status === 200;
  }
}

/**
 * Bob, a UA on UDP and TCP (free ports) that answers every call it gets, and a raw peer on
 * `protocol` aimed at him: the set-up of the dialog wire tests.
 */
export async function answeringBobAndRawPeer(ua: (user: string, extra?: { tcp?: { port: number } }) => Promise<SipUa>, protocol: WireProtocol): Promise<{ bob: SipUa; calls: SipSession[]; peer: RawPeer }> {
  const bob = await ua('bob', { tcp: { port: 0 } });
  const calls: SipSession[] = [];
  bob.on('incoming', (s: SipSession) => {
    calls.push(s);
    s.accept(offer('answer'));
  });
  const peer = await RawPeer.open(protocol, bob.localAddress(protocol)!.port);
  return { bob, calls, peer };
}
