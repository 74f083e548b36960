// The ZRTP session state machine (RFC 6189 §4, §5, §6), one method per state in the bzrtp
// manner. Packets in, packets/events/next deadline out; clock, randomness and cache are injected,
// and nothing here touches a socket. Every check on a received message runs before any state is
// changed: a message that fails one is dropped (reported as `rejected`) and the session carries
// on as if it had never arrived, since the genuine copy may still come. Only when the very same
// bytes fail again does the session end with the §5.9 Error for that check. The session data and
// the transitions are in channel.ts, the key schedule in key-schedule.ts, Hello/Commit negotiation
// in negotiation.ts, framing and retransmission in sender.ts.
import { equalBytes, fromHex, toHex } from './bytes';
import { parsePacket } from './packet';
import { FragmentReassembler, isFragment, parseFragment } from './fragment';
import { decodeMessage, encodeBareAck, encodeError, encodePingAck } from './messages';
import type { Commit, Hello, ZrtpMessage } from './messages';
import { ERROR } from './algorithms';
import { helloHash } from './hash-chain';
import { sessionKeyBuffers } from './kdf';
import { T1 } from './timers';
import type { ZrtpOutput } from './session-events';
import type { Outbox } from './sender';
import type { MultistreamParent } from './key-schedule';
import { checkHello, commitContention } from './negotiation';
import { ZRTP_VERSION, ZrtpChannel } from './channel';
import type { ZrtpState } from './channel';

export { ZRTP_VERSION, makeKeyPair } from './channel';
export type { ZrtpEngineOptions, ZrtpState } from './channel';
export type { MultistreamParent } from './key-schedule';

export class ZrtpEngine extends ZrtpChannel {
  private readonly reassembler = new FragmentReassembler();

  get state(): ZrtpState {
    return this.stateValue;
  }

  /** The value for SDP `a=zrtp-hash` (§8.1): version, space, hex SHA-256 of our Hello. */
  helloHash(): string {
    return `${ZRTP_VERSION} ${toHex(helloHash(this.selfHello))}`;
  }

  /**
   * The peer's `a=zrtp-hash` from signalling. Checked against its Hello when that arrives (or now,
   * if it already has); a mismatch is reported as a `helloHashMismatch` event.
   */
  setPeerHelloHash(value: string): ZrtpOutput {
    const out: Outbox = { packets: [], events: [] };
    const hex = value.trim().split(/\s+/).pop() ?? '';
    this.expectedHelloHash = fromHex(hex) ?? new Uint8Array(0);
    if (this.peerHello) this.checkHelloHash(this.peerHello, out);
    return this.result(out);
  }

  /**
   * Makes this a multistream session of `parent`'s call (§4.4.3). For a stream offered together
   * with the first one: its Hello hash goes into the offer before the first stream is secure, so
   * the parent is attached later, before `start`.
   */
  setMultistreamParent(parent: MultistreamParent): boolean {
    if (this.stateValue !== 'idle') return false;
    this.parent = parent;
    return true;
  }

  /** Sends the first Hello and starts T1. */
  start(now: number): ZrtpOutput {
    const out: Outbox = { packets: [], events: [] };
    if (this.stateValue === 'idle' && !this.disposed) {
      this.stateValue = 'discovery';
      this.send.sendRequest(this.selfHello, T1, 'Hello', now, out);
    }
    return this.result(out);
  }

  input(packet: Uint8Array, now: number): ZrtpOutput {
    const out: Outbox = { packets: [], events: [] };
    if (this.disposed) return this.result(out);
    try {
      if (isFragment(packet)) return this.inputFragment(packet, now, out);
      const parsed = parsePacket(packet);
      const decoded = parsed.ok ? decodeMessage(parsed.packet.message) : undefined;
      if (!decoded || !decoded.ok) this.droppedPackets++;
      else this.dispatch(decoded.message, parsed.ok ? parsed.packet.ssrc : 0, now, out);
    } catch (e) {
      // A bug must not end the call from a packet handler: report it as a critical error.
      this.fail(ERROR.criticalSoftwareError, `internal: ${(e as Error).message}`, now, out);
    }
    return this.result(out);
  }

