// The per-stream ZRTP session data and the steps its states share (RFC 6189 §4, §5, §9): what
// bzrtp keeps in its channel context. ZrtpEngine (engine.ts) extends this with the public surface,
// the dispatch and one method per state; the transitions those states take (Commit, DHPart and
// Confirm handling) are here, the key schedule in key-schedule.ts, the negotiation in
// negotiation.ts.
import { equalBytes, toHex } from './bytes';
import { encodeBareAck, encodeError, encodeHello } from './messages';
import type { Commit, DHPart, Hello, ConfirmWire } from './messages';
import { ERROR, DEFAULT_PREFERENCES } from './algorithms';
import type { AlgorithmPreferences } from './algorithms';
import { keyAgreementByName } from './key-agreement';
import type { KeyPair } from './key-agreement';
import { helloHash, imageMatches, makeHashChain, messageMacValid, nextImage } from './hash-chain';
import type { HashChain } from './hash-chain';
import { sessionKeyBuffers, totalHash } from './kdf';
import { CACHE_FOREVER, openConfirm } from './confirm';
import type { ZrtpCache, ZrtpCacheEntry } from './cache';
import { T2 } from './timers';
import type { ZrtpOutput, ZrtpRole, ZrtpSecure } from './session-events';
import { ZrtpSender } from './sender';
import type { Outbox } from './sender';
import * as ks from './key-schedule';
import type { Derived, MultistreamParent, Negotiated } from './key-schedule';
import { acceptCommit, buildCommit } from './negotiation';
import { kemByName } from './key-agreement/kem';
import { kemComplete, kemOf, kemPvLength, kemRespond } from './kem-mode';
import type { ZrtpPrimitives } from './primitives';


export const ZRTP_VERSION = '1.10';

export interface ZrtpEngineOptions {
  /** Our 96-bit ZID (§4.9): one per data directory. */
  readonly zid: Uint8Array;
  readonly ssrc: number;
  readonly random: (length: number) => Uint8Array;
  readonly cache: ZrtpCache;
  /**
   * Curves and Confirm's AES-CFB: portableZrtpPrimitives (portable.ts), or the media worker's
   * node:crypto ones. Not defaulted here, so a bundle that injects its own never loads noble's.
   */
  readonly primitives: ZrtpPrimitives;
  readonly preferences?: AlgorithmPreferences;
  /** Up to 16 characters (§5.2). */
  readonly clientId?: string;
  /** The per-session auxiliary secret from signalling (§4.3), never cached. */
  readonly auxSecret?: Uint8Array;
  readonly multistream?: MultistreamParent;
  /** Never send Commit, only answer one (the P flag, §5.2): e.g. an answerer leaving the choice to the caller. */
  readonly passive?: boolean;
  /** The cache expiration interval our Confirm carries (§4.9, §5.7): seconds; default forever (0xFFFFFFFF). */
  readonly cacheExpiration?: number;
  /** Path MTU for ZRTP packets; larger messages go out in fragments (fragment.ts; default 1452, at least 600, as bzrtp). */
  readonly mtu?: number;
  /**
   * Key pairs made before the call (makeKeyPair, by key agreement name): used instead of making
   * them here, so opening a stream costs no key generation (issue 23); wiped like our own.
   */
  readonly keyPairs?: ReadonlyMap<string, KeyPair>;
}

