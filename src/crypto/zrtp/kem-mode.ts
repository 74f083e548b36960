// KEM mode as bzrtp (linphone-sdk ≥ 5.4) runs it; not in RFC 6189, bzrtp's stateMachine.c and
// packetParser.c are the reference. The initiator's KEM public key rides in the Commit after hvi;
// the responder encapsulates to it and sends the cipher text as DHPart1's pv; the initiator's
// DHPart2 pv is a 16-byte nonce, so hvi = H(DHPart2 || responder Hello) still commits the
// initiator before it sees DHPart1 (§4.4.1.1). KEMResult takes DHResult's place in s0 (§4.4.1.4)
// with total_hash over the same four messages. Values are zero-padded to whole words.
import { kemByName } from './key-agreement/kem';
import type { Kem, KemHashName } from './key-agreement/kem';
import { paddedLength } from './messages/commit';
import type { Negotiated } from './key-schedule';
import type { ZrtpPrimitives } from './primitives';

/** bzrtp's ZRTP_KEMPART2_NONCE_SIZE. */
export const KEM_DHPART2_NONCE_LENGTH = 16;

export function kemOf(n: Negotiated, p: ZrtpPrimitives): Kem | undefined {
  return kemByName(n.algorithms.keyAgreement, p);
}

/** The pv length a DHPart must have in KEM mode: the padded cipher text (DHPart1) or the nonce (DHPart2). */
export function kemPvLength(kem: Kem, part: 1 | 2): number {
  return part === 1 ? paddedLength(kem.cipherTextLength) : KEM_DHPART2_NONCE_LENGTH;
}

function padded(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(b.length));
  out.set(b);
  return out;
}

/** Responder: encapsulate to the Commit's pk; DHPart1's pv and KEMResult, or undefined for a bad pk (Error 0x61). */
export function kemRespond(kem: Kem, n: Negotiated, pk: Uint8Array, random: (n: number) => Uint8Array): { pv: Uint8Array; kemResult: Uint8Array } | undefined {
  const e = kem.encapsulate(pk, n.algorithms.hash as KemHashName, random);
  return e && { pv: padded(e.cipherText), kemResult: e.sharedSecret };
}

/** Initiator: KEMResult from DHPart1's pv (its padding dropped), or undefined for a bad cipher text. */
export function kemComplete(kem: Kem, n: Negotiated, pv: Uint8Array, secretKey: Uint8Array): Uint8Array | undefined {
  return kem.decapsulate(pv.subarray(0, kem.cipherTextLength), secretKey, n.algorithms.hash as KemHashName);
}
