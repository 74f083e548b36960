// A hand-written minimal SIP over UDP for the ZRTP interop tests: INVITE/ACK/BYE as caller, and
// answering an INVITE as callee, with literal SDP. Just enough for linphonec on 127.0.0.1; the
// call issues use the real stack in src/main/sip.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

export interface SipMessage {
  readonly startLine: string;
  readonly headers: Map<string, string[]>;
  readonly body: string;
}

const COMPACT: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type' };

export function parseSip(text: string): SipMessage | undefined {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const lines = text.slice(0, split).split('\r\n');
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    let name = line.slice(0, colon).trim().toLowerCase();
    name = COMPACT[name] ?? name;
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { startLine: lines[0], headers, body: text.slice(split + 4) };
}

const header = (m: SipMessage, name: string) => m.headers.get(name)?.[0] ?? '';
const token = () => randomBytes(6).toString('hex');

/** The audio port and address of an SDP body. */
export function sdpAudio(sdp: string, media: 'audio' | 'video' = 'audio'): { address: string; port: number } {
  const port = Number(new RegExp(`^m=${media} (\\d+)`, 'm').exec(sdp)?.[1]);
  const address = /^c=IN IP4 (\S+)/m.exec(sdp)?.[1] ?? '127.0.0.1';
  return { address, port };
}

/** The a=zrtp-hash of the audio or video section of an SDP body. */
export function sdpZrtpHash(sdp: string, media: 'audio' | 'video' = 'audio'): string | undefined {
  const section = sdp.split(/^(?=m=)/m).find((s) => s.startsWith(`m=${media}`)) ?? '';
  return /^a=zrtp-hash:(.*)$/m.exec(section)?.[1]?.trim();
}

/** A minimal audio offer/answer with our ZRTP Hello hash (RFC 6189 §8.1), optionally with VP8 video. */
export function audioSdp(rtpPort: number, zrtpHash: string, video?: { port: number; zrtpHash: string }): string {
  const videoLines = video ? [`m=video ${video.port} RTP/AVP 96`, 'a=rtpmap:96 VP8/90000', `a=zrtp-hash:${video.zrtpHash}`, 'a=rtcp-mux', 'a=sendrecv'] : [];
  return [
    'v=0',
    `o=vouch ${Date.now()} 1 IN IP4 127.0.0.1`,
    's=vouch',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${rtpPort} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    `a=zrtp-hash:${zrtpHash}`,
    'a=rtcp-mux',
    'a=sendrecv',
    ...videoLines,
    '',
  ].join('\r\n');
}

interface Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly remoteTarget: string;
  readonly localUri: string;
  readonly remoteUri: string;
  cseq: number;
}

