// What the engine sends and how (RFC 6189 §5, §6): framing with a fresh sequence number, the one
// pending request the initiator or an Error retransmits on T1/T2 (§6), and the stored reply a
// retransmitted trigger gets again (the responder never retransmits on its own, §6).
import { equalBytes } from './bytes';
import { encodePacket } from './packet';
import { DEFAULT_MTU, encodeFragment, fragmentPacketsNeeded } from './fragment';
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
  /** The message Id each fragmented message went out with: a retransmission reuses it, so its fragments complete the first copy's. */
  private readonly messageIds = new WeakMap<Uint8Array, number>();

  constructor(
    private sequence: number,
    private readonly ssrc: number,
    private readonly mtu = DEFAULT_MTU,
  ) {}

  frame(message: Uint8Array): Uint8Array {
    // Every packet, retransmissions included, gets a new sequence number (bzrtp drops repeats).
    this.sequence = (this.sequence + 1) & 0xffff;
    return encodePacket(this.sequence, this.ssrc, message);
  }

  /** One packet, or fragments (fragment.ts) when the message does not fit the MTU. */
  frameAll(message: Uint8Array): Uint8Array[] {
    const pieces = fragmentPacketsNeeded(message, this.mtu);
    if (!pieces) return [this.frame(message)];
    // bzrtp takes the sequence number as the message Id.
    let id = this.messageIds.get(message);
    if (id === undefined) {
      id = (this.sequence + 1) & 0xffff;
      this.messageIds.set(message, id);
    }
    return pieces.map(([offset, length]) => {
      this.sequence = (this.sequence + 1) & 0xffff;
      return encodeFragment(this.sequence, this.ssrc, id, message, offset, length);
    });
  }

  sendRequest(message: Uint8Array, spec: typeof T1, what: string, now: number, out: Outbox): void {
    const timer = new RetransmitTimer(spec);
    timer.start(now);
    this.pending = { message, timer, what };
    out.packets.push(...this.frameAll(message));
  }

  /** Sends a reply and remembers it, so a retransmitted trigger gets the same reply again. */
  reply(trigger: Uint8Array, reply: Uint8Array, out: Outbox): void {
    this.lastReply = { trigger, reply };
    out.packets.push(...this.frameAll(reply));
  }

  replyAgain(trigger: Uint8Array, out: Outbox): void {
    if (this.lastReply && equalBytes(this.lastReply.trigger, trigger)) out.packets.push(...this.frameAll(this.lastReply.reply));
  }

  get deadline(): number | undefined {
    return this.pending?.timer.deadline;
  }
}
