// A hostile Record-Routing SIP proxy over UDP (on 127.0.0.1, or a lab router's address), written for the security-policy and
// network-fault tests: the kind of server ARCHITECTURE.md "Security state only goes up" says must
// not be able to weaken a call. It forwards like a stateless proxy (RFC 3261 §16.11: branches
// derived from the incoming ones, so ACK and CANCEL match), Record-Routes so in-dialog requests
// cross it (§16.6 step 4), and remembers each dialog so it can:
//  - rewrite the SDP of the next re-INVITE in flight,
//  - send re-INVITEs of its own inside the dialog toward either side (its own Via, the dialog's
//    Call-ID and tags, a CSeq above the side's last one; later requests are renumbered so the
//    real peers' CSeq order still holds, §12.2.2),
//  - carry media through a UdpRelay by rewriting the m= ports of every offer and answer,
//  - drop SIP datagrams (loss) through a predicate.
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { SipHeaders, parseMessage, serializeMessage } from '../../src/main/sip';
import type { SipMessage, SipRequest, SipResponse } from '../../src/main/sip';
import type { RelayLeg, UdpRelay } from './udp-relay';

export type Side = 'caller' | 'callee';

export interface HostileProxyOptions {
  /** SIP port of the callee new INVITEs go to; may change between calls. */
  calleePort: number;
  /** The callee's address (default: `host`). */
  calleeHost?: string;
  /** The address the proxy and its relay legs bind and advertise (default 127.0.0.1). */
  host?: string;
  /** Carries media through this relay (offers' and answers' m= ports rewritten). */
  relay?: UdpRelay;
  /** Returns true to drop a datagram the proxy received (SIP loss). */
  dropSip?: (message: SipMessage) => boolean;
}

export interface Endpoint {
  /** From/To value with its tag, as the side writes it for itself. */
  nameAddr: string;
  contact: string;
  port: number;
  host: string;
}

export interface DialogRecord {
  callId: string;
  callerTag: string;
  caller: Endpoint;
  callee?: Endpoint;
  /** Added to the CSeq of requests going toward that side (room made by our own requests). */
  offset: Record<Side, number>;
  /** Highest CSeq sent toward that side, as that side sees it. */
  lastSeq: Record<Side, number>;
  /** SDP bodies as each side last sent them (before relay rewriting). */
  lastSdp: Partial<Record<Side, string>>;
  legs: Promise<RelayLeg>[];
}

export interface ForwardedMessage {
  from: Side | 'proxy';
  message: SipMessage;
}

interface OwnTransaction {
  resolve: (r: SipResponse) => void;
  request: SipRequest;
  toward: Side;
  port: number;
  host: string;
  timer: ReturnType<typeof setInterval>;
  giveUp: ReturnType<typeof setTimeout>;
  ack?: Buffer;
}

const LOOPBACK = '127.0.0.1';

