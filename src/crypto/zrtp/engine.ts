// The ZRTP session state machine (RFC 6189 §4, §5, §6), one method per state in the bzrtp
// manner. Packets in, packets/events/next deadline out; clock, randomness and cache are injected,
// and nothing here touches a socket. Every check on a received message runs before any state is
// changed: a message that fails one is dropped (reported as `rejected`) and the session carries
// on as if it had never arrived, since the genuine copy may still come. Only when the very same
// bytes fail again does the session end with the §5.9 Error for that check. The key schedule is
// in key-schedule.ts, Hello/Commit negotiation in negotiation.ts, framing and retransmission in
// sender.ts.
import { equalBytes, fromHex, toHex } from './bytes';
import { parsePacket } from './packet';
import { decodeMessage, encodeBareAck, encodeError, encodeHello, encodePingAck } from './messages';
import type { Commit, DHPart, Hello, ZrtpMessage, ConfirmWire } from './messages';
import { ERROR, DEFAULT_PREFERENCES } from './algorithms';
import type { AlgorithmPreferences } from './algorithms';
import { keyAgreementByName } from './key-agreement';
import type { KeyPair } from './key-agreement';
import { helloHash, imageMatches, makeHashChain, messageMacValid, nextImage } from './hash-chain';
import type { HashChain } from './hash-chain';
import { sessionKeyBuffers, totalHash } from './kdf';
import { CACHE_FOREVER, openConfirm } from './confirm';
import type { ZrtpCache, ZrtpCacheEntry } from './cache';
import { T1, T2 } from './timers';
import type { ZrtpOutput, ZrtpRole, ZrtpSecure } from './session-events';
import { ZrtpSender } from './sender';
import type { Outbox } from './sender';
import * as ks from './key-schedule';
import type { Derived, MultistreamParent, Negotiated } from './key-schedule';
import { acceptCommit, buildCommit, checkHello, commitContention } from './negotiation';

export type { MultistreamParent } from './key-schedule';

export const ZRTP_VERSION = '1.10';

export interface ZrtpEngineOptions {
  /** Our 96-bit ZID (§4.9): one per data directory. */
  readonly zid: Uint8Array;
  readonly ssrc: number;
  readonly random: (length: number) => Uint8Array;
  readonly cache: ZrtpCache;
  readonly preferences?: AlgorithmPreferences;
  /** Up to 16 characters (§5.2). */
  readonly clientId?: string;
  /** The per-session auxiliary secret from signalling (§4.3), never cached. */
  readonly auxSecret?: Uint8Array;
  readonly multistream?: MultistreamParent;
  /** Never send Commit, only answer one (the P flag, §5.2): e.g. an answerer leaving the choice to the caller. */
  readonly passive?: boolean;
}

export type ZrtpState =
  | 'idle'
  | 'discovery'
  | 'initiatorCommitSent'
  | 'responderDHPart1Sent'
  | 'initiatorDHPart2Sent'
  | 'responderConfirm1Sent'
  | 'initiatorConfirm2Sent'
  | 'secure'
  | 'failed';

const CLIENT_ID = 'Vouch';

export class ZrtpEngine {
  private stateValue: ZrtpState = 'idle';
  private readonly chain: HashChain;
  private readonly selfHello: Uint8Array;
  private readonly preferences: AlgorithmPreferences;
  private readonly send: ZrtpSender;
  private readonly keyPairs = new Map<string, KeyPair>();

  private peerHello: Hello | undefined;
  private helloAcked = false;
  private expectedHelloHash: Uint8Array | undefined;
  private helloHashMatched: boolean | undefined;
  private role: ZrtpRole | undefined;
  private negotiated: Negotiated | undefined;
  private selfCommit: Commit | undefined;
  private selfDHPart2: Uint8Array | undefined;
  private selfDHPart1: Uint8Array | undefined;
  private peerCommit: Commit | undefined;
  private peerDHPart: DHPart | undefined;
  private derived: Derived | undefined;
  private cacheEntry: ZrtpCacheEntry | undefined;
  private peerVerified = false;
  private peerCacheExpiration = CACHE_FOREVER;
  private pendingRs1: Uint8Array | undefined;
  private secureEvent: ZrtpSecure | undefined;
  private lastRejected: Uint8Array | undefined;
  private parent: MultistreamParent | undefined;
  private disposed = false;

  /** Packets dropped before reaching the state machine (CRC, framing, unknown type). */
  droppedPackets = 0;
  /** Messages that parsed but failed a check (see `rejected` events). */
  rejectedMessages = 0;

