// Typed SRTP failures. Each is a frozen singleton, so reporting one allocates nothing: a flood of
// forged packets costs no garbage.

export type SrtpErrorKind =
  /** The session was disposed: its keys are gone. */
  | 'no-key'
  /** RFC 3711 §9.2: 2^48 SRTP / 2^31 SRTCP packets (or the signalled lifetime) used up. */
  | 'lifetime-exhausted'
  /** Protecting would take the packet past the largest UDP payload. */
  | 'over-max-size'
  /** Shorter than its header plus trailer. */
  | 'too-short'
  /** RTP/RTCP version field is not 2. */
  | 'bad-version'
  /** Header fields (CSRC count, extension length) point past the packet. */
  | 'malformed'
  /** The MKI is not the one this session's master key carries (RFC 3711 §3.1). */
  | 'unknown-mki'
  | 'auth-failed'
  /** Already received, or older than the replay window (RFC 3711 §3.3.2). */
  | 'replayed';

export interface SrtpError {
  readonly kind: SrtpErrorKind;
}

function error(kind: SrtpErrorKind): SrtpError {
  return Object.freeze({ kind });
}

export const SrtpErrors = Object.freeze({
  noKey: error('no-key'),
  lifetimeExhausted: error('lifetime-exhausted'),
  overMaxSize: error('over-max-size'),
  tooShort: error('too-short'),
  badVersion: error('bad-version'),
  malformed: error('malformed'),
  unknownMki: error('unknown-mki'),
  authFailed: error('auth-failed'),
  replayed: error('replayed'),
});
