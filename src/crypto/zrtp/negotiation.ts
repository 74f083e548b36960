// Hello/Commit negotiation (RFC 6189 §4.1, §4.1.2, §4.2, §4.4.3): which Hello is acceptable,
// which algorithms our Commit proposes, whether the peer's Commit is acceptable, and who wins when
// both sides Commit. Pure functions: the engine applies the outcome to its state.
import { encodeCommit } from './messages';
import type { Commit, Hello } from './messages';
import { ERROR, HASH_SUITES, checkCommitAlgorithms, isKemAgreement, negotiate } from './algorithms';
import type { AlgorithmPreferences, NegotiatedAlgorithms } from './algorithms';
import { equalBytes } from './bytes';
import type { HashChain } from './hash-chain';
import { hvi } from './key-schedule';
import type { MultistreamParent, Negotiated } from './key-schedule';

/** How a check turned out: accepted, dropped (a tampered copy may fail it), or the session fails with a §5.9 code. */
export type Verdict<T> = { readonly ok: T } | { readonly reject: string } | { readonly fail: number; readonly reason: string };

/** Checks on the peer's first Hello (§4.1, §4.1.1, §4.4.3), in the order the engine has always applied them. */
export function checkHello(preferences: AlgorithmPreferences, hello: Hello, ownZid: Uint8Array, parent: MultistreamParent | undefined): Verdict<true> {
  // §4.1.1: a Hello of another version is not answered; the peer may still send one we support
  // (and the version field is only authenticated later, by the Hello MAC).
  if (!hello.version.startsWith('1.1')) return { reject: `unsupported version ${hello.version}` };
  if (equalBytes(hello.zid, ownZid)) return { fail: ERROR.equalZids, reason: 'peer has our ZID' };
  if (parent && !equalBytes(parent.peerZid, hello.zid)) return { fail: ERROR.helloComponentsMismatch, reason: 'multistream peer ZID differs from the first stream' };
  const choice = negotiate(preferences, hello);
  if ('error' in choice) return { fail: choice.error, reason: 'no common algorithm' };
  return { ok: true };
}

export interface OwnCommit {
  readonly negotiated: Negotiated;
  readonly commit: Commit;
  /** DH mode: the DHPart2 the hvi commits to (§4.4.1.1). */
  readonly dhPart2?: Uint8Array;
}

export interface CommitInput {
  readonly preferences: AlgorithmPreferences;
  readonly peerHello: Hello;
  readonly parent: MultistreamParent | undefined;
  readonly chain: HashChain;
  readonly zid: Uint8Array;
  readonly random: (n: number) => Uint8Array;
  /** Our DHPart2 for these algorithms (the engine holds the key pairs). */
  readonly dhPart2: (n: Negotiated) => Uint8Array;
  /** KEM mode: our public key, which the Commit carries (kem-mode.ts). */
  readonly kemPublicKey: (n: Negotiated) => Uint8Array;
}

/**
 * Our Commit (§5.4): Mult with the first stream's algorithms when this is a further stream and both
 * offer Mult (§4.4.3.1), otherwise DH with the algorithms chosen from both Hellos (§4.1.2) and the
 * hvi over our DHPart2.
 */
export function buildCommit(x: CommitInput): OwnCommit {
  const { parent, peerHello: hello } = x;
  if (parent && hello.keyAgreements.includes('Mult') && x.preferences.keyAgreements.includes('Mult')) {
    const algorithms: NegotiatedAlgorithms = { hash: parent.hash, cipher: parent.cipher, authTag: parent.authTag, keyAgreement: 'Mult', sas: parent.sasType };
    const fields = { h2: x.chain.h2, zid: x.zid, ...algorithms, nonce: x.random(16) };
    return { negotiated: { algorithms, suite: HASH_SUITES[parent.hash] }, commit: { ...fields, mac: new Uint8Array(8), raw: encodeCommit(fields, x.chain.h1) } };
  }
  const algorithms = negotiate(x.preferences, hello) as NegotiatedAlgorithms;
  const negotiated = { algorithms, suite: HASH_SUITES[algorithms.hash] };
  const dhPart2 = x.dhPart2(negotiated);
  const pk = isKemAgreement(algorithms.keyAgreement) ? { pk: x.kemPublicKey(negotiated) } : {};
  const fields = { h2: x.chain.h2, zid: x.zid, ...algorithms, hvi: hvi(negotiated.suite, dhPart2, hello.raw), ...pk };
  return { negotiated, commit: { ...fields, mac: new Uint8Array(8), raw: encodeCommit(fields, x.chain.h1) }, dhPart2 };
}

/**
 * §4.2 commit contention, both sides having sent Commit: the lower hvi (or nonce) becomes
 * responder. Commits of different modes (DH hvi against a nonce) are not compared.
 */
export function commitContention(own: Commit, theirs: Commit): 'weLose' | 'weWin' | 'differentModes' {
  const ownValue = own.hvi ?? own.nonce;
  const theirValue = theirs.hvi ?? theirs.nonce;
  if (!ownValue || !theirValue || ownValue.length !== theirValue.length) return 'differentModes';
  for (let i = 0; i < ownValue.length; i++) {
    if (ownValue[i] !== theirValue[i]) return ownValue[i] < theirValue[i] ? 'weLose' : 'weWin';
  }
  return 'weWin';
}

/**
 * The peer's Commit as responder (§4.1.2, §5.4): every algorithm must be one we offered
 * (`reject`, since the fields are authenticated only later by H1, so this may be a tampered
 * copy); Mult needs a first stream with the same hash (§4.4.3); Preshared is not supported.
 */
export function acceptCommit(preferences: AlgorithmPreferences, commit: Commit, parent: MultistreamParent | undefined): Verdict<Negotiated> | { readonly rejectOrFail: number } {
  const unsupported = checkCommitAlgorithms(preferences, commit);
  if (unsupported !== undefined) return { rejectOrFail: unsupported };
  if (commit.keyAgreement === 'Mult' && (!parent || commit.hash !== parent.hash)) return { fail: ERROR.keyExchangeNotSupported, reason: 'Mult without a first stream' };
  if (commit.keyAgreement === 'Prsh') return { fail: ERROR.keyExchangeNotSupported, reason: 'Preshared mode not supported' };
  const algorithms = { hash: commit.hash, cipher: commit.cipher, authTag: commit.authTag, keyAgreement: commit.keyAgreement, sas: commit.sas } as NegotiatedAlgorithms;
  return { ok: { algorithms, suite: HASH_SUITES[algorithms.hash] } };
}
