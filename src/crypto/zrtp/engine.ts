// The ZRTP session state machine (RFC 6189 §4, §5, §6), one method per state in the bzrtp
// manner. Packets in, packets/events/next deadline out; clock, randomness and cache are injected,
// and nothing here touches a socket. Every check on a received message runs before any state is
// changed: a message that fails one is dropped (reported as `rejected`) and the session carries
// on as if it had never arrived, since the genuine copy may still come. Only when the very same
// bytes fail again does the session end with the §5.9 Error for that check.
import { concatBytes, equalBytes, fromHex, toHex } from './bytes';
import { encodePacket, parsePacket } from './packet';
import {
  decodeMessage,
  encodeBareAck,
  encodeCommit,
  encodeConfirmWire,
  encodeDHPart,
  encodeError,
  encodeHello,
  encodePingAck,
} from './messages';
import type { Commit, DHPart, Hello, ZrtpMessage, ConfirmWire } from './messages';
import { ERROR, HASH_SUITES, checkCommitAlgorithms, cipherKeyLength, negotiate, DEFAULT_PREFERENCES } from './algorithms';
import type { AlgorithmPreferences, HashSuite, NegotiatedAlgorithms, SasTypeName, AuthTagName, CipherName, HashName } from './algorithms';
import { keyAgreementByName } from './key-agreement';
import type { KeyPair } from './key-agreement';
import { helloHash, imageMatches, makeHashChain, messageMacValid, nextImage } from './hash-chain';
import type { HashChain } from './hash-chain';
import { kdfContext, s0Dh, s0Multistream, sessionKeyBuffers, sessionKeysFromS0, totalHash } from './kdf';
import type { SessionKeys } from './kdf';
import { CACHE_FOREVER, openConfirm, sealConfirm } from './confirm';
import type { ConfirmBody } from './confirm';
import { matchSharedSecrets, ownSecretIds } from './shared-secrets';
import type { OwnSecrets } from './shared-secrets';
import type { ZrtpCache, ZrtpCacheEntry } from './cache';
import { renderSas } from './sas';
import { RetransmitTimer, T1, T2 } from './timers';
import type { ZrtpEvent, ZrtpOutput, ZrtpRole, ZrtpSecure } from './session-events';

export const ZRTP_VERSION = '1.10';

/** What a multistream session takes from the first (DH) session of the call (§4.4.3). */
export interface MultistreamParent {
  readonly zrtpSess: Uint8Array;
  readonly peerZid: Uint8Array;
  readonly hash: HashName;
  readonly cipher: CipherName;
  readonly authTag: AuthTagName;
  readonly sasType: SasTypeName;
  readonly sas: string;
  /** Read when the multistream Confirm is built, so a SAS verified meanwhile carries over (V flag). */
  readonly verified: () => boolean;
}

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

interface Negotiated {
  readonly algorithms: NegotiatedAlgorithms;
  readonly suite: HashSuite;
}

interface Derived {
  readonly keys: SessionKeys;
  readonly cacheMismatch: boolean;
}

interface Outbox {
  packets: Uint8Array[];
  events: ZrtpEvent[];
}

/** Our pending request and how it is retransmitted. */
interface Pending {
  readonly message: Uint8Array;
  readonly timer: RetransmitTimer;
  readonly what: string;
}

const CLIENT_ID = 'Vouch';

