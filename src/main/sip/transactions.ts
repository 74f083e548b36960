// The transaction layer (RFC 3261 §17): matches requests and responses to transactions
// (§17.1.3, §17.2.3), stamps received/rport on incoming Vias (§18.2.1, RFC 3581 §4), and
// detects merged requests (§8.2.2.2).
import { cseqOf, callIdOf, tagOf, topVia } from './message';
import type { SipMessage, SipRequest, SipResponse } from './message';
import { splitList } from './headers';
import type { Scheduler, SipTimers } from './timers';
import type { TransportAddress } from './transport';
import type { ResponseHandler, TransactionContext } from './transaction-context';
import { InviteClientTransaction } from './transaction-client-invite';
import { NonInviteClientTransaction } from './transaction-client-non-invite';
import { InviteServerTransaction } from './transaction-server-invite';
import { NonInviteServerTransaction } from './transaction-server-non-invite';
import { bareHost } from './uri';
import { MAGIC_COOKIE, serializeVia } from './via';
import type { Via } from './via';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

export interface TransactionUser {
  /** A new request; `tx` is undefined only for an ACK to a 2xx (a transaction of its own, §17). */
  onRequest(req: SipRequest, tx: ServerTransaction | undefined, source: TransportAddress): void;
  /** A response no client transaction claims: 2xx retransmissions the UA core re-ACKs (§13.2.2.4). */
  onStrayResponse(res: SipResponse, source: TransportAddress): void;
}

export class TransactionLayer {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();
  /** From tag + Call-ID + CSeq of requests without a To tag -> their server transaction key. */
  private readonly merged = new Map<string, string>();
  private readonly ctx: TransactionContext;

  constructor(
    timers: SipTimers,
    scheduler: Scheduler,
    send: (msg: SipMessage, dest: TransportAddress, onError?: (err: Error) => void) => void,
    private readonly tu: TransactionUser,
  ) {
    this.ctx = {
      timers,
      scheduler,
      send,
      terminated: (key) => {
        this.clients.delete(key);
        const s = this.servers.get(key);
        if (s) {
          this.servers.delete(key);
          const m = mergeKey(s.request);
          if (m && this.merged.get(m) === key) this.merged.delete(m);
        }
      },
    };
  }

  get size(): { clients: number; servers: number } {
    return { clients: this.clients.size, servers: this.servers.size };
  }

