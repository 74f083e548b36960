// A rehearsal of answering a call (issue 23): a user agent of its own, with no socket, takes one
// made-up INVITE through the same code a real one goes through — the parser, dispatch (§8.2),
// the INVITE server transaction (§17.2.1), the session and its dialog (§12.1.1) — and keeps what
// it would have sent (the 100, 180, 200 serialized) instead of sending it. V8 compiles and
// type-feeds that code then, at start-up, so a fresh process's first real call does not pay for
// it between INVITE and 180. Nothing reaches the real user agent: its sessions, transactions and
// events never see the rehearsal, and the rehearsal's timers never fire (ManualScheduler).
import { EventEmitter } from 'node:events';
import { parseMessage } from '../parser';
import type { SipSession } from '../session';
import { ManualScheduler } from '../timers';
import type { SipTransport, TransportAddress } from '../transport';
import { UaCore } from './core';
import { onInbound, onRequest, onStrayResponse } from './incoming';

/** A UDP transport that keeps what it is given: the rehearsal's only way out. */
class KeepingTransport implements SipTransport {
  readonly protocol = 'UDP' as const;
  readonly dropped = 0;
  readonly kept: string[] = [];

  constructor(readonly local: { host: string; port: number }) {}

  send(data: Buffer): void {
    this.kept.push(data.toString());
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface Rehearsal {
  /** The messages the rehearsal's user agent would have sent, in order. */
  readonly sent: readonly string[];
  /** Ends its sessions and transactions (their timers, never run, go with them). */
  end(): void;
}

/**
 * Delivers `invite` (the text of a request) from `source` to a user agent made for the occasion
 * (`user`, pinned to `source`'s host: no address lookups) and hands each session it starts to
 * `onIncoming`, as SipUa's 'incoming' event would.
 */
export function rehearseIncoming(invite: string, source: TransportAddress, user: string, onIncoming: (session: SipSession) => void): Rehearsal {
  const events = new EventEmitter();
  const scheduler = new ManualScheduler();
  const core: UaCore = new UaCore({ user, host: source.host, udp: false, scheduler, networkPoll: false, keepAliveSeconds: 0 }, events, {
    onRequest: (req, tx, from) => onRequest(core, req, tx, from),
    onStrayResponse: (res) => onStrayResponse(core, res),
  });
  const transport = new KeepingTransport({ host: source.host, port: 5060 });
  core.transports.adopt(transport);
  events.on('incoming', onIncoming);
  onInbound(core, parseMessage(Buffer.from(invite)), source);
  return {
    sent: transport.kept,
    end: () => {
      core.closing = core.closed = true;
      for (const s of core.sessions) s.abandon();
      core.layer.terminateAll();
      events.removeAllListeners();
    },
  };
}