export class ZrtpEngine {
  private stateValue: ZrtpState = 'idle';
  private readonly chain: HashChain;
  private readonly selfHello: Uint8Array;
  private readonly preferences: AlgorithmPreferences;
  private sequence: number;
  private pending: Pending | undefined;
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
  private lastReply: { trigger: Uint8Array; reply: Uint8Array } | undefined;
  private peerVerified = false;
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
    this.sequence = ((seq[0] << 8) | seq[1]) & 0x7fff;
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
      this.sendRequest(this.selfHello, T1, 'Hello', now, out);
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
    const p = this.disposed ? undefined : this.pending;
    if (p) {
      const due = p.timer.poll(now);
      if (due === 'resend') out.packets.push(this.frame(p.message));
      else if (due === 'expired') {
        this.pending = undefined;
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
    this.pending = undefined;
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

  private dispatch(m: ZrtpMessage, packetSsrc: number, now: number, out: Outbox): void {
    if (this.stateValue === 'idle') return;
    switch (m.type) {
      case 'Error':
        this.onError(m.code, out);
        return;
      case 'Ack':
        if (m.ack === 'ErrorACK' && this.stateValue === 'failed') this.pending = undefined;
        break;
      case 'Ping':
        // §5.16: our endpoint hash is the truncated ZID (as the RFC suggests and bzrtp does); the
        // SSRC field echoes the Ping's.
        out.packets.push(this.frame(encodePingAck({ version: ZRTP_VERSION, senderEndpointHash: this.options.zid.slice(0, 8), receivedEndpointHash: m.ping.endpointHash, ssrc: packetSsrc })));
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

  private onError(code: number, out: Outbox): void {
    out.packets.push(this.frame(encodeBareAck('ErrorACK')));
    if (this.stateValue === 'failed') return;
    if (this.stateValue === 'secure') {
      // An unauthenticated Error cannot take a running secure session down.
      this.reject(out, 'Error', `peer sent error 0x${code.toString(16)} after going secure`);
      return;
    }
    this.stateValue = 'failed';
    this.pending = undefined;
    out.events.push({ type: 'error', code, sentByPeer: true, reason: 'peer sent Error' });
  }

  /** Every state answers a Hello with HelloACK; the first valid one is kept (§4.1). */
  private onHello(hello: Hello, now: number, out: Outbox): void {
    if (this.peerHello) {
      if (equalBytes(this.peerHello.raw, hello.raw)) out.packets.push(this.frame(encodeBareAck('HelloACK')));
      else this.reject(out, 'Hello', 'a different Hello after the first');
      return;
    }
    // §4.1.1: a Hello of another version is not answered; the peer may still send one we support
    // (and the version field is only authenticated later, by the Hello MAC).
    if (!hello.version.startsWith('1.1')) return this.reject(out, 'Hello', `unsupported version ${hello.version}`);
    if (equalBytes(hello.zid, this.options.zid)) return this.fail(ERROR.equalZids, 'peer has our ZID', now, out);
    const parent = this.parent;
    if (parent && !equalBytes(parent.peerZid, hello.zid)) return this.fail(ERROR.helloComponentsMismatch, 'multistream peer ZID differs from the first stream', now, out);
    const choice = negotiate(this.preferences, hello);
    if ('error' in choice) return this.fail(choice.error, 'no common algorithm', now, out);
    this.peerHello = hello;
    this.cacheEntry = parent ? undefined : this.options.cache.get(hello.zid);
    out.events.push({ type: 'peerZid', peerZid: hello.zid, clientId: hello.clientId.replace(/[\0\s]+$/, '') });
    this.checkHelloHash(hello, out);
    out.packets.push(this.frame(encodeBareAck('HelloACK')));
    if (this.stateValue === 'discovery' && this.helloAcked && !this.options.passive) this.sendCommit(now, out);
  }

  private checkHelloHash(hello: Hello, out: Outbox): void {
    if (!this.expectedHelloHash) return;
    const actual = helloHash(hello.raw);
    this.helloHashMatched = equalBytes(actual, this.expectedHelloHash);
    if (!this.helloHashMatched) out.events.push({ type: 'helloHashMismatch', expected: toHex(this.expectedHelloHash), received: toHex(actual) });
  }

  // ---- states ---------------------------------------------------------------------------------

  private stateDiscovery(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'Ack' && m.ack === 'HelloACK') {
      if (this.helloAcked) return;
      this.helloAcked = true;
      this.pending = undefined;
      if (this.peerHello && !this.options.passive) this.sendCommit(now, out);
      return;
    }
    // A Commit also acknowledges our Hello (§4.1).
    if (m.type === 'Commit') return this.becomeResponder(m.commit, now, out);
  }

  private stateInitiatorCommitSent(m: ZrtpMessage, now: number, out: Outbox): void {
    const own = this.selfCommit as Commit;
    if (m.type === 'Commit') {
      if (!this.authenticatePeerHelloWithH2(m.commit.h2, 'Commit', out)) return;
      // §4.2 commit contention: the lower hvi (or nonce) becomes responder; Prsh loses to DH.
      const ownValue = own.hvi ?? own.nonce;
      const theirValue = m.commit.hvi ?? m.commit.nonce;
      if (!ownValue || !theirValue || ownValue.length !== theirValue.length) return this.reject(out, 'Commit', 'contention between different modes');
      let weLose = false;
      for (let i = 0; i < ownValue.length; i++) {
        if (ownValue[i] !== theirValue[i]) {
          weLose = ownValue[i] < theirValue[i];
          break;
        }
      }
      if (weLose) this.becomeResponder(m.commit, now, out);
      return;
    }
    if (m.type === 'DHPart' && m.dhPart.part === 1 && own.keyAgreement !== 'Mult') return this.onDHPart1(m.dhPart, now, out);
    if (m.type === 'Confirm' && m.confirm.part === 1 && own.keyAgreement === 'Mult') return this.onConfirm1(m.confirm, now, out);
  }

  private stateResponderDHPart1Sent(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'Commit') return this.replyAgain(m.commit.raw, out);
    if (m.type === 'DHPart' && m.dhPart.part === 2) return this.onDHPart2(m.dhPart, now, out);
  }

  private stateInitiatorDHPart2Sent(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'Confirm' && m.confirm.part === 1) this.onConfirm1(m.confirm, now, out);
  }

  private stateResponderConfirm1Sent(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'DHPart' && m.dhPart.part === 2) return this.replyAgain(m.dhPart.raw, out);
    if (m.type === 'Commit') return this.replyAgain(m.commit.raw, out);
    if (m.type === 'Confirm' && m.confirm.part === 2) this.onConfirm2(m.confirm, now, out);
  }