  constructor(private readonly options: ZrtpEngineOptions) {
    if (options.zid.length !== 12) throw new RangeError('ZID must be 12 bytes');
    this.preferences = options.preferences ?? DEFAULT_PREFERENCES;
    this.chain = makeHashChain(options.random(32));
    const seq = options.random(2);
    this.send = new ZrtpSender(((seq[0] << 8) | seq[1]) & 0x7fff, options.ssrc);
    const p = this.preferences;
    this.selfHello = encodeHello(
      {
        version: ZRTP_VERSION,
        clientId: options.clientId ?? CLIENT_ID,
        h3: this.chain.h3,
        zid: options.zid,
        signatureCapable: false,
        mitm: false,
        passive: options.passive ?? false,
        hashes: p.hashes,
        ciphers: p.ciphers,
        authTags: p.authTags,
        keyAgreements: p.keyAgreements,
        sasTypes: p.sasTypes,
      },
      this.chain.h2,
    );
    // Precompute the preferred key pair so that answering costs no key generation.
    const preferred = p.keyAgreements.find((k) => k !== 'Mult');
    if (preferred && !options.multistream) this.keyPair(preferred);
    this.parent = options.multistream;
  }

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

  tick(now: number): ZrtpOutput {
    const out: Outbox = { packets: [], events: [] };
    const p = this.disposed ? undefined : this.send.pending;
    if (p) {
      const due = p.timer.poll(now);
      if (due === 'resend') out.packets.push(this.send.frame(p.message));
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
    this.send.pending = undefined;
    this.disposed = true;
  }

  /** Every secret buffer the session holds now (what dispose wipes); empty after dispose. */
  heldSecrets(): Uint8Array[] {
    const held = [...this.keyPairs.values()].map((p) => p.secret);
    if (this.derived) held.push(...sessionKeyBuffers(this.derived.keys).filter((b) => b.some((x) => x !== 0)));
    if (this.pendingRs1) held.push(this.pendingRs1);
    return this.disposed ? [] : held;
  }

  /** The DH private keys are done with once the shared secret exists (§4.4.1.4). */
  private wipeKeyPairs(): void {
    for (const p of this.keyPairs.values()) p.secret.fill(0);
    this.keyPairs.clear();
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
    if (this.stateValue === 'discovery' && this.helloAcked && !this.options.passive) this.sendCommit(now, out);
  }

  /** §8.1.1: the Hello must hash to the peer's a=zrtp-hash from signalling. */
  private checkHelloHash(hello: Hello, out: Outbox): void {
    if (!this.expectedHelloHash) return;
    const actual = helloHash(hello.raw);
    this.helloHashMatched = equalBytes(actual, this.expectedHelloHash);
    if (!this.helloHashMatched) out.events.push({ type: 'helloHashMismatch', expected: toHex(this.expectedHelloHash), received: toHex(actual) });
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

  // ---- initiator ------------------------------------------------------------------------------

  /** Commit (§5.4) with our choice from both Hellos (negotiation.ts); we are initiator until contention says otherwise (§4.2). */
  private sendCommit(now: number, out: Outbox): void {
    const own = buildCommit({
      preferences: this.preferences,
      peerHello: this.peerHello as Hello,
      parent: this.parent,
      chain: this.chain,
      zid: this.options.zid,
      random: this.options.random,
      dhPart2: (n) => this.buildDHPart(2, n),
    });
    if (own.dhPart2) this.selfDHPart2 = own.dhPart2;
    this.negotiated = own.negotiated;
    this.selfCommit = own.commit;
    this.role = 'initiator';
    this.stateValue = 'initiatorCommitSent';
    this.send.sendRequest(own.commit.raw, T2, 'Commit', now, out);
  }

  /** DHPart1 (§4.4.1.2, §5.5): the shared secret, total_hash and all keys; DHPart2 goes out. */
  private onDHPart1(d: DHPart, now: number, out: Outbox): void {
    const { suite, algorithms } = this.negotiated as Negotiated;
    const ka = keyAgreementByName(algorithms.keyAgreement);
    if (!ka || d.pv.length !== ka.publicValueLength) return this.reject(out, 'DHPart1', 'public value length');
    // H1 reveals H2, which authenticates the responder's Hello (§9).
    if (!this.authenticatePeerHelloWithH2(nextImage(d.h1), 'DHPart1', out)) return;
    const dhResult = ka.agree(this.keyPair(algorithms.keyAgreement).secret, d.pv);
    this.wipeKeyPairs();
    if (!dhResult) return this.fail(ERROR.badPublicValue, 'bad pvr', now, out);
    const hello = this.peerHello as Hello;
    const th = totalHash(suite, [hello.raw, (this.selfCommit as Commit).raw, d.raw, this.selfDHPart2 as Uint8Array]);
    this.peerDHPart = d;
    this.derived = this.deriveDh(dhResult, th, d, 'initiator', out);
    this.stateValue = 'initiatorDHPart2Sent';
    this.send.sendRequest(this.selfDHPart2 as Uint8Array, T2, 'DHPart2', now, out);
  }

  /** Confirm1 (§5.7): opens with the responder's keys and its H0 authenticates DHPart1 (or, Mult, the Hello); Confirm2 goes out. */
  private onConfirm1(c: ConfirmWire, now: number, out: Outbox): void {
    const n = this.negotiated as Negotiated;
    const commit = this.selfCommit as Commit;
    const multistream = commit.keyAgreement === 'Mult';
    const hello = this.peerHello as Hello;
    const derived = multistream
      ? ks.deriveMultistream(n, (this.parent as MultistreamParent).zrtpSess, 'initiator', this.options.zid, hello.zid, hello.raw, commit.raw)
      : (this.derived as Derived);
    const opened = openConfirm(n.suite, derived.keys.zrtpkeyr, derived.keys.mackeyr, c.confirmMac, c.iv, c.encrypted);
    // Keys derived for a multistream Confirm1 that fails a check are dropped with it.
    const discard = (): void => {
      if (multistream) for (const b of sessionKeyBuffers(derived.keys)) b.fill(0);
    };
    if (!opened.ok) {
      discard();
      return this.rejectOrFail(c.raw, ERROR.badConfirmMac, 'Confirm1', opened.error === 'bad-mac' ? 'confirm_mac' : 'malformed', now, out);
    }
    const h0 = opened.body.h0;
    const h1 = nextImage(h0);
    if (multistream) {
      if (!this.authenticatePeerHelloWithH2(nextImage(h1), 'Confirm1', out)) return discard();
    } else {
      const d = this.peerDHPart as DHPart;
      if (!equalBytes(h1, d.h1) || !messageMacValid(h0, d.raw)) return this.reject(out, 'Confirm1', 'H0 does not authenticate DHPart1');
    }
    this.derived = derived;
    this.peerVerified = opened.body.flags.verified;
    this.peerCacheExpiration = opened.body.cacheExpiration;
    const confirm2 = this.buildConfirm(2);
    this.stateValue = 'initiatorConfirm2Sent';
    this.send.sendRequest(confirm2, T2, 'Confirm2', now, out);
  }

  // ---- responder ------------------------------------------------------------------------------

  /** The peer's Commit (§4.2, §5.4), accepted per negotiation.ts: DHPart1 goes out, or Confirm1 in Mult mode (§4.4.3.2). */
  private becomeResponder(commit: Commit, now: number, out: Outbox): void {
    if (!this.peerHello) return this.reject(out, 'Commit', 'Commit before the peer Hello');
    if (!equalBytes(commit.zid, this.peerHello.zid)) return this.reject(out, 'Commit', 'ZIDi differs from the Hello');
    if (!this.authenticatePeerHelloWithH2(commit.h2, 'Commit', out)) return;
    const verdict = acceptCommit(this.preferences, commit, this.parent);
    // The algorithm fields are authenticated only later (by H1), so this may be a tampered copy.
    if ('rejectOrFail' in verdict) return this.rejectOrFail(commit.raw, verdict.rejectOrFail, 'Commit', 'algorithm not offered', now, out);
    if ('reject' in verdict) return this.reject(out, 'Commit', verdict.reject);
    if ('fail' in verdict) return this.fail(verdict.fail, verdict.reason, now, out);
    this.negotiated = verdict.ok;
    this.send.pending = undefined;
    this.helloAcked = true;
    this.role = 'responder';
    this.peerCommit = commit;
    this.selfCommit = undefined;
    this.selfDHPart2 = undefined;
    if (commit.keyAgreement === 'Mult') {
      this.derived = ks.deriveMultistream(verdict.ok, (this.parent as MultistreamParent).zrtpSess, 'responder', this.options.zid, this.peerHello.zid, this.selfHello, commit.raw);
      const confirm1 = this.buildConfirm(1);
      this.stateValue = 'responderConfirm1Sent';
      this.send.reply(commit.raw, confirm1, out);
      return;
    }
    this.selfDHPart1 = this.buildDHPart(1, verdict.ok);
    this.stateValue = 'responderDHPart1Sent';
    this.send.reply(commit.raw, this.selfDHPart1, out);
  }

  /** DHPart2 (§4.4.1.1, §5.6): H1 authenticates the Commit, the hvi binds DHPart2 to it; then all keys and Confirm1. */
  private onDHPart2(d: DHPart, now: number, out: Outbox): void {
    const { suite, algorithms } = this.negotiated as Negotiated;
    const commit = this.peerCommit as Commit;
    const ka = keyAgreementByName(algorithms.keyAgreement);
    if (!ka || d.pv.length !== ka.publicValueLength) return this.reject(out, 'DHPart2', 'public value length');
    // H1 reveals the key of the Commit's MAC (§9); then the hvi binds DHPart2 to that Commit (§4.4.1.1).
    if (!equalBytes(nextImage(d.h1), commit.h2) || !messageMacValid(d.h1, commit.raw)) return this.reject(out, 'DHPart2', 'H1 does not authenticate the Commit');
    if (!equalBytes(ks.hvi(suite, d.raw, this.selfHello), commit.hvi as Uint8Array)) return this.rejectOrFail(d.raw, ERROR.hviMismatch, 'DHPart2', 'hvi mismatch', now, out);
    const dhResult = ka.agree(this.keyPair(algorithms.keyAgreement).secret, d.pv);
    this.wipeKeyPairs();
    if (!dhResult) return this.fail(ERROR.badPublicValue, 'bad pvi', now, out);
    const th = totalHash(suite, [this.selfHello, commit.raw, this.selfDHPart1 as Uint8Array, d.raw]);
    this.peerDHPart = d;
    this.derived = this.deriveDh(dhResult, th, d, 'responder', out);
    this.stateValue = 'responderConfirm1Sent';
    this.send.reply(d.raw, this.buildConfirm(1), out);
  }

  /** Confirm2 (§5.7): opens with the initiator's keys and its H0 authenticates DHPart2 (or, Mult, the Commit); Conf2ACK, then secure. */
  private onConfirm2(c: ConfirmWire, now: number, out: Outbox): void {
    const { suite } = this.negotiated as Negotiated;
    const keys = (this.derived as Derived).keys;
    const opened = openConfirm(suite, keys.zrtpkeyi, keys.mackeyi, c.confirmMac, c.iv, c.encrypted);
    if (!opened.ok) return this.rejectOrFail(c.raw, ERROR.badConfirmMac, 'Confirm2', opened.error === 'bad-mac' ? 'confirm_mac' : 'malformed', now, out);
    const h0 = opened.body.h0;
    const commit = this.peerCommit as Commit;
    if (commit.keyAgreement === 'Mult') {
      const h1 = nextImage(h0);
      if (!equalBytes(nextImage(h1), commit.h2) || !messageMacValid(h1, commit.raw)) return this.reject(out, 'Confirm2', 'H0 does not authenticate the Commit');
    } else {
      const d = this.peerDHPart as DHPart;
      if (!equalBytes(nextImage(h0), d.h1) || !messageMacValid(h0, d.raw)) return this.reject(out, 'Confirm2', 'H0 does not authenticate DHPart2');
    }
    this.peerVerified = opened.body.flags.verified;
    this.peerCacheExpiration = opened.body.cacheExpiration;
    this.send.reply(c.raw, encodeBareAck('Conf2ACK'), out);
    this.goSecure(out);
  }

  // ---- shared steps ---------------------------------------------------------------------------

  /** H2 must hash to the Hello's H3 and key the Hello's MAC (§9); checked once H2 is known. */
  private authenticatePeerHelloWithH2(h2: Uint8Array, what: string, out: Outbox): boolean {
    const hello = this.peerHello;
    if (!hello) {
      this.reject(out, what, 'no peer Hello');
      return false;
    }
    if (!imageMatches(h2, hello.h3)) {
      this.reject(out, what, 'H2 does not hash to the Hello H3');
      return false;
    }
    if (!messageMacValid(h2, hello.raw)) {
      this.reject(out, what, 'Hello MAC invalid');
      return false;
    }
    return true;
  }

  private keyPair(name: string): KeyPair {
    let pair = this.keyPairs.get(name);
    if (!pair) {
      const ka = keyAgreementByName(name);
      if (!ka) throw new Error(`no key agreement ${name}`);
      pair = ka.generate(this.options.random);
      this.keyPairs.set(name, pair);
    }
    return pair;
  }

  private buildDHPart(part: 1 | 2, n: Negotiated): Uint8Array {
    const own = { entry: this.cacheEntry, auxSecret: this.options.auxSecret };
    return ks.buildDHPart(part, n.suite, this.chain, own, this.keyPair(n.algorithms.keyAgreement).publicValue, this.options.random);
  }

  /** All keys from the DH result (key-schedule.ts); an rs1 mismatch is reported and clears Verified now (§4.6.1.1). */
  private deriveDh(dhResult: Uint8Array, th: Uint8Array, peer: DHPart, role: ZrtpRole, out: Outbox): Derived {
    const hello = this.peerHello as Hello;
    const own = { entry: this.cacheEntry, auxSecret: this.options.auxSecret };
    const derived = ks.deriveDh(this.negotiated as Negotiated, { dhResult, totalHash: th, peerDHPart: peer, peerH3: hello.h3, role, ownZid: this.options.zid, peerZid: hello.zid, own });
    const entry = this.cacheEntry;
    if (derived.cacheMismatch) {
      out.events.push({ type: 'cacheMismatch', peerZid: hello.zid });
      // The old rs1 stays until the SAS is verified.
      if (entry) this.options.cache.set(hello.zid, { ...entry, verified: false });
    }
    return derived;
  }

  private buildConfirm(part: 1 | 2): Uint8Array {
    const derived = this.derived as Derived;
    const verified = ks.ourVerifiedFlag(this.parent, derived, this.cacheEntry);
    return ks.buildConfirm(part, (this.negotiated as Negotiated).suite, derived.keys, this.chain.h0, verified, this.options.random(16));
  }

  /** Conf2ACK sent or received: report keys and SAS, update the cache (§4.6.1), wipe what is done with. */
  private goSecure(out: Outbox): void {
    const { algorithms } = this.negotiated as Negotiated;
    const derived = this.derived as Derived;
    const hello = this.peerHello as Hello;
    const event = ks.secureEvent({
      algorithms,
      derived,
      role: this.role as ZrtpRole,
      peerZid: hello.zid,
      parent: this.parent,
      ourVerified: ks.ourVerifiedFlag(this.parent, derived, this.cacheEntry),
      peerVerified: this.peerVerified,
      helloHashMatched: this.helloHashMatched,
    });
    this.stateValue = 'secure';
    this.secureEvent = event;
    if (!event.multistream) {
      out.events.push({ type: 'sasReady', sas: event.sas, sasType: algorithms.sas, verified: event.verified });
      const update = ks.cacheUpdate(this.peerCacheExpiration, derived, this.cacheEntry);
      if (update.kind === 'pending') this.pendingRs1 = update.rs1;
      else if (update.kind === 'store') this.options.cache.set(hello.zid, update.entry);
    }
    ks.wipeConfirmKeys(derived.keys);
    out.events.push(event);
  }

  // ---- outcomes -------------------------------------------------------------------------------

  private reject(out: Outbox, message: string, reason: string): void {
    this.rejectedMessages++;
    out.events.push({ type: 'rejected', message, reason });
  }

  /**
   * A check that a tampered copy could fail drops the message (the genuine one may follow); the
   * same bytes failing again are what the peer really sends, so the session fails with `code`
   * (§5.9: 0x62 hvi mismatch, 0x70 bad Confirm MAC, 0x5x algorithm not offered).
   */
  private rejectOrFail(raw: Uint8Array, code: number, message: string, reason: string, now: number, out: Outbox): void {
    if (this.lastRejected && equalBytes(this.lastRejected, raw)) return this.fail(code, `${message}: ${reason}, repeated`, now, out);
    this.lastRejected = raw;
    this.reject(out, message, reason);
  }

  /** Our own protocol failure: send Error (retransmitted until ErrorACK, §5.9) and stop. */
  private fail(code: number, reason: string, now: number, out: Outbox): void {
    if (this.stateValue === 'failed') return;
    this.stateValue = 'failed';
    this.send.sendRequest(encodeError(code), T2, 'Error', now, out);
    out.events.push({ type: 'error', code, sentByPeer: false, reason });
  }

  private result(out: Outbox): ZrtpOutput {
    const deadline = this.send.deadline;
    return deadline === undefined ? { packets: out.packets, events: out.events } : { packets: out.packets, events: out.events, nextDeadline: deadline };
  }
}