export class HostileProxy {
  calleePort: number;
  readonly host: string;
  readonly calleeHost: string;
  /** Every message the proxy received and did not drop, in order (a SIP trace for assertions). */
  readonly seen: ForwardedMessage[] = [];
  readonly counters = { received: 0, dropped: 0, forwarded: 0, unparseable: 0 };
  private readonly dialogs = new Map<string, DialogRecord>();
  private readonly own = new Map<string, OwnTransaction>();
  private rewriteNext: ((sdp: string) => string) | undefined;
  private branchCounter = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly options: HostileProxyOptions,
  ) {
    this.calleePort = options.calleePort;
    this.host = options.host ?? LOOPBACK;
    this.calleeHost = options.calleeHost ?? this.host;
    socket.on('message', (data, rinfo) => this.onDatagram(data, rinfo.port, rinfo.address));
  }

  static async start(options: HostileProxyOptions, port = 0): Promise<HostileProxy> {
    const socket = createSocket('udp4');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.bind(port, options.host ?? LOOPBACK, () => resolve()));
    return new HostileProxy(socket, options);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** The URI a caller dials to reach the callee through the proxy. */
  uriFor(user: string): string {
    return `sip:${user}@${this.host}:${this.port}`;
  }

  /** The next re-INVITE crossing the proxy has its SDP replaced by `edit(sdp)`. */
  rewriteNextReinvite(edit: (sdp: string) => string): void {
    this.rewriteNext = edit;
  }

  /** The one dialog the proxy has seen set up (tests run one call at a time). */
  dialog(): DialogRecord {
    const d = [...this.dialogs.values()].reverse().find((x) => x.callee !== undefined);
    if (!d) throw new Error('the proxy has seen no established dialog');
    return d;
  }

  /** The SDP a side last sent, as it sent it. */
  lastSdp(from: Side): string {
    const sdp = this.dialog().lastSdp[from];
    if (sdp === undefined) throw new Error(`no SDP seen from the ${from}`);
    return sdp;
  }

  /**
   * Sends a re-INVITE of the proxy's own toward `toward`, dressed as the other side's, and resolves
   * with the final response (after ACKing it). Retransmits every 500 ms until a response arrives;
   * rejects when no final response comes within 8 s.
   */
  sendReinvite(toward: Side, sdp: string): Promise<SipResponse> {
    const d = this.dialog();
    const callee = d.callee!;
    const [fromEp, toEp] = toward === 'callee' ? [d.caller, callee] : [callee, d.caller];
    const seq = d.lastSeq[toward] + 1;
    d.lastSeq[toward] = seq;
    d.offset[toward] += 1;
    const branch = this.newBranch();
    const h = new SipHeaders();
    h.add('Via', `SIP/2.0/UDP ${this.host}:${this.port};branch=${branch}`);
    h.add('Max-Forwards', '70');
    h.add('From', fromEp.nameAddr);
    h.add('To', toEp.nameAddr);
    h.add('Call-ID', d.callId);
    h.add('CSeq', `${seq} INVITE`);
    h.add('Contact', fromEp.contact);
    h.add('Content-Type', 'application/sdp');
    const req: SipRequest = { type: 'request', method: 'INVITE', uri: uriOf(toEp.contact), headers: h, body: sdp };
    const data = serializeMessage(req);
    this.seen.push({ from: 'proxy', message: req });
    return new Promise<SipResponse>((resolve, reject) => {
      let tries = 0;
      const timer = setInterval(() => {
        if (++tries <= 6) this.send(data, toEp.port, toEp.host);
      }, 500);
      const giveUp = setTimeout(() => {
        clearInterval(timer);
        reject(new Error(`no final response to the proxy's re-INVITE toward the ${toward}`));
      }, 8000);
      const done = (r: SipResponse): void => {
        clearTimeout(giveUp);
        resolve(r);
      };
      this.own.set(branch, { resolve: done, request: req, toward, port: toEp.port, host: toEp.host, timer, giveUp });
      this.send(data, toEp.port, toEp.host);
    });
  }

  async close(): Promise<void> {
    for (const t of this.own.values()) {
      clearInterval(t.timer);
      clearTimeout(t.giveUp);
    }
    this.own.clear();
    await new Promise<void>((r) => this.socket.close(() => r()));
  }

  // ---- forwarding ---------------------------------------------------------------------------

  private onDatagram(data: Buffer, sourcePort: number, sourceHost: string): void {
    this.counters.received++;
    const parsed = parseMessage(data);
    if (!parsed.ok) {
      this.counters.unparseable++;
      return;
    }
    const msg = parsed.message;
    if (this.options.dropSip?.(msg)) {
      this.counters.dropped++;
      return;
    }
    void (msg.type === 'request' ? this.onRequest(msg, sourcePort, sourceHost) : this.onResponse(msg));
  }

  private sideOf(d: DialogRecord, msg: SipMessage): Side {
    return tagIn(msg.headers.get('from')) === d.callerTag ? 'caller' : 'callee';
  }

  private async onRequest(req: SipRequest, sourcePort: number, sourceHost: string): Promise<void> {
    const callId = req.headers.get('call-id') ?? '';
    const toTag = tagIn(req.headers.get('to'));
    let d = this.dialogs.get(callId);
    if (req.method === 'INVITE' && toTag === undefined && !d) {
      d = {
        callId,
        callerTag: tagIn(req.headers.get('from')) ?? '',
        caller: { nameAddr: req.headers.get('from') ?? '', contact: req.headers.getAll('contact')[0] ?? '', port: sourcePort, host: sourceHost },
        offset: { caller: 0, callee: 0 },
        lastSeq: { caller: 0, callee: 0 },
        lastSdp: {},
        legs: [],
      };
      this.dialogs.set(callId, d);
    }
    const from: Side = d ? this.sideOf(d, req) : 'caller';
    this.seen.push({ from, message: req });
    const fwd: SipRequest = { ...req, headers: req.headers.clone() };
    const topVia = fwd.headers.getAll('via')[0] ?? '';
    fwd.headers.prepend('Via', `SIP/2.0/UDP ${this.host}:${this.port};branch=${derivedBranch(topVia, this.port)}`);
    // §16.3 step 3: a request that has run out of hops goes no further (loops end here).
    const mf = Number(fwd.headers.get('max-forwards') ?? '70');
    if (!(mf > 0)) return;
    fwd.headers.set('Max-Forwards', String(mf - 1));
    let port: number | undefined;
    let host = this.calleeHost;
    if (toTag === undefined) {
      // Out of dialog (the initial INVITE, its CANCEL and ACK): to the callee, recorded.
      fwd.uri = `sip:${userOf(req.uri)}@${this.calleeHost}:${this.calleePort}`;
      if (req.method === 'INVITE') fwd.headers.prepend('Record-Route', `<sip:${this.host}:${this.port};lr>`);
      port = this.calleePort;
    } else {
      // In dialog: pop our Route (§16.4), then to the next Route or the Request-URI.
      const routes = fwd.headers.getAll('route');
      if (routes[0]?.includes(`:${this.port}`)) {
        fwd.headers.delete('route');
        for (const r of routes.slice(1)) fwd.headers.add('Route', r);
      }
      const next = fwd.headers.getAll('route')[0] ?? fwd.uri;
      // RFC 3263 §4.2: a SIP URI without a port means 5060.
      port = portOf(next) ?? 5060;
      host = hostOf(next) ?? this.calleeHost;
      if (port === this.port && host === this.host) {
        // Addressed to the proxy itself (the ACK of a refused initial INVITE): on to the callee.
        fwd.uri = `sip:${userOf(req.uri)}@${this.calleeHost}:${this.calleePort}`;
        host = this.calleeHost;
        port = this.calleePort;
      }
    }
    if (d && toTag !== undefined) {
      const toward: Side = from === 'caller' ? 'callee' : 'caller';
      const c = /^\s*(\d+)\s+(\S+)/.exec(req.headers.get('cseq') ?? '');
      if (c) {
        const seq = Number(c[1]) + d.offset[toward];
        if (req.method !== 'ACK' && req.method !== 'CANCEL') d.lastSeq[toward] = Math.max(d.lastSeq[toward], seq);
        fwd.headers.set('CSeq', `${seq} ${c[2]}`);
      }
      if (req.method === 'INVITE' && req.body) d.lastSdp[from] = req.body;
      if (req.method === 'INVITE' && this.rewriteNext && fwd.body) {
        fwd.body = this.rewriteNext(fwd.body);
        this.rewriteNext = undefined;
      }
    } else if (d && req.method === 'INVITE') {
      if (req.body) d.lastSdp.caller = req.body;
      d.lastSeq.callee = Math.max(d.lastSeq.callee, Number(/^\s*(\d+)/.exec(req.headers.get('cseq') ?? '')?.[1] ?? 0));
    }
    if (d && fwd.body && /^application\/sdp/i.test(req.headers.get('content-type') ?? '')) {
      fwd.body = await this.relaySdp(d, from, fwd.body);
    }
    if (port === undefined) return;
    this.counters.forwarded++;
    this.send(serializeMessage(fwd), port, host);
  }

  private async onResponse(res: SipResponse): Promise<void> {
    const vias = res.headers.getAll('via');
    const branch = /;\s*branch=([^;\s,]+)/i.exec(vias[0] ?? '')?.[1] ?? '';
    const mine = this.own.get(branch);
    if (mine) return this.onOwnResponse(branch, mine, res);
    if (!vias[0]?.includes(`:${this.port}`)) return;
    const callId = res.headers.get('call-id') ?? '';
    const d = this.dialogs.get(callId);
    const from: Side = d ? (this.sideOf(d, res) === 'caller' ? 'callee' : 'caller') : 'callee';
    this.seen.push({ from, message: res });
    const fwd: SipResponse = { ...res, headers: res.headers.clone() };
    const rest = vias.slice(1);
    fwd.headers.delete('via');
    for (const v of rest) fwd.headers.add('Via', v);
    const c = /^\s*(\d+)\s+(\S+)/.exec(res.headers.get('cseq') ?? '');
    if (d && c) {
      // A response travels back toward the side that asked: undo the renumbering of its request,
      // which went toward the side now answering.
      if (d.callee) fwd.headers.set('CSeq', `${Number(c[1]) - d.offset[from]} ${c[2]}`);
      if (from === 'callee' && c[2] === 'INVITE' && res.status >= 200 && res.status < 300 && !d.callee) {
        d.callee = { nameAddr: res.headers.get('to') ?? '', contact: res.headers.getAll('contact')[0] ?? '', port: portOf(res.headers.getAll('contact')[0] ?? '') ?? this.calleePort, host: hostOf(res.headers.getAll('contact')[0] ?? '') ?? this.calleeHost };
      }
      if (fwd.body && /^application\/sdp/i.test(res.headers.get('content-type') ?? '')) {
        d.lastSdp[from] = fwd.body;
        fwd.body = await this.relaySdp(d, from, fwd.body);
      }
    }
    const next = rest[0];
    if (!next) return;
    const port = Number(/;\s*rport=(\d+)/i.exec(next)?.[1] ?? /^\s*SIP\s*\/\s*2\.0\s*\/\s*\S+\s+[^:;\s]+:(\d+)/i.exec(next)?.[1] ?? 5060);
    // §18.2.2: to the received= address when the sender wrote one, else the sent-by host.
    const host = /;\s*received=([^;\s]+)/i.exec(next)?.[1] ?? /^\s*SIP\s*\/\s*2\.0\s*\/\s*\S+\s+([^:;\s]+)/i.exec(next)?.[1] ?? this.host;
    this.counters.forwarded++;
    this.send(serializeMessage(fwd), port, host);
  }

  private onOwnResponse(branch: string, t: OwnTransaction, res: SipResponse): void {
    this.seen.push({ from: t.toward, message: res });
    clearInterval(t.timer);
    if (res.status < 200) return;
    if (!t.ack) {
      // §17.1.1.3: the ACK for a non-2xx shares the INVITE's branch; a 2xx gets its own (§13.2.2.4).
      const h = new SipHeaders();
      const ok = res.status < 300;
      h.add('Via', `SIP/2.0/UDP ${this.host}:${this.port};branch=${ok ? this.newBranch() : branch}`);
      h.add('Max-Forwards', '70');
      h.add('From', t.request.headers.get('from') ?? '');
      h.add('To', res.headers.get('to') ?? '');
      h.add('Call-ID', t.request.headers.get('call-id') ?? '');
      h.add('CSeq', `${/^\s*(\d+)/.exec(t.request.headers.get('cseq') ?? '')?.[1] ?? '1'} ACK`);
      t.ack = serializeMessage({ type: 'request', method: 'ACK', uri: t.request.uri, headers: h, body: '' });
      t.resolve(res);
    }
    this.send(t.ack, t.port, t.host);
  }

  /**
   * With a relay: each m-line's port becomes the relay port facing the other side, and each c=
   * line the relay's address (RFC 4566 §5.7; the m-level c= after the session's).
   */
  private async relaySdp(d: DialogRecord, from: Side, sdp: string): Promise<string> {
    const relay = this.options.relay;
    if (!relay) return sdp;
    const lines = sdp.split(/\r?\n/);
    let index = -1;
    let leg: RelayLeg | undefined;
    let sessionHost = LOOPBACK;
    const setHost = (l: RelayLeg | undefined, h: string): void => {
      if (!l) return;
      if (from === 'caller') l.hostA = h;
      else l.hostB = h;
    };
    for (let i = 0; i < lines.length; i++) {
      const c = /^c=IN IP4 (\S+)(.*)$/.exec(lines[i]);
      if (c) {
        if (index < 0) sessionHost = c[1];
        else setHost(leg, c[1]);
        lines[i] = `c=IN IP4 ${this.host}${c[2]}`;
        continue;
      }
      const m = /^m=(\S+) (\d+)(.*)$/.exec(lines[i]);
      if (m) {
        index++;
        const port = Number(m[2]);
        if (port === 0) {
          leg = undefined;
          continue;
        }
        leg = await (d.legs[index] ??= relay.leg(this.host));
        // The caller is side A of every leg, the callee side B.
        if (from === 'caller') leg.targetA = port;
        else leg.targetB = port;
        setHost(leg, sessionHost);
        lines[i] = `m=${m[1]} ${from === 'caller' ? leg.facingB : leg.facingA}${m[3]}`;
        continue;
      }
      const rtcp = /^a=rtcp:(\d+)(.*)$/.exec(lines[i]);
      if (rtcp && leg) lines[i] = `a=rtcp:${from === 'caller' ? leg.facingB : leg.facingA}${rtcp[2]}`;
    }
    return lines.join('\r\n');
  }

  private newBranch(): string {
    return `z9hG4bKproxy${this.port}x${++this.branchCounter}`;
  }

  private send(data: Buffer, port: number, host: string): void {
    this.socket.send(data, port, host);
  }
}

