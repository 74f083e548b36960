// A loopback SIP relay that holds back 2xx responses to INVITE: the caller sends its INVITE to
// the relay, the callee's responses come back through it (the caller's Via asks for rport,
// RFC 3581), and each 2xx to INVITE reaches the caller `delayMs` late. Media does not pass
// through it (SDP addresses are untouched), so the callee's ZRTP Hello reaches the caller's media
// port long before the 200 OK reaches its signalling: a slow signalling path, made deterministic.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface SipDelayRelay {
  /** The port the caller sends its INVITE to. */
  readonly port: number;
  /** How many 2xx responses to INVITE were held back. */
  readonly delayed: number;
  close(): Promise<void>;
}

async function bind(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => resolve());
  });
  return s;
}

const INVITE_2XX = /^SIP\/2\.0 2\d\d [^\r\n]*\r\n(?:[^\r\n]+\r\n)*?CSeq:\s*\d+\s+INVITE\s*\r\n/i;

export async function startSipDelayRelay(calleePort: number, delayMs: number): Promise<SipDelayRelay> {
  const [towardCaller, towardCallee] = await Promise.all([bind(), bind()]);
  let caller: RemoteInfo | undefined;
  let delayed = 0;
  const timers = new Set<NodeJS.Timeout>();
  towardCaller.on('message', (msg, from) => {
    caller = from;
    towardCallee.send(msg, calleePort, '127.0.0.1');
  });
  towardCallee.on('message', (msg) => {
    if (!caller) return;
    const to = caller;
    if (!INVITE_2XX.test(msg.toString('latin1'))) {
      towardCaller.send(msg, to.port, to.address);
      return;
    }
    delayed++;
    const t = setTimeout(() => {
      timers.delete(t);
      towardCaller.send(msg, to.port, to.address);
    }, delayMs);
    timers.add(t);
  });
  return {
    port: towardCaller.address().port,
    get delayed() {
      return delayed;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      await Promise.all([towardCaller, towardCallee].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
