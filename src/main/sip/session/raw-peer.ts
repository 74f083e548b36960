// A hand-driven SIP peer on a UDP socket at 127.0.0.1 for the PRACK, UPDATE and session-timer
// tests: it sends the text it is given and keeps every message Vouch sends back, parsed.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import type { SipMessage, SipRequest, SipResponse } from '../message';
import { parseMessage } from '../parser';

export class RawPeer {
  readonly received: SipMessage[] = [];
  private fences = 0;
  private readonly fenceAnswers = new Map<string, () => void>();
  private constructor(private readonly sock: Socket) {
    sock.on('message', (m) => {
      const r = parseMessage(m);
      if (!r.ok) return;
      const fence = r.message.type === 'response' ? /;branch=(z9hG4bKfence\d+)/.exec(r.message.headers.get('via') ?? '')?.[1] : undefined;
      if (fence) this.fenceAnswers.get(fence)?.();
      else this.received.push(r.message);
    });
  }

  static async open(): Promise<RawPeer> {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    return new RawPeer(sock);
  }

  get port(): number {
    return this.sock.address().port;
  }

  /** Sends `lines` joined with CRLF, Content-Length computed from `body`. */
  send(to: number, lines: string[], body = ''): void {
    const text = `${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    this.sock.send(text, to, '127.0.0.1');
  }

  responses(status?: number, method?: string): SipResponse[] {
    return this.received.filter((m): m is SipResponse => m.type === 'response' && (status === undefined || m.status === status) && (method === undefined || (m.headers.get('cseq') ?? '').endsWith(method)));
  }

  requests(method: string): SipRequest[] {
    return this.received.filter((m): m is SipRequest => m.type === 'request' && m.method === method);
  }

  /**
   * Resolves once Vouch at `to` has handled everything this peer sent it before, and this peer
   * holds everything Vouch sent before that: Vouch reads its socket in order and answers an
   * OPTIONS outside any dialog at once (RFC 3261 §11.2), and one socket pair over loopback keeps
   * its order. The OPTIONS and its answer are not kept in `received`.
   */
  async fence(to: number): Promise<void> {
    const n = ++this.fences;
    const answered = new Promise<void>((resolve) => this.fenceAnswers.set(`z9hG4bKfence${n}`, resolve));
    this.send(to, rawRequest('OPTIONS', to, this.port, { callId: `fence-${n}@raw`, cseq: 1, branch: `fence${n}` }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to fence OPTIONS ${n} within 2 s`)), 2000)));
    try {
      await Promise.race([answered, late]);
    } finally {
      clearTimeout(timer);
      this.fenceAnswers.delete(`z9hG4bKfence${n}`);
    }
  }

  /** Waits (real time, up to 2 s) until `done` holds. */
  async until(done: () => boolean): Promise<void> {
    const deadline = Date.now() + 2000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the peer');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  close(): void {
    this.sock.close();
  }
}

/** The headers of a request from the raw peer at `from` to Vouch at `to` (hosts 127.0.0.1). */
export function rawRequest(method: string, to: number, from: number, o: { callId: string; cseq: number; branch: string; toTag?: string; extra?: string[]; cseqMethod?: string }): string[] {
  return [
    `${method} sip:bob@127.0.0.1:${to} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${from};branch=z9hG4bK${o.branch};rport`,
    'Max-Forwards: 70',
    'From: <sip:raw@127.0.0.1>;tag=raw1',
    `To: <sip:bob@127.0.0.1>${o.toTag ? `;tag=${o.toTag}` : ''}`,
    `Call-ID: ${o.callId}`,
    `CSeq: ${o.cseq} ${o.cseqMethod ?? method}`,
    `Contact: <sip:raw@127.0.0.1:${from}>`,
    ...(o.extra ?? []),
  ];
}

/** A response from the raw peer to `req` (Via, From, To, Call-ID, CSeq copied; To tagged). */
export function rawResponse(req: SipRequest, status: number, reason: string, from: number, extra: string[] = []): string[] {
  const h = req.headers;
  const to = h.get('to') ?? '';
  return [
    `SIP/2.0 ${status} ${reason}`,
    ...h.getAll('via').map((v) => `Via: ${v}`),
    `From: ${h.get('from')}`,
    `To: ${to.includes('tag=') ? to : `${to};tag=rawuas`}`,
    `Call-ID: ${h.get('call-id')}`,
    `CSeq: ${h.get('cseq')}`,
    `Contact: <sip:raw@127.0.0.1:${from}>`,
    ...extra,
  ];
}

export const RAW_SDP = 'v=0\r\no=raw 1 1 IN IP4 127.0.0.1\r\ns=raw\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

/** Fast transaction timers for tests against a raw peer (T1 20 ms, so 64·T1 is 1.28 s). */
export const RAW_PEER_TIMERS = { t1: 20, t2: 160, t4: 200, timerD: 200 };

/** The raw peers a test file opens, all closed by `closePeers` (call it in afterEach). */
export function rawPeerPool(): { rawPeer: () => Promise<RawPeer>; closePeers: () => void } {
  const peers: RawPeer[] = [];
  return {
    rawPeer: async () => {
      const p = await RawPeer.open();
      peers.push(p);
      return p;
    },
    closePeers: () => {
      for (const p of peers.splice(0)) p.close();
    },
  };
}