  /** A fragment (fragment.ts): the message goes to the state machine once all its fragments are in. */
  private inputFragment(packet: Uint8Array, now: number, out: Outbox): ZrtpOutput {
    const parsed = parseFragment(packet);
    if (!parsed.ok) {
      this.droppedPackets++;
      return this.result(out);
    }
    const message = this.reassembler.accept(parsed.fragment);
    if (message) {
      const decoded = decodeMessage(message);
      if (decoded.ok) this.dispatch(decoded.message, parsed.fragment.ssrc, now, out);
      else this.droppedPackets++;
    }
    return this.result(out);
  }

  tick(now: number): ZrtpOutput {
    const out: Outbox = { packets: [], events: [] };
    const p = this.disposed ? undefined : this.send.pending;
    if (p) {
      const due = p.timer.poll(now);
      if (due === 'resend') out.packets.push(...this.send.frameAll(p.message));
      else if (due === 'expired') {
        this.send.pending = undefined;
        if (this.stateValue !== 'failed' && this.stateValue !== 'secure') {
          this.stateValue = 'failed';
          out.events.push({ type: 'error', code: ERROR.protocolTimeout, sentByPeer: false, reason: `no answer to ${p.what}` });
        }
      }
    }
    return this.result(out);
  }

  /**
   * The user compared the SAS (or revoked it). Verifying after a cache mismatch is what lets the
   * new rs1 replace the old one (§4.6.1.1).
   */
  setSasVerified(verified: boolean): void {
    const peer = this.peerHello?.zid;
    if (!peer || this.parent) return;
    const entry = this.options.cache.get(peer);
    if (verified && this.pendingRs1) {
      this.options.cache.set(peer, { rs1: this.pendingRs1, rs2: entry?.rs1, pbxSecret: entry?.pbxSecret, verified: true });
      this.pendingRs1 = undefined;
    } else if (entry) {
      this.options.cache.set(peer, { ...entry, verified });
    }
  }

  /** Parameters for a multistream session on another media stream of this call (§4.4.3). */
  multistreamParent(): MultistreamParent | undefined {
    const s = this.secureEvent;
    if (!s || !this.derived || !this.peerHello || this.disposed) return undefined;
    if (this.parent) return this.parent;
    const peerZid = this.peerHello.zid;
    const cache = this.options.cache;
    return {
      zrtpSess: this.derived.keys.zrtpSess,
      peerZid,
      hash: s.hash,
      cipher: s.cipher,
      authTag: s.authTag,
      sasType: s.sasType,
      sas: s.sas,
      verified: () => cache.get(peerZid)?.verified ?? false,
    };
  }

  /**
   * The call ended: wipes every secret the session still holds (DH private keys, the derived keys,
   * ZRTPSess, the SRTP masters exported in the secure event, a pending rs1) and stops answering.
   * A multistream child's ZRTPSess is its parent's: the parent wipes it, so dispose children first.
   */
  dispose(): void {
    for (const b of this.heldSecrets()) b.fill(0);
    this.keyPairs.clear();
    this.pendingRs1 = undefined;
    this.kemResult = undefined;
    this.send.pending = undefined;
    this.disposed = true;
  }

  /** Every secret buffer the session holds now (what dispose wipes); empty after dispose. */
  heldSecrets(): Uint8Array[] {
    const held = [...this.keyPairs.values()].map((p) => p.secret);
    if (this.derived) held.push(...sessionKeyBuffers(this.derived.keys).filter((b) => b.some((x) => x !== 0)));
    if (this.pendingRs1) held.push(this.pendingRs1);
    if (this.kemResult) held.push(this.kemResult);
    return this.disposed ? [] : held;
  }

  // ---- dispatch -------------------------------------------------------------------------------

  /** Error, Ack, Ping and Hello are handled the same in every state; the rest go to the state's method. */
  private dispatch(m: ZrtpMessage, packetSsrc: number, now: number, out: Outbox): void {
    if (this.stateValue === 'idle') return;
    switch (m.type) {
      case 'Error':
        this.onError(m.code, out);
        return;
      case 'Ack':
        if (m.ack === 'ErrorACK' && this.stateValue === 'failed') this.send.pending = undefined;
        break;
      case 'Ping':
        // §5.16: our endpoint hash is the truncated ZID (as the RFC suggests and bzrtp does); the
        // SSRC field echoes the Ping's.
        out.packets.push(this.send.frame(encodePingAck({ version: ZRTP_VERSION, senderEndpointHash: this.options.zid.slice(0, 8), receivedEndpointHash: m.ping.endpointHash, ssrc: packetSsrc })));
        return;
      default:
        break;
    }
    if (this.stateValue === 'failed') return;
    if (m.type === 'Hello') {
      this.onHello(m.hello, now, out);
      return;
    }
    switch (this.stateValue) {
      case 'discovery':
        return this.stateDiscovery(m, now, out);
      case 'initiatorCommitSent':
        return this.stateInitiatorCommitSent(m, now, out);
      case 'responderDHPart1Sent':
        return this.stateResponderDHPart1Sent(m, now, out);
      case 'initiatorDHPart2Sent':
        return this.stateInitiatorDHPart2Sent(m, now, out);
      case 'responderConfirm1Sent':
        return this.stateResponderConfirm1Sent(m, now, out);
      case 'initiatorConfirm2Sent':
        return this.stateInitiatorConfirm2Sent(m, now, out);
      case 'secure':
        return this.stateSecure(m, now, out);
    }
  }

