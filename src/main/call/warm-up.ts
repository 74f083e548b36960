// A rehearsal of answering a call, run once at start-up (issue 23: INVITE → 180 and 180 → 200
// each ≤ 2 ms on a fresh process's first call). V8 compiles a function the first time it runs and
// optimises it once it has seen its types; a fresh process paid that between INVITE and 180 and
// again before the 200. Here a made-up INVITE from 127.0.0.1 goes through the code a real one
// goes through: the SIP parser, dispatch, INVITE server transaction, session and dialog
// (sip/ua/rehearsal.ts), the call's offer intake and security policy, the 180, opening the
// offered stream, the offer/answer and the 200 with its SDP, and the call's end. It leaves no
// trace: the user agent is the rehearsal's own, with no socket (what it would send is kept and
// returned), the media worker is a stand-in that answers at once, the ZRTP cache and identities
// it is given keep nothing, and the call has no listener (no event, no history entry).

import { EventEmitter } from 'node:events';
import type { Settings } from '../../shared/api';
import { rehearseIncoming } from '../sip/ua/rehearsal';
import { MediaWorker } from '../media/host/worker-host';
import type { MainToWorker, WorkerToMain } from '../media/worker-protocol';
import type { MediaIo } from './media-plan';
import type { CallDeps } from './call-events';
import { Call } from './call';

/** What the rehearsal borrows from the real calls: the settings (read only), media I/O and ZID. */
export interface WarmUpInputs {
  settings(): Settings;
  io: MediaIo;
  zid: string;
}

function sampleInvite(port: number): string {
  const sdp = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port + 2} RTP/AVP 0 8 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', `a=zrtp-hash:1.10 ${'0'.repeat(64)}`, 'a=sendrecv', ''].join('\r\n');
  return [
    'INVITE sip:vouch@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKwarmup;rport`,
    'Max-Forwards: 70',
    'From: "Warm" <sip:warm@127.0.0.1>;tag=warm',
    'To: <sip:vouch@127.0.0.1>',
    'Call-ID: warm-up@127.0.0.1',
    'CSeq: 1 INVITE',
    `Contact: <sip:warm@127.0.0.1:${port}>`,
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, REFER, NOTIFY',
    'Supported: replaces, timer',
    'Content-Type: application/sdp',
    `Content-Length: ${sdp.length}`,
    '',
    sdp,
  ].join('\r\n');
}

/**
 * The media worker's part, played at once in this thread: ready, a stream "opened" on the
 * discard port, closed at hangup. Nothing is bound and no thread is started.
 */
class StandInWorker extends EventEmitter {
  constructor() {
    super();
    queueMicrotask(() => this.reply({ type: 'ready', threadId: 0 }));
  }

  postMessage(m: MainToWorker): void {
    if (m.type === 'openStream') this.reply({ type: 'streamOpened', stream: m.stream, rtpPort: 9, rtcpPort: 9, helloHash: `1.10 ${'0'.repeat(64)}` });
    else if (m.type === 'hangup') this.reply({ type: 'closed' });
  }

  terminate(): Promise<number> {
    this.emit('exit', 0);
    return Promise.resolve(0);
  }

  private reply(m: WorkerToMain): void {
    queueMicrotask(() => this.emit('message', m));
  }
}

/**
 * How many times start-up rehearses: once gives V8 the types, a few more let it move the code
 * to its faster tiers; 20 halved main's time from INVITE to 180 again over one rehearsal
 * (about 1.4 -> 0.7 ms here) for a few tens of ms of CPU at start-up.
 */
export const START_UP_REHEARSALS = 20;

/**
 * Answers the made-up INVITE `times` times over (its Via and Contact name 127.0.0.1:`port`;
 * nothing is sent there), hanging up each time. Resolves with whether the last one reached its
 * 200, what its user agent would have sent, and how long they all took (ms).
 */
export async function warmCallPath(inputs: WarmUpInputs, port = 9, times = 1): Promise<{ answered: boolean; sent: readonly string[]; ms: number }> {
  const t0 = performance.now();
  let last = { answered: false, sent: [] as readonly string[] };
  try {
    for (let i = 0; i < times; i++) last = await rehearseAnswer(inputs, port);
  } catch {
    // A rehearsal that throws (before its answer is under way) costs only speed, never start-up.
    last = { answered: false, sent: [] };
  }
  return { ...last, ms: performance.now() - t0 };
}

async function rehearseAnswer(inputs: WarmUpInputs, port: number): Promise<{ answered: boolean; sent: readonly string[] }> {
  const host = '127.0.0.1';
  const deps: CallDeps = {
    settings: inputs.settings,
    localMedia: () => ({ bind: host, advertise: host, local: host }),
    io: inputs.io,
    zid: inputs.zid,
    zrtpCache: { peers: () => ({}), setPeer: () => undefined },
    identities: { recordIdentity: () => undefined, setVerified: () => undefined },
    iceServers: () => Promise.resolve(undefined),
  };
  let call: Call | undefined;
  let answering: Promise<void> | undefined;
  const rehearsal = rehearseIncoming(sampleInvite(port), { protocol: 'UDP', host, port }, 'vouch', (session) => {
    const made = Call.incoming(0, deps, session);
    if (!(made instanceof Call)) return session.reject(made.status, made.reason ?? made.refused);
    call = made;
    session.progress(180);
    answering = made.start(new MediaWorker(new StandInWorker())).then(() => made.answer(true));
  });
  let answered = false;
  try {
    await answering;
    answered = rehearsal.sent.some((m) => m.startsWith('SIP/2.0 200 '));
  } catch {
    // A rehearsal that fails costs only speed.
  } finally {
    call?.hangupWith('local-hangup');
    rehearsal.end();
  }
  return { answered, sent: rehearsal.sent };
}