  private stateInitiatorConfirm2Sent(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'Ack' && m.ack === 'Conf2ACK') {
      this.pending = undefined;
      this.goSecure(out);
    }
  }

  private stateSecure(m: ZrtpMessage, now: number, out: Outbox): void {
    if (m.type === 'Confirm' && m.confirm.part === 2) return this.replyAgain(m.confirm.raw, out);
    if (m.type === 'GoClear') {
      // Vouch never falls back to clear media (§4.7.2): refuse it.
      out.packets.push(this.frame(encodeError(ERROR.goClearNotAllowed)));
      return;
    }
    if (m.type === 'SASrelay') {
      // We never enrol a trusted MiTM (§7.3), so a relayed SAS is refused.
      out.packets.push(this.frame(encodeError(ERROR.untrustedMitm)));
    }
  }

  // ---- initiator ------------------------------------------------------------------------------

  private sendCommit(now: number, out: Outbox): void {
    const hello = this.peerHello as Hello;
    const parent = this.parent;
    let commit: Commit;
    let negotiated: Negotiated;
    if (parent && hello.keyAgreements.includes('Mult') && this.preferences.keyAgreements.includes('Mult')) {
      const algorithms: NegotiatedAlgorithms = { hash: parent.hash, cipher: parent.cipher, authTag: parent.authTag, keyAgreement: 'Mult', sas: parent.sasType };
      negotiated = { algorithms, suite: HASH_SUITES[parent.hash] };
      const fields = { h2: this.chain.h2, zid: this.options.zid, ...algorithms, nonce: this.options.random(16) };
      commit = { ...fields, mac: new Uint8Array(8), raw: encodeCommit(fields, this.chain.h1) };
    } else {
      const algorithms = negotiate(this.preferences, hello) as NegotiatedAlgorithms;
      negotiated = { algorithms, suite: HASH_SUITES[algorithms.hash] };
      const dhPart2 = this.buildDHPart(2, negotiated);
      // hvi = hash(DHPart2 || responder's Hello), truncated to 256 bits (§4.4.1.1).
      const hvi = negotiated.suite.hash(concatBytes(dhPart2, hello.raw)).slice(0, 32);
      const fields = { h2: this.chain.h2, zid: this.options.zid, ...algorithms, hvi };
      commit = { ...fields, mac: new Uint8Array(8), raw: encodeCommit(fields, this.chain.h1) };
      this.selfDHPart2 = dhPart2;
    }
    this.negotiated = negotiated;
    this.selfCommit = commit;
    this.role = 'initiator';
    this.stateValue = 'initiatorCommitSent';
    this.sendRequest(commit.raw, T2, 'Commit', now, out);
  }

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
    this.sendRequest(this.selfDHPart2 as Uint8Array, T2, 'DHPart2', now, out);
  }

  private onConfirm1(c: ConfirmWire, now: number, out: Outbox): void {
    const { suite } = this.negotiated as Negotiated;
    const multistream = (this.selfCommit as Commit).keyAgreement === 'Mult';
    const derived = multistream ? this.deriveMultistream('initiator') : (this.derived as Derived);
    const opened = openConfirm(suite, derived.keys.zrtpkeyr, derived.keys.mackeyr, c.confirmMac, c.iv, c.encrypted);
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
    this.noteCacheExpiration(opened.body);
    const confirm2 = this.buildConfirm(2);
    this.stateValue = 'initiatorConfirm2Sent';
    this.sendRequest(confirm2, T2, 'Confirm2', now, out);
  }

  // ---- responder ------------------------------------------------------------------------------

  private becomeResponder(commit: Commit, now: number, out: Outbox): void {
    if (!this.peerHello) return this.reject(out, 'Commit', 'Commit before the peer Hello');
    if (!equalBytes(commit.zid, this.peerHello.zid)) return this.reject(out, 'Commit', 'ZIDi differs from the Hello');
    if (!this.authenticatePeerHelloWithH2(commit.h2, 'Commit', out)) return;
    const unsupported = checkCommitAlgorithms(this.preferences, commit);
    if (unsupported !== undefined) {
      // The algorithm fields are authenticated only later (by H1), so this may be a tampered copy.
      return this.rejectOrFail(commit.raw, unsupported, 'Commit', 'algorithm not offered', now, out);
    }
    const parent = this.parent;
    if (commit.keyAgreement === 'Mult' && (!parent || commit.hash !== parent.hash)) return this.fail(ERROR.keyExchangeNotSupported, 'Mult without a first stream', now, out);
    if (commit.keyAgreement === 'Prsh') return this.fail(ERROR.keyExchangeNotSupported, 'Preshared mode not supported', now, out);
    const algorithms: NegotiatedAlgorithms = { hash: commit.hash, cipher: commit.cipher, authTag: commit.authTag, keyAgreement: commit.keyAgreement, sas: commit.sas } as NegotiatedAlgorithms;
    this.negotiated = { algorithms, suite: HASH_SUITES[algorithms.hash] };
    this.pending = undefined;
    this.helloAcked = true;
    this.role = 'responder';
    this.peerCommit = commit;
    this.selfCommit = undefined;
    this.selfDHPart2 = undefined;
    if (commit.keyAgreement === 'Mult') {
      this.derived = this.deriveMultistream('responder');
      const confirm1 = this.buildConfirm(1);
      this.stateValue = 'responderConfirm1Sent';
      this.reply(commit.raw, confirm1, out);
      return;
    }
    this.selfDHPart1 = this.buildDHPart(1, this.negotiated);
    this.stateValue = 'responderDHPart1Sent';
    this.reply(commit.raw, this.selfDHPart1, out);
  }

  private onDHPart2(d: DHPart, now: number, out: Outbox): void {
    const { suite, algorithms } = this.negotiated as Negotiated;
    const commit = this.peerCommit as Commit;
    const ka = keyAgreementByName(algorithms.keyAgreement);
    if (!ka || d.pv.length !== ka.publicValueLength) return this.reject(out, 'DHPart2', 'public value length');
    // H1 reveals the key of the Commit's MAC (§9); then the hvi binds DHPart2 to that Commit (§4.4.1.1).
    if (!equalBytes(nextImage(d.h1), commit.h2) || !messageMacValid(d.h1, commit.raw)) return this.reject(out, 'DHPart2', 'H1 does not authenticate the Commit');
    const hvi = suite.hash(concatBytes(d.raw, this.selfHello)).slice(0, 32);
    if (!equalBytes(hvi, commit.hvi as Uint8Array)) return this.rejectOrFail(d.raw, ERROR.hviMismatch, 'DHPart2', 'hvi mismatch', now, out);
    const dhResult = ka.agree(this.keyPair(algorithms.keyAgreement).secret, d.pv);
    this.wipeKeyPairs();
    if (!dhResult) return this.fail(ERROR.badPublicValue, 'bad pvi', now, out);
    const th = totalHash(suite, [this.selfHello, commit.raw, this.selfDHPart1 as Uint8Array, d.raw]);
    this.peerDHPart = d;
    this.derived = this.deriveDh(dhResult, th, d, 'responder', out);
    this.stateValue = 'responderConfirm1Sent';
    this.reply(d.raw, this.buildConfirm(1), out);
  }

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
    this.noteCacheExpiration(opened.body);
    this.reply(c.raw, encodeBareAck('Conf2ACK'), out);
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
    const ids = ownSecretIds(n.suite, this.ownSecrets(), this.chain.h3, part === 2 ? 'Initiator' : 'Responder', this.options.random);
    return encodeDHPart({ part, h1: this.chain.h1, ...ids, pv: this.keyPair(n.algorithms.keyAgreement).publicValue }, this.chain.h0);
  }

  private ownSecrets(): OwnSecrets {
    return { entry: this.cacheEntry, auxSecret: this.options.auxSecret };
  }

  /** s1/s2/s3 from the secret IDs in the peer's DHPart (§4.3.2), then s0 and all keys (§4.4.1.4). */
  private deriveDh(dhResult: Uint8Array, th: Uint8Array, peer: DHPart, role: ZrtpRole, out: Outbox): Derived {
    const { suite, algorithms } = this.negotiated as Negotiated;
    const hello = this.peerHello as Hello;
    const shared = matchSharedSecrets(suite, this.ownSecrets(), hello.h3, peer, role === 'initiator' ? 'Responder' : 'Initiator');
    const [zidi, zidr] = role === 'initiator' ? [this.options.zid, hello.zid] : [hello.zid, this.options.zid];
    const context = kdfContext(zidi, zidr, th);
    const s0 = s0Dh(suite, dhResult, context, shared.s1, shared.s2, shared.s3);
    dhResult.fill(0);
    const entry = this.cacheEntry;
    if (shared.cacheMismatch) {
      out.events.push({ type: 'cacheMismatch', peerZid: hello.zid });
      // §4.6.1.1: the old rs1 stays until the SAS is verified; Verified is cleared now.
      if (entry) this.options.cache.set(hello.zid, { ...entry, verified: false });
    }
    return { keys: sessionKeysFromS0(suite, s0, context, cipherKeyLength(algorithms.cipher)), cacheMismatch: shared.cacheMismatch };
  }

  /** Multistream keys from the first stream's ZRTPSess (§4.4.3.2). */
  private deriveMultistream(role: ZrtpRole): Derived {
    const parent = this.parent as MultistreamParent;
    const { suite, algorithms } = this.negotiated as Negotiated;
    const hello = role === 'initiator' ? (this.peerHello as Hello).raw : this.selfHello;
    const commit = role === 'initiator' ? (this.selfCommit as Commit) : (this.peerCommit as Commit);
    const peerZid = (this.peerHello as Hello).zid;
    const [zidi, zidr] = role === 'initiator' ? [this.options.zid, peerZid] : [peerZid, this.options.zid];
    const context = kdfContext(zidi, zidr, totalHash(suite, [hello, commit.raw]));
    const s0 = s0Multistream(suite, parent.zrtpSess, context);
    return { keys: sessionKeysFromS0(suite, s0, context, cipherKeyLength(algorithms.cipher)), cacheMismatch: false };
  }

  private ourVerifiedFlag(): boolean {
    const parent = this.parent;
    if (parent) return parent.verified();
    return !(this.derived as Derived).cacheMismatch && (this.cacheEntry?.verified ?? false);
  }

  private buildConfirm(part: 1 | 2): Uint8Array {
    const { suite } = this.negotiated as Negotiated;
    const keys = (this.derived as Derived).keys;
    const [zrtpKey, macKey] = part === 1 ? [keys.zrtpkeyr, keys.mackeyr] : [keys.zrtpkeyi, keys.mackeyi];
    const iv = this.options.random(16);
    const body: ConfirmBody = {
      h0: this.chain.h0,
      flags: { enrollment: false, verified: this.ourVerifiedFlag(), allowClear: false, disclosure: false },
      cacheExpiration: CACHE_FOREVER,
    };
    const sealed = sealConfirm(suite, zrtpKey, macKey, iv, body);
    return encodeConfirmWire(part, sealed.confirmMac, iv, sealed.encrypted);
  }

  private peerCacheExpiration = CACHE_FOREVER;

  private noteCacheExpiration(body: ConfirmBody): void {
    this.peerCacheExpiration = body.cacheExpiration;
  }

  /** Conf2ACK sent or received: report keys and SAS, then update the cache (§4.6.1). */
  private goSecure(out: Outbox): void {
    const { algorithms } = this.negotiated as Negotiated;
    const derived = this.derived as Derived;
    const hello = this.peerHello as Hello;
    const parent = this.parent;
    const multistream = algorithms.keyAgreement === 'Mult';
    const sas = multistream && parent ? parent.sas : renderSas(algorithms.sas, derived.keys.sasHash);
    const ourVerified = this.ourVerifiedFlag();
    const verified = ourVerified && this.peerVerified;
    const initiator = this.role === 'initiator';
    const event: ZrtpSecure = {
      type: 'secure',
      role: this.role as ZrtpRole,
      keys: {
        local: initiator ? derived.keys.srtpInitiator : derived.keys.srtpResponder,
        remote: initiator ? derived.keys.srtpResponder : derived.keys.srtpInitiator,
      },
      cipher: algorithms.cipher,
      authTag: algorithms.authTag,
      hash: algorithms.hash,
      keyAgreement: algorithms.keyAgreement,
      sasType: multistream && parent ? parent.sasType : algorithms.sas,
      sas,
      peerZid: hello.zid,
      verified,
      cacheMismatch: derived.cacheMismatch,
      multistream,
      helloHashMatched: this.helloHashMatched,
    };
    this.stateValue = 'secure';
    this.secureEvent = event;
    if (!multistream) {
      out.events.push({ type: 'sasReady', sas, sasType: algorithms.sas, verified });
      this.updateCache(derived, hello.zid);
    }
    // Confirm is done (a repeated Confirm2 gets the stored Conf2ACK) and the SAS is rendered: these
    // keys have no further use. ZRTPSess stays for multistream, the SRTP masters until the worker
    // has built its sessions (it wipes them then), everything else at dispose.
    const k = derived.keys;
    for (const b of [k.mackeyi, k.mackeyr, k.zrtpkeyi, k.zrtpkeyr, k.sasHash, k.newRs1]) b.fill(0);
    out.events.push(event);
  }

  private updateCache(derived: Derived, peerZid: Uint8Array): void {
    // §4.9: a cache expiration of 0 from either side means this session's secret is not kept.
    if (this.peerCacheExpiration === 0) return;
    const entry = this.cacheEntry;
    // The cache keeps its own copy: the session's is wiped once secure.
    if (derived.cacheMismatch) {
      this.pendingRs1 = derived.keys.newRs1.slice();
      return;
    }
    this.options.cache.set(peerZid, { rs1: derived.keys.newRs1.slice(), rs2: entry?.rs1, pbxSecret: entry?.pbxSecret, verified: entry?.verified ?? false });
  }

  // ---- sending --------------------------------------------------------------------------------

  private frame(message: Uint8Array): Uint8Array {
    // Every packet, retransmissions included, gets a new sequence number (bzrtp drops repeats).
    this.sequence = (this.sequence + 1) & 0xffff;
    return encodePacket(this.sequence, this.options.ssrc, message);
  }

  private sendRequest(message: Uint8Array, spec: typeof T1, what: string, now: number, out: Outbox): void {
    const timer = new RetransmitTimer(spec);
    timer.start(now);
    this.pending = { message, timer, what };
    out.packets.push(this.frame(message));
  }

  /** Sends a reply and remembers it, so a retransmitted trigger gets the same reply again. */
  private reply(trigger: Uint8Array, reply: Uint8Array, out: Outbox): void {
    this.lastReply = { trigger, reply };
    out.packets.push(this.frame(reply));
  }

  private replyAgain(trigger: Uint8Array, out: Outbox): void {
    if (this.lastReply && equalBytes(this.lastReply.trigger, trigger)) out.packets.push(this.frame(this.lastReply.reply));
  }

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
    this.sendRequest(encodeError(code), T2, 'Error', now, out);
    out.events.push({ type: 'error', code, sentByPeer: false, reason });
  }

  private result(out: Outbox): ZrtpOutput {
    const deadline = this.pending?.timer.deadline;
    return deadline === undefined ? { packets: out.packets, events: out.events } : { packets: out.packets, events: out.events, nextDeadline: deadline };
  }
}