  /** Error in any state (§5.9): always ErrorACK; ends the session unless it is already secure. */
  private onError(code: number, out: Outbox): void {
    out.packets.push(this.send.frame(encodeBareAck('ErrorACK')));
    if (this.stateValue === 'failed') return;
    if (this.stateValue === 'secure') {
      // An unauthenticated Error cannot take a running secure session down.
      this.reject(out, 'Error', `peer sent error 0x${code.toString(16)} after going secure`);
      return;
    }
    this.stateValue = 'failed';
    this.send.pending = undefined;
    out.events.push({ type: 'error', code, sentByPeer: true, reason: 'peer sent Error' });
  }

  /** Every state answers a Hello with HelloACK; the first valid one is kept (§4.1). */
  private onHello(hello: Hello, now: number, out: Outbox): void {
    if (this.peerHello) {
      if (equalBytes(this.peerHello.raw, hello.raw)) out.packets.push(this.send.frame(encodeBareAck('HelloACK')));
      else this.reject(out, 'Hello', 'a different Hello after the first');
      return;
    }
    const parent = this.parent;
    const verdict = checkHello(this.preferences, hello, this.options.zid, parent);
    if ('reject' in verdict) return this.reject(out, 'Hello', verdict.reject);
    if ('fail' in verdict) return this.fail(verdict.fail, verdict.reason, now, out);
    this.peerHello = hello;
    this.cacheEntry = parent ? undefined : this.options.cache.get(hello.zid);
    out.events.push({ type: 'peerZid', peerZid: hello.zid, clientId: hello.clientId.replace(/[\0\s]+$/, '') });
    this.checkHelloHash(hello, out);
    out.packets.push(this.send.frame(encodeBareAck('HelloACK')));
    // Our Hello again at once, not on the next T1: between two NATs the peer's router dropped our
    // first Hellos until the peer sent to us, and its Hello shows the path is open now.
    if (this.stateValue === 'discovery' && !this.helloAcked) out.packets.push(this.send.frame(this.selfHello));
    if (this.stateValue === 'discovery' && this.helloAcked && !this.options.passive) this.sendCommit(now, out);
  }

  // ---- states ---------------------------------------------------------------------------------