/** A fresh key pair for the key agreement or KEM `name` (§4.4.1). */
export function makeKeyPair(name: string, random: (length: number) => Uint8Array, primitives: ZrtpPrimitives): KeyPair {
  const kem = kemByName(name, primitives);
  if (kem) {
    const p = kem.generate(random);
    return { secret: p.secretKey, publicValue: p.publicKey };
  }
  const ka = keyAgreementByName(name, primitives);
  if (ka) return ka.generate(random);
  throw new Error(`no key agreement ${name}`);
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

/** One media stream's ZRTP session: its data and the steps shared by its states. */
export abstract class ZrtpChannel {
  protected stateValue: ZrtpState = 'idle';
  protected readonly chain: HashChain;
  protected readonly selfHello: Uint8Array;
  protected readonly preferences: AlgorithmPreferences;
  protected readonly send: ZrtpSender;
  protected readonly keyPairs = new Map<string, KeyPair>();

  protected peerHello: Hello | undefined;
  protected helloAcked = false;
  protected expectedHelloHash: Uint8Array | undefined;
  protected helloHashMatched: boolean | undefined;
  protected role: ZrtpRole | undefined;
  protected negotiated: Negotiated | undefined;
  protected selfCommit: Commit | undefined;
  protected selfDHPart2: Uint8Array | undefined;
  protected selfDHPart1: Uint8Array | undefined;
  protected peerCommit: Commit | undefined;
  protected peerDHPart: DHPart | undefined;
  protected derived: Derived | undefined;
  protected cacheEntry: ZrtpCacheEntry | undefined;
  protected peerVerified = false;
  protected peerCacheExpiration = CACHE_FOREVER;
  protected pendingRs1: Uint8Array | undefined;
  /** KEM mode, responder: KEMResult from encapsulating, kept until DHPart2 arrives (kem-mode.ts). */
  protected kemResult: Uint8Array | undefined;
  protected secureEvent: ZrtpSecure | undefined;
  protected lastRejected: Uint8Array | undefined;
  protected parent: MultistreamParent | undefined;
  protected disposed = false;

  /** Packets dropped before reaching the state machine (CRC, framing, unknown type). */
  droppedPackets = 0;
  /** Messages that parsed but failed a check (see `rejected` events). */
  rejectedMessages = 0;

  constructor(protected readonly options: ZrtpEngineOptions) {
    if (options.zid.length !== 12) throw new RangeError('ZID must be 12 bytes');
    this.preferences = options.preferences ?? DEFAULT_PREFERENCES;
    this.chain = makeHashChain(options.random(32));
    const seq = options.random(2);
    this.send = new ZrtpSender(((seq[0] << 8) | seq[1]) & 0x7fff, options.ssrc, options.mtu);
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
    for (const [name, pair] of options.keyPairs ?? []) this.keyPairs.set(name, pair);
    // Precompute the preferred key pair so that answering costs no key generation.
    const preferred = p.keyAgreements.find((k) => k !== 'Mult');
    if (preferred && !options.multistream) this.keyPair(preferred);
    this.parent = options.multistream;
  }

  /** The DH private keys are done with once the shared secret exists (§4.4.1.4). */
  protected wipeKeyPairs(): void {
    for (const p of this.keyPairs.values()) p.secret.fill(0);
    this.keyPairs.clear();
  }

  /** §8.1.1: the Hello must hash to the peer's a=zrtp-hash from signalling. */
  protected checkHelloHash(hello: Hello, out: Outbox): void {
    if (!this.expectedHelloHash) return;
    const actual = helloHash(hello.raw);
    this.helloHashMatched = equalBytes(actual, this.expectedHelloHash);
    if (!this.helloHashMatched) out.events.push({ type: 'helloHashMismatch', expected: toHex(this.expectedHelloHash), received: toHex(actual) });
  }

  // ---- initiator ------------------------------------------------------------------------------

  /** Commit (§5.4) with our choice from both Hellos (negotiation.ts); we are initiator until contention says otherwise (§4.2). */
  protected sendCommit(now: number, out: Outbox): void {
    const own = buildCommit({
      preferences: this.preferences,
      peerHello: this.peerHello as Hello,
      parent: this.parent,
      chain: this.chain,
      zid: this.options.zid,
      random: this.options.random,
      dhPart2: (n) => this.buildDHPart(2, n),
      kemPublicKey: (n) => this.keyPair(n.algorithms.keyAgreement).publicValue,
    });
    if (own.dhPart2) this.selfDHPart2 = own.dhPart2;
    this.negotiated = own.negotiated;
    this.selfCommit = own.commit;
    this.role = 'initiator';
    this.stateValue = 'initiatorCommitSent';
    this.send.sendRequest(own.commit.raw, T2, 'Commit', now, out);
  }

  /** DHPart1 (§4.4.1.2, §5.5): the shared secret, total_hash and all keys; DHPart2 goes out. */
  protected onDHPart1(d: DHPart, now: number, out: Outbox): void {
    const n = this.negotiated as Negotiated;
    const { suite, algorithms } = n;
    const ka = keyAgreementByName(algorithms.keyAgreement, this.options.primitives);
    const kem = kemOf(n, this.options.primitives);
    if (d.pv.length !== (kem ? kemPvLength(kem, 1) : ka?.publicValueLength)) return this.reject(out, 'DHPart1', 'public value length');
    // H1 reveals H2, which authenticates the responder's Hello (§9).
    if (!this.authenticatePeerHelloWithH2(nextImage(d.h1), 'DHPart1', out)) return;
    const secret = this.keyPair(algorithms.keyAgreement).secret;
    const dhResult = kem ? kemComplete(kem, n, d.pv, secret) : ka?.agree(secret, d.pv);
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
  protected onConfirm1(c: ConfirmWire, now: number, out: Outbox): void {
    const n = this.negotiated as Negotiated;
    const commit = this.selfCommit as Commit;
    const multistream = commit.keyAgreement === 'Mult';
    const hello = this.peerHello as Hello;
    const derived = multistream
      ? ks.deriveMultistream(n, (this.parent as MultistreamParent).zrtpSess, 'initiator', this.options.zid, hello.zid, hello.raw, commit.raw)
      : (this.derived as Derived);
    const opened = openConfirm(this.options.primitives, n.suite, derived.keys.zrtpkeyr, derived.keys.mackeyr, c.confirmMac, c.iv, c.encrypted);
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
  protected becomeResponder(commit: Commit, now: number, out: Outbox): void {
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
    const kem = kemOf(verdict.ok, this.options.primitives);
    const kemReply = kem && kemRespond(kem, verdict.ok, commit.pk as Uint8Array, this.options.random);
    // The pk is authenticated only later (by H1): a tampered copy is dropped, the same bytes again fail (§5.9 0x61).
    if (kem && !kemReply) return this.rejectOrFail(commit.raw, ERROR.badPublicValue, 'Commit', 'bad KEM public key', now, out);
    this.kemResult = kemReply?.kemResult;
    this.selfDHPart1 = this.buildDHPart(1, verdict.ok, kemReply?.pv);
    this.stateValue = 'responderDHPart1Sent';
    this.send.reply(commit.raw, this.selfDHPart1, out);
  }

  /** DHPart2 (§4.4.1.1, §5.6): H1 authenticates the Commit, the hvi binds DHPart2 to it; then all keys and Confirm1. */
  protected onDHPart2(d: DHPart, now: number, out: Outbox): void {
    const n = this.negotiated as Negotiated;
    const { suite, algorithms } = n;
    const commit = this.peerCommit as Commit;
    const ka = keyAgreementByName(algorithms.keyAgreement, this.options.primitives);
    const kem = kemOf(n, this.options.primitives);
    if (d.pv.length !== (kem ? kemPvLength(kem, 2) : ka?.publicValueLength)) return this.reject(out, 'DHPart2', 'public value length');
    // H1 reveals the key of the Commit's MAC (§9); then the hvi binds DHPart2 to that Commit (§4.4.1.1).
    if (!equalBytes(nextImage(d.h1), commit.h2) || !messageMacValid(d.h1, commit.raw)) return this.reject(out, 'DHPart2', 'H1 does not authenticate the Commit');
    if (!equalBytes(ks.hvi(suite, d.raw, this.selfHello), commit.hvi as Uint8Array)) return this.rejectOrFail(d.raw, ERROR.hviMismatch, 'DHPart2', 'hvi mismatch', now, out);
    const dhResult = kem ? this.kemResult : ka?.agree(this.keyPair(algorithms.keyAgreement).secret, d.pv);
    this.kemResult = undefined;
    this.wipeKeyPairs();
    if (!dhResult) return this.fail(ERROR.badPublicValue, 'bad pvi', now, out);
    const th = totalHash(suite, [this.selfHello, commit.raw, this.selfDHPart1 as Uint8Array, d.raw]);
    this.peerDHPart = d;
    this.derived = this.deriveDh(dhResult, th, d, 'responder', out);
    this.stateValue = 'responderConfirm1Sent';
    this.send.reply(d.raw, this.buildConfirm(1), out);
  }

  /** Confirm2 (§5.7): opens with the initiator's keys and its H0 authenticates DHPart2 (or, Mult, the Commit); Conf2ACK, then secure. */
  protected onConfirm2(c: ConfirmWire, now: number, out: Outbox): void {
    const { suite } = this.negotiated as Negotiated;
    const keys = (this.derived as Derived).keys;
    const opened = openConfirm(this.options.primitives, suite, keys.zrtpkeyi, keys.mackeyi, c.confirmMac, c.iv, c.encrypted);
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
  protected authenticatePeerHelloWithH2(h2: Uint8Array, what: string, out: Outbox): boolean {
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

  protected keyPair(name: string): KeyPair {
    let pair = this.keyPairs.get(name);
    if (!pair) {
      pair = makeKeyPair(name, this.options.random, this.options.primitives);
      this.keyPairs.set(name, pair);
    }
    return pair;
  }

  /** `pv` in KEM mode: DHPart1's padded cipher text; DHPart2's is a fresh nonce (kem-mode.ts). */
  protected buildDHPart(part: 1 | 2, n: Negotiated, pv?: Uint8Array): Uint8Array {
    const own = { entry: this.cacheEntry, auxSecret: this.options.auxSecret };
    const kem = kemOf(n, this.options.primitives);
    const value = pv ?? (kem ? this.options.random(kemPvLength(kem, 2)) : this.keyPair(n.algorithms.keyAgreement).publicValue);
    return ks.buildDHPart(part, n.suite, this.chain, own, value, this.options.random);
  }

  /** All keys from the DH result (key-schedule.ts); an rs1 mismatch is reported and clears Verified now (§4.6.1.1). */
  protected deriveDh(dhResult: Uint8Array, th: Uint8Array, peer: DHPart, role: ZrtpRole, out: Outbox): Derived {
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

  protected buildConfirm(part: 1 | 2): Uint8Array {
    const derived = this.derived as Derived;
    const verified = ks.ourVerifiedFlag(this.parent, derived, this.cacheEntry);
    return ks.buildConfirm(this.options.primitives, part, (this.negotiated as Negotiated).suite, derived.keys, this.chain.h0, verified, this.options.random(16), this.options.cacheExpiration);
  }

  /** Conf2ACK sent or received: report keys and SAS, update the cache (§4.6.1), wipe what is done with. */
  protected goSecure(out: Outbox): void {
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

  protected reject(out: Outbox, message: string, reason: string): void {
    this.rejectedMessages++;
    out.events.push({ type: 'rejected', message, reason });
  }

  /**
   * A check that a tampered copy could fail drops the message (the genuine one may follow); the
   * same bytes failing again are what the peer really sends, so the session fails with `code`
   * (§5.9: 0x62 hvi mismatch, 0x70 bad Confirm MAC, 0x5x algorithm not offered).
   */
  protected rejectOrFail(raw: Uint8Array, code: number, message: string, reason: string, now: number, out: Outbox): void {
    if (this.lastRejected && equalBytes(this.lastRejected, raw)) return this.fail(code, `${message}: ${reason}, repeated`, now, out);
    this.lastRejected = raw;
    this.reject(out, message, reason);
  }

  /** Our own protocol failure: send Error (retransmitted until ErrorACK, §5.9) and stop. */
  protected fail(code: number, reason: string, now: number, out: Outbox): void {
    if (this.stateValue === 'failed') return;
    this.stateValue = 'failed';
    this.send.sendRequest(encodeError(code), T2, 'Error', now, out);
    out.events.push({ type: 'error', code, sentByPeer: false, reason });
  }

  protected result(out: Outbox): ZrtpOutput {
    const deadline = this.send.deadline;
    return deadline === undefined ? { packets: out.packets, events: out.events } : { packets: out.packets, events: out.events, nextDeadline: deadline };
  }
}
