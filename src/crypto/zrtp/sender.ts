// What the engine sends and how (RFC 6189 §5, §6): framing with a fresh sequence number, the one
// pending request the initiator or an Error retransmits on T1/T2 (§6), and the stored reply a
// retransmitted trigger gets again (the responder never retransmits on its own, §6).
import { equalBytes } from './bytes';
import { encodePacket } from './packet';
import { RetransmitTimer } from './timers';
import type { T1 } from './timers';
import type { ZrtpEvent } from './session-events';

/** What one call into the engine produces. */
export interface Outbox {
  packets: Uint8Array[];
  events: ZrtpEvent[];
}

/** Our pending request and how it is retransmitted. */
export interface Pending {
  readonly message: Uint8Array;
  readonly timer: RetransmitTimer;
  readonly what: string;
}

export class ZrtpSender {
  /** The request awaiting its answer, if any. */
  pending: Pending | undefined;
  private lastReply: { trigger: Uint8Array; reply: Uint8Array } | undefined;

  constructor(
    private sequence: number,
    private readonly ssrc: number,
  ) {}

  frame(message: Uint8Array): Uint8Array {
    // Every packet, retransmissions included, gets a new sequence number (bzrtp drops repeats).
    this.sequence = (this.sequence + 1) & 0xffff;
    return encodePacket(this.sequence, this.ssrc, message);
  }

  sendRequest(message: Uint8Array, spec: typeof T1, what: string, now: number, out: Outbox): void {
    const timer = new RetransmitTimer(spec);
    timer.start(now);
    this.pending = { message, timer, what };
    out.packets.push(this.frame(message));
  }

  /** Sends a reply and remembers it, so a retransmitted trigger gets the same reply again. */
  reply(trigger: Uint8Array, reply: Uint8Array, out: Outbox): void {
    this.lastReply = { trigger, reply };
    out.packets.push(this.frame(reply));
  }

  replyAgain(trigger: Uint8Array, out: Outbox): void {
    if (this.lastReply && equalBytes(this.lastReply.trigger, trigger)) out.packets.push(this.frame(this.lastReply.reply));
  }

  get deadline(): number | undefined {
    return this.pending?.timer.deadline;
  }
}
