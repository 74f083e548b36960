// Dialog state (RFC 3261 §12): Call-ID, tags, CSeq numbers, remote target and route set, and
// building requests inside the dialog (§12.2.1.1, loose and strict routing).
import { parseNameAddr, serializeNameAddr } from './address';
import { SipParseError } from './errors';
import { SipHeaders } from './headers';
import { addressOf, callIdOf, cseqOf, tagOf } from './message';
import type { SipRequest, SipResponse } from './message';
import type { TransportProtocol } from './transport';
import { serializeUri } from './uri';

/**
 * Public members: the dialog state of RFC 3261 §12 (Call-ID, tags, CSeq numbers, remote target,
 * route set, transport), which sessions read, plus the requests built from it; more than fifteen
 * because §12 defines that many parts.
 */
export class Dialog {
  remoteSeq: number | undefined;

  private constructor(
    readonly callId: string,
    readonly localTag: string,
    public remoteTag: string,
    /** From/To values without tags. */
    readonly localAddress: string,
    readonly remoteAddress: string,
    public localSeq: number,
    public remoteTarget: string,
    readonly routeSet: string[],
    /** Transport the dialog began on: used when the remote target names none. */
    readonly transport: TransportProtocol,
  ) {}

  get id(): string {
    return dialogId(this.callId, this.localTag, this.remoteTag);
  }

  /** §12.1.2: the UAC's dialog from a 2xx (or a 1xx with a To tag: an early dialog). */
  static asUac(req: SipRequest, res: SipResponse, transport: TransportProtocol): Dialog {
    const rr = res.headers.getAll('record-route').reverse();
    const d = new Dialog(
      callIdOf(req),
      tagOf(req, 'from') ?? '',
      tagOf(res, 'to') ?? '',
      withoutTag(req.headers.get('from') ?? ''),
      withoutTag(res.headers.get('to') ?? ''),
      cseqOf(req).seq,
      contactUri(res) ?? req.uri,
      rr,
      transport,
    );
    return d;
  }

  /** §12.1.1: the UAS's dialog from the request it answers with a 2xx or 1xx. */
  static asUas(req: SipRequest, localTag: string, transport: TransportProtocol): Dialog {
    const d = new Dialog(
      callIdOf(req),
      localTag,
      tagOf(req, 'from') ?? '',
      withoutTag(req.headers.get('to') ?? ''),
      withoutTag(req.headers.get('from') ?? ''),
      0,
      contactUri(req) ?? '',
      req.headers.getAll('record-route'),
      transport,
    );
    d.remoteSeq = cseqOf(req).seq;
    return d;
  }

  /** §12.2.1.2: a target refresh (re-INVITE or its 2xx) may move the remote target. */
  refreshTarget(msg: SipRequest | SipResponse): void {
    const c = contactUri(msg);
    if (c) this.remoteTarget = c;
  }

  /** URI the next hop is resolved from: the first route, or the remote target. */
  get nextHop(): string {
    if (this.routeSet.length === 0) return this.remoteTarget;
    const first = parseNameAddr(this.routeSet[0]);
    return first instanceof SipParseError ? this.remoteTarget : serializeUri(first.uri);
  }

  /**
   * A request inside the dialog, without Via (the UA adds it). ACK and CANCEL reuse `seq`;
   * everything else takes the next local CSeq (§12.2.1.1).
   */
  createRequest(method: string, seq?: number): SipRequest {
    const h = new SipHeaders();
    let uri = this.remoteTarget;
    const routes = [...this.routeSet];
    const first = routes.length > 0 ? parseNameAddr(routes[0]) : undefined;
    if (first && !(first instanceof SipParseError) && !first.uri.params.has('lr')) {
      // Strict routing (RFC 2543 proxies): the first route becomes the Request-URI.
      uri = serializeUri({ ...first.uri, params: new Map(first.uri.params), headers: new Map() });
      routes.shift();
      routes.push(`<${this.remoteTarget}>`);
    }
    for (const r of routes) h.add('Route', r);
    h.add('Max-Forwards', '70');
    h.add('From', `${this.localAddress};tag=${this.localTag}`);
    h.add('To', `${this.remoteAddress};tag=${this.remoteTag}`);
    h.add('Call-ID', this.callId);
    const n = seq ?? ++this.localSeq;
    h.add('CSeq', `${n} ${method}`);
    return { type: 'request', method, uri, headers: h, body: '' };
  }
}

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}

function contactUri(msg: SipRequest | SipResponse): string | undefined {
  const a = addressOf(msg, 'contact');
  return a && !a.wildcard ? serializeUri(a.uri) : undefined;
}

function withoutTag(value: string): string {
  const a = parseNameAddr(value);
  if (a instanceof SipParseError) return value;
  a.params.delete('tag');
  return serializeNameAddr(a);
}