/**
 * §16.11: a stateless proxy's branch is a function of the incoming one, so a CANCEL or a non-2xx
 * ACK (which share their INVITE's branch) reach the same server transaction downstream.
 */
function derivedBranch(topVia: string, port: number): string {
  const incoming = /;\s*branch=([^;\s,]+)/i.exec(topVia)?.[1] ?? topVia;
  return 'z9hG4bK' + createHash('sha256').update(`${port}|${incoming}`).digest('hex').slice(0, 20);
}

function tagIn(value: string | undefined): string | undefined {
  return value === undefined ? undefined : /;\s*tag=([^;\s>]+)/i.exec(value.replace(/<[^>]*>/, '<>'))?.[1];
}

function uriOf(nameAddr: string): string {
  const m = /<([^>]+)>/.exec(nameAddr);
  return (m ? m[1] : nameAddr).trim();
}

function userOf(uri: string): string {
  return /^sips?:([^@;]+)@/.exec(uri)?.[1] ?? 'user';
}

function hostOf(uriOrNameAddr: string): string | undefined {
  return /^sips?:(?:[^@]*@)?(\[[^\]]+\]|[^:;?>]+)/i.exec(uriOf(uriOrNameAddr))?.[1];
}

function portOf(uriOrNameAddr: string): number | undefined {
  const m = /^sips?:(?:[^@]*@)?(?:\[[^\]]+\]|[^:;?]+):(\d+)/i.exec(uriOf(uriOrNameAddr));
  return m ? Number(m[1]) : undefined;
}