  /**
   * discovery (§4.1): Hellos are exchanged until each side has the other's and its own was acked.
   * Arrives from: idle (start).
   * Goes to: initiatorCommitSent (our Hello acked and the peer's known, not passive, §4.1.2);
   *   responderDHPart1Sent or responderConfirm1Sent (the peer's Commit, which also acks our Hello).
   * Sends: Hello (T1, from start), HelloACK (onHello), Commit (T2).
   */
  private stateDiscovery(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'Ack' && m.ack === 'HelloACK') {
      if (this.helloAcked) return;
      this.helloAcked = true;
      this.send.pending = undefined;
      if (this.peerHello && !this.options.passive) this.sendCommit(now, out);
      return;
    }
    // A Commit also acknowledges our Hello (§4.1).
    if (m.type === 'Commit') return this.becomeResponder(m.commit, now, out);
  }

  /**
   * initiatorCommitSent (§4.2, §4.4.1.1, §4.4.3.1): our Commit awaits DHPart1 (DH) or Confirm1 (Mult).
   * Arrives from: discovery (sendCommit).
   * Goes to: initiatorDHPart2Sent (DHPart1); initiatorConfirm2Sent (Confirm1, Mult); a responder
   *   state when the peer's Commit wins the contention (§4.2).
   * Sends: Commit (retransmitted on T2), DHPart2, Confirm2.
   */
  private stateInitiatorCommitSent(m: ZrtpMessage, now: number, out: Outbox): void {
    const own = this.selfCommit as Commit;
    if (m.type === 'Commit') {
      if (!this.authenticatePeerHelloWithH2(m.commit.h2, 'Commit', out)) return;
      const contention = commitContention(own, m.commit);
      if (contention === 'differentModes') return this.reject(out, 'Commit', 'contention between different modes');
      if (contention === 'weLose') this.becomeResponder(m.commit, now, out);
      return;
    }
    if (m.type === 'DHPart' && m.dhPart.part === 1 && own.keyAgreement !== 'Mult') return this.onDHPart1(m.dhPart, now, out);
    if (m.type === 'Confirm' && m.confirm.part === 1 && own.keyAgreement === 'Mult') return this.onConfirm1(m.confirm, now, out);
  }

  /**
   * responderDHPart1Sent (§4.4.1): our DHPart1 answers the Commit; DHPart2 is awaited.
   * Arrives from: discovery or initiatorCommitSent (becomeResponder, DH mode).
   * Goes to: responderConfirm1Sent (DHPart2 that matches the Commit's hvi, §4.4.1.1).
   * Sends: DHPart1 again for a repeated Commit; Confirm1.
   */
  private stateResponderDHPart1Sent(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'Commit') return this.send.replyAgain(m.commit.raw, out);
    if (m.type === 'DHPart' && m.dhPart.part === 2) return this.onDHPart2(m.dhPart, now, out);
  }

  /**
   * initiatorDHPart2Sent (§4.4.1): keys derived, our DHPart2 awaits Confirm1.
   * Arrives from: initiatorCommitSent (onDHPart1).
   * Goes to: initiatorConfirm2Sent (Confirm1 that opens with the responder's keys, §5.7).
   * Sends: DHPart2 (retransmitted on T2), Confirm2.
   */
  private stateInitiatorDHPart2Sent(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'Confirm' && m.confirm.part === 1) this.onConfirm1(m.confirm, now, out);
  }

  /**
   * responderConfirm1Sent (§4.6): our Confirm1 awaits Confirm2.
   * Arrives from: responderDHPart1Sent (onDHPart2); discovery or initiatorCommitSent (Mult Commit, §4.4.3).
   * Goes to: secure (Confirm2 that opens with the initiator's keys and authenticates its messages).
   * Sends: Confirm1 again for a repeated DHPart2 or Commit; Conf2ACK.
   */
  private stateResponderConfirm1Sent(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'DHPart' && m.dhPart.part === 2) return this.send.replyAgain(m.dhPart.raw, out);
    if (m.type === 'Commit') return this.send.replyAgain(m.commit.raw, out);
    if (m.type === 'Confirm' && m.confirm.part === 2) this.onConfirm2(m.confirm, now, out);
  }

  /**
   * initiatorConfirm2Sent (§4.6): our Confirm2 awaits Conf2ACK.
   * Arrives from: initiatorDHPart2Sent or initiatorCommitSent (onConfirm1).
   * Goes to: secure (Conf2ACK).
   * Sends: Confirm2 (retransmitted on T2).
   */
  private stateInitiatorConfirm2Sent(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'Ack' && m.ack === 'Conf2ACK') {
      this.send.pending = undefined;
      this.goSecure(out);
    }
  }

  /**
   * secure (§4.6.1, §4.7): SRTP keys exported; the session only answers.
   * Arrives from: responderConfirm1Sent (onConfirm2), initiatorConfirm2Sent (Conf2ACK).
   * Goes to: nowhere (an unauthenticated Error cannot end it; GoClear is refused).
   * Sends: Conf2ACK again for a repeated Confirm2; Error 0x106 for GoClear, 0x104 for SASrelay.
   */
  private stateSecure(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'Confirm' && m.confirm.part === 2) return this.send.replyAgain(m.confirm.raw, out);
    if (m.type === 'GoClear') {
      // Vouch never falls back to clear media (§4.7.2): refuse it.
      out.packets.push(this.send.frame(encodeError(ERROR.goClearNotAllowed)));
      return;
    }
    if (m.type === 'SASrelay') {
      // We never enrol a trusted MiTM (§7.3), so a relayed SAS is refused.
      out.packets.push(this.send.frame(encodeError(ERROR.untrustedMitm)));
    }
  }
}
