// The SIP UA's request handling (RFC 3261 §8.2, §17.2, src/main/sip/ua/incoming.ts) fed over its
// real UDP socket: a request the parser accepts but the grammar rejects (../sip-grammar.ts) must
// not get a 2xx. Every call is accepted on arrival, so an INVITE the UA should have refused shows
// as its 200. What the UA sends is watched through its `trace` option (it sees every message
// sent, wherever the mutated Via points). After each input an OPTIONS from the same socket must
// still be answered (liveness). Sockets: run.ts runs this only in a private network namespace.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import type { FuzzTarget } from '../engine';
import { sipGrammarError } from '../sip-grammar';
import { target as sipParserTarget } from './sip';
import { parseMessage } from '../../../src/main/sip/parser';
import type { SipMessage } from '../../../src/main/sip/message';
import type { SipSession } from '../../../src/main/sip/session';
import { SipUa } from '../../../src/main/sip/ua';
import { FAST, offer } from '../../../src/main/sip/test-support';

const LIVENESS_TIMEOUT_MS = 2000;

let ua: SipUa | undefined;
let socket: Socket | undefined;
let uaPort = 0;
let sentinels = 0;
let awaiting: { callId: string; answered: () => void } | undefined;
/** The input being handled: its Call-ID and why the grammar rejects it (undefined: it conforms). */
let current: { callId: string; grammarError: string | undefined } | undefined;
/** 2xx sent so far (Call-ID, CSeq, top Via): a repeat is a retransmission, not a new answer. */
const sent2xx = new Set<string>();
const violations: string[] = [];

function watch(direction: 'in' | 'out', msg: SipMessage): void {
  if (direction !== 'out' || msg.type !== 'response' || msg.status < 200 || msg.status >= 300) return;
  const callId = msg.headers.get('call-id') ?? '';
  if (awaiting && callId === awaiting.callId) return awaiting.answered();
  const key = `${callId}|${msg.headers.get('cseq') ?? ''}|${msg.headers.getAll('via')[0] ?? ''}`;
  if (sent2xx.has(key)) return;
  sent2xx.add(key);
  if (current?.grammarError !== undefined && callId === current.callId) violations.push(`${msg.status} to a request the grammar rejects (${current.grammarError})`);
}

function options(callId: string, port: number): string {
  return `OPTIONS sip:bob@127.0.0.1:${uaPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${callId};rport\r\nMax-Forwards: 70\r\nFrom: <sip:fuzz@127.0.0.1>;tag=f\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
}

export const target: FuzzTarget = {
  name: 'sip-ua',
  netns: true,
  sources: ['src/main/sip/'],
  dictionary: sipParserTarget.dictionary,
  maxLength: 4096,
  corpusFrom: 'sip',
  async setup() {
    ua = await SipUa.start({ user: 'bob', host: '127.0.0.1', timers: FAST, callWaiting: true, networkPoll: false, trace: watch });
    ua.on('incoming', (session: SipSession) => session.accept(offer('answer')));
    uaPort = ua.localAddress('UDP')!.port;
    const s = createSocket('udp4');
    socket = s;
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  },
  async teardown() {
    socket?.close();
    await ua?.close();
  },
  async run(input) {
    if (!socket || !ua) throw new Error('sip-ua target not set up');
    const parsed = parseMessage(input);
    current = parsed.ok && parsed.message.type === 'request' ? { callId: parsed.message.headers.get('call-id') ?? '', grammarError: sipGrammarError(input) } : undefined;
    const callId = `fuzz-liveness-${++sentinels}`;
    const answered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), LIVENESS_TIMEOUT_MS);
      awaiting = { callId, answered: () => (clearTimeout(timer), resolve(true)) };
    });
    socket.send(input, uaPort, '127.0.0.1');
    socket.send(options(callId, socket.address().port), uaPort, '127.0.0.1');
    const alive = await answered;
    awaiting = undefined;
    current = undefined;
    if (violations.length) throw new Error(violations.splice(0).join('; '));
    if (!alive) throw new Error(`the UA did not answer OPTIONS within ${LIVENESS_TIMEOUT_MS} ms after this input`);
  },
};