  /** Starts a client transaction; the request's top Via must carry a fresh branch. */
  sendRequest(req: SipRequest, dest: TransportAddress, onResponse: ResponseHandler): ClientTransaction {
    const key = clientKey(topVia(req)?.params.get('branch') ?? '', req.method);
    const tx =
      req.method === 'INVITE' ? new InviteClientTransaction(key, req, dest, this.ctx, onResponse) : new NonInviteClientTransaction(key, req, dest, this.ctx, onResponse);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** Sends a request outside any transaction (the ACK to a 2xx, §13.2.2.4). */
  sendStateless(msg: SipMessage, dest: TransportAddress): void {
    this.ctx.send(msg, dest);
  }

  receiveResponse(res: SipResponse, source: TransportAddress): void {
    const via = topVia(res);
    const tx = this.clients.get(clientKey(via?.params.get('branch') ?? '', cseqOf(res).method));
    if (tx) tx.receive(res);
    else this.tu.onStrayResponse(res, source);
  }

  receiveRequest(req: SipRequest, source: TransportAddress): void {
    const sent = topVia(req);
    if (!sent) return;
    // The key comes from the Via as the peer wrote it, before received/rport are stamped on.
    const key = serverKey(req, sent);
    const via = stampVia(req, source);
    if (!via) return;
    const existing = this.servers.get(key);
    if (req.method === 'ACK') {
      if (existing instanceof InviteServerTransaction && existing.state !== 'terminated' && existing.lastResponse && existing.lastResponse.status >= 300) existing.ack();
      else this.tu.onRequest(req, undefined, source);
      return;
    }
    if (existing) {
      existing.retransmitted();
      return;
    }
    const dest = responseDestination(via, source);
    const tx = req.method === 'INVITE' ? new InviteServerTransaction(key, req, dest, this.ctx) : new NonInviteServerTransaction(key, req, dest, this.ctx);
    this.servers.set(key, tx);
    const m = mergeKey(req);
    if (m && !this.merged.has(m)) this.merged.set(m, key);
    this.tu.onRequest(req, tx, source);
  }

  /**
   * §8.2.2.2: a request without a To tag whose From tag, Call-ID and CSeq match a transaction
   * in progress that it does not belong to arrived by another path (a forking loop): 482.
   */
  isMergedRequest(req: SipRequest, tx: ServerTransaction): boolean {
    const m = mergeKey(req);
    if (!m) return false;
    const owner = this.merged.get(m);
    return owner !== undefined && owner !== tx.key;
  }

  /** The INVITE server transaction a CANCEL targets (§9.2: same branch and sent-by). */
  findInviteServer(cancel: SipRequest): InviteServerTransaction | undefined {
    const via = topVia(cancel);
    if (!via) return undefined;
    const tx = this.servers.get(serverKey(cancel, via, 'INVITE'));
    return tx instanceof InviteServerTransaction ? tx : undefined;
  }

  terminateAll(): void {
    for (const tx of [...this.clients.values(), ...this.servers.values()]) tx.terminate();
  }
}

function clientKey(branch: string, method: string): string {
  return `${branch}|${method === 'ACK' ? 'INVITE' : method}`;
}

/**
 * §17.2.3: an RFC 3261 branch (magic cookie) plus sent-by and method identifies the server
 * transaction. A branch without the cookie comes from an RFC 2543 element, whose branches need
 * not be unique: then Request-URI, To tag, From tag, Call-ID, CSeq number and the whole top Via
 * do. The To tag is left out for INVITE and ACK: the ACK to a non-2xx carries the To tag of our
 * response, which the INVITE had not. `method` overrides the request's (a CANCEL finding its INVITE, §9.2).
 */
function serverKey(req: SipRequest, via: Via, method = req.method): string {
  const kind = method === 'ACK' ? 'INVITE' : method;
  const branch = via.params.get('branch') ?? '';
  if (branch.startsWith(MAGIC_COOKIE)) return `${branch}|${via.host.toLowerCase()}:${via.port ?? ''}|${kind}`;
  const toTag = kind === 'INVITE' ? '' : (tagOf(req, 'to') ?? '');
  // received and rport values are our own stamps (§18.2.1, RFC 3581), not what the peer sent.
  const params = new Map(via.params);
  params.delete('received');
  if (params.has('rport')) params.set('rport', null);
  return ['2543', req.uri.trim(), toTag, tagOf(req, 'from') ?? '', callIdOf(req), cseqOf(req).seq, serializeVia({ ...via, params }), kind].join('|');
}

function mergeKey(req: SipRequest): string | undefined {
  if (tagOf(req, 'to') !== undefined) return undefined;
  const c = cseqOf(req);
  return `${tagOf(req, 'from') ?? ''}|${callIdOf(req)}|${c.seq}|${c.method}`;
}

/** §18.2.1 and RFC 3581 §4: note where the request really came from in its top Via. */
function stampVia(req: SipRequest, source: TransportAddress): Via | undefined {
  const via = topVia(req);
  if (!via) return undefined;
  let changed = false;
  if (bareHost(via.host) !== source.host) {
    via.params.set('received', source.host);
    changed = true;
  }
  if (via.params.has('rport')) {
    via.params.set('rport', String(source.port));
    if (!via.params.has('received')) via.params.set('received', source.host);
    changed = true;
  }
  if (changed) {
    const i = req.headers.list.findIndex((h) => h.key === 'via');
    const values = splitList(req.headers.list[i].value);
    values[0] = serializeVia(via);
    req.headers.list[i].value = values.join(', ');
  }
  return via;
}

/** §18.2.2: stream responses go back on the connection; datagrams to received + rport or sent-by port. */
function responseDestination(via: Via, source: TransportAddress): TransportAddress {
  if (source.protocol !== 'UDP') return source;
  const rport = via.params.get('rport');
  const port = rport ? Number(rport) : (via.port ?? 5060);
  return { protocol: 'UDP', host: via.params.get('received') ?? source.host, port };
}