export class MiniSip {
  private constructor(
    private readonly socket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (buf, rinfo) => this.onMessage(buf.toString(), rinfo.port));
  }

  private listeners: ((m: SipMessage, port: number) => void)[] = [];

  static async open(): Promise<MiniSip> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new MiniSip(socket, socket.address().port);
  }

  close(): void {
    this.socket.close();
  }

  private onMessage(text: string, port: number): void {
    const m = parseSip(text);
    if (m) for (const l of [...this.listeners]) l(m, port);
  }

  private send(text: string, port: number): void {
    this.socket.send(text, port, '127.0.0.1');
  }

  private wait(match: (m: SipMessage) => boolean, timeoutMs: number, resend?: () => void): Promise<{ m: SipMessage; port: number }> {
    return new Promise((resolve, reject) => {
      // RFC 3261 Timer A: retransmit over UDP until something answers.
      const interval = resend ? setInterval(resend, 500) : undefined;
      const timer = setTimeout(() => {
        clearInterval(interval);
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        reject(new Error('SIP: timed out'));
      }, timeoutMs);
      const listener = (m: SipMessage, port: number) => {
        if (!match(m)) return;
        clearTimeout(timer);
        clearInterval(interval);
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve({ m, port });
      };
      this.listeners.push(listener);
    });
  }

  private request(method: string, d: Dialog, port: number, body = '', extra: string[] = []): string {
    const lines = [
      `${method} ${d.remoteTarget} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${token()};rport`,
      'Max-Forwards: 70',
      `From: <${d.localUri}>;tag=${d.localTag}`,
      `To: <${d.remoteUri}>${d.remoteTag ? `;tag=${d.remoteTag}` : ''}`,
      `Call-ID: ${d.callId}`,
      `CSeq: ${d.cseq} ${method === 'ACK' ? 'ACK' : method}`,
      `Contact: <sip:vouch@127.0.0.1:${this.port}>`,
      ...extra,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ];
    const text = lines.join('\r\n');
    this.send(text, port);
    return text;
  }

  /** Calls `target` (sip:user@127.0.0.1:port) and completes INVITE/200/ACK; returns the answer SDP. */
  async invite(target: string, port: number, sdp: string, timeoutMs = 10_000): Promise<{ answer: string; dialog: Dialog; port: number }> {
    const d: Dialog = { callId: `${token()}@127.0.0.1`, localTag: token(), remoteTag: '', remoteTarget: target, localUri: `sip:vouch@127.0.0.1:${this.port}`, remoteUri: target, cseq: 1 };
    const text = this.request('INVITE', d, port, sdp, ['Content-Type: application/sdp', 'Allow: INVITE, ACK, BYE, CANCEL, OPTIONS']);
    const isFinal = (m: SipMessage) => /^SIP\/2.0 [2-6]\d\d/.test(m.startLine) && header(m, 'call-id') === d.callId && header(m, 'cseq').endsWith('INVITE');
    const { m } = await this.wait(isFinal, timeoutMs, () => this.send(text, port));
    if (!m.startLine.startsWith('SIP/2.0 200')) throw new Error(`INVITE answered ${m.startLine}`);
    const remoteTag = /;tag=([^;>\s]+)/.exec(header(m, 'to'))?.[1] ?? '';
    const contact = /<([^>]+)>/.exec(header(m, 'contact'))?.[1] ?? target;
    const dialog: Dialog = { ...d, remoteTag, remoteTarget: contact };
    this.request('ACK', dialog, port);
    return { answer: m.body, dialog, port };
  }

  async bye(dialog: Dialog, port: number): Promise<void> {
    dialog.cseq++;
    const text = this.request('BYE', dialog, port);
    const ok = (m: SipMessage) => m.startLine.startsWith('SIP/2.0') && header(m, 'call-id') === dialog.callId && header(m, 'cseq').endsWith('BYE');
    await this.wait(ok, 5000, () => this.send(text, port)).catch(() => undefined);
  }

  /** Waits for an INVITE, answers 200 OK with `answerSdp(offer)`, and waits for the ACK. */
  async answer(answerSdp: (offer: string) => string, timeoutMs = 10_000): Promise<{ offer: string; callId: string }> {
    const { m, port } = await this.wait((x) => x.startLine.startsWith('INVITE '), timeoutMs);
    const to = `${header(m, 'to')};tag=${token()}`;
    const response = (status: string, body = '', extra: string[] = []) =>
      [
        `SIP/2.0 ${status}`,
        ...(m.headers.get('via') ?? []).map((v) => `Via: ${v}`),
        `From: ${header(m, 'from')}`,
        `To: ${to}`,
        `Call-ID: ${header(m, 'call-id')}`,
        `CSeq: ${header(m, 'cseq')}`,
        `Contact: <sip:vouch@127.0.0.1:${this.port}>`,
        ...extra,
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n');
    const sdp = answerSdp(m.body);
    const ok = response('200 OK', sdp, ['Content-Type: application/sdp']);
    this.send(response('100 Trying'), port);
    const callId = header(m, 'call-id');
    const ack = this.wait((x) => x.startLine.startsWith('ACK ') && header(x, 'call-id') === callId, timeoutMs, () => this.send(ok, port));
    this.send(ok, port);
    await ack;
    // Answer a later BYE so linphonec ends cleanly.
    this.listeners.push((x, p) => {
      if (x.startLine.startsWith('BYE ') && header(x, 'call-id') === callId) {
        this.send(
          ['SIP/2.0 200 OK', ...(x.headers.get('via') ?? []).map((v) => `Via: ${v}`), `From: ${header(x, 'from')}`, `To: ${header(x, 'to')}`, `Call-ID: ${callId}`, `CSeq: ${header(x, 'cseq')}`, 'Content-Length: 0', '', ''].join('\r\n'),
          p,
        );
      }
    });
    return { offer: m.body, callId };
  }
}
