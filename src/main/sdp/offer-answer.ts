// RFC 3264 offer/answer as explicit state. Every function is pure: it takes the state and an SDP
// and returns the next state (or a typed error that leaves the old state in force).
//
//   initial --createOffer--> local-offer --processAnswer--> stable
//   initial/stable --answerOffer--> stable            stable --createOffer--> local-offer
//   local-offer --rollbackOffer--> previous phase (our offer got 488/491/timeout)
import { isIPv6 } from 'node:net';
import { applyAnswerStream } from './apply-answer';
import { answerStream } from './answer-stream';
import { disabledMedia, offerMedia } from './build-media';
import { keepPayloadTypes } from './payload-types';
import { err, ok, type Result } from './errors';
import type { LocalMediaConfig, LocalStreamConfig } from './local-config';
import type { NegotiatedStream } from './negotiated';
import { serializeSdp } from './serialize';
import type { MediaDescription, Origin, SessionDescription } from './types';

export type OfferAnswerPhase = 'initial' | 'local-offer' | 'stable';

export interface OfferAnswerState {
  readonly phase: OfferAnswerPhase;
  /** Our o= line; sessionVersion counts every change we send (RFC 3264 §8). */
  readonly origin: Origin;
  /** The last SDP we sent (offer or answer). */
  readonly lastLocal?: SessionDescription;
  /** Our SDP of the negotiated session: the offer the peer answered, or our answer. */
  readonly sessionLocal?: SessionDescription;
  /** The last SDP the peer sent. */
  readonly lastRemote?: SessionDescription;
  /** Our outstanding offer and the config it was built from. */
  readonly pending?: { readonly offer: SessionDescription; readonly config: LocalMediaConfig; readonly previousPhase: 'initial' | 'stable' };
  /** The negotiated session, by m-line index (empty until the first exchange completes). */
  readonly streams: readonly NegotiatedStream[];
  readonly config?: LocalMediaConfig;
}

export type OfferAnswerErrorCode = 'wrong-phase' | 'glare' | 'bad-offer' | 'bad-answer' | 'no-acceptable-stream';

export interface OfferAnswerError {
  readonly code: OfferAnswerErrorCode;
  /** SIP status to answer an offer with: 491 for glare (RFC 3261 §14.2), 488 otherwise. */
  readonly status: number;
  readonly message: string;
}

function oaError(code: OfferAnswerErrorCode, message: string): OfferAnswerError {
  return { code, status: code === 'glare' ? 491 : 488, message };
}

export interface SessionOptions {
  /** sess-id: a random number chosen once per call (RFC 8866 §5.2). */
  sessionId: string;
  /** First sess-version; default 1. */
  initialVersion?: bigint;
  username?: string;
  address: string;
}

export function createOfferAnswer(opts: SessionOptions): OfferAnswerState {
  return {
    phase: 'initial',
    origin: {
      username: opts.username ?? '-',
      sessionId: opts.sessionId,
      sessionVersion: opts.initialVersion ?? 1n,
      netType: 'IN',
      addrType: isIPv6(opts.address) ? 'IP6' : 'IP4',
      address: opts.address,
    },
    streams: [],
  };
}

/** Wraps m-lines in a session, bumping sess-version only when the content changed (RFC 3264 §8). */
function describe(state: OfferAnswerState, config: LocalMediaConfig, media: MediaDescription[]): { sdp: SessionDescription; origin: Origin } {
  const addrType = isIPv6(config.address) ? 'IP6' : 'IP4';
  const build = (origin: Origin): SessionDescription => ({
    origin,
    sessionName: '-',
    emails: [],
    phones: [],
    connection: { netType: 'IN', addrType, address: config.address },
    bandwidths: [],
    timings: [{ start: '0', stop: '0', repeats: [] }],
    attributes: [],
    media,
  });
  const same = build(state.origin);
  if (!state.lastLocal) return { sdp: same, origin: state.origin };
  if (serializeSdp(same) === serializeSdp(state.lastLocal)) return { sdp: same, origin: state.origin };
  const origin = { ...state.origin, sessionVersion: state.origin.sessionVersion + 1n };
  return { sdp: build(origin), origin };
}

/**
 * An offer from our config: the first offer of the call, or a re-offer (add or remove video,
 * hold, resume). Existing m-lines keep their index (RFC 3264 §8); a stream kind missing from the
 * config is disabled with port 0; a new kind is appended. Pass a running stream's config unchanged
 * (port, zrtpHash, SDES keys): peers compare them, and the security policy of the other side
 * refuses a changed a=zrtp-hash.
 */
export function createOffer(state: OfferAnswerState, config: LocalMediaConfig): Result<{ state: OfferAnswerState; offer: SessionDescription }, OfferAnswerError> {
  if (state.phase === 'local-offer') return err(oaError('wrong-phase', 'an offer of ours is still outstanding'));
  const previous = state.sessionLocal?.media ?? [];
  const used = new Set<LocalStreamConfig>();
  const media: MediaDescription[] = previous.map((m, index) => {
    const stream = config.streams.find((s) => s.kind === m.media && !used.has(s));
    if (!stream) return disabledMedia(m.media, m.proto, m.formats);
    used.add(stream);
    // RFC 3264 §8.3.2: the session's payload-type numbers stay (payload-types.ts).
    return offerMedia({ ...stream, codecs: keepPayloadTypes(stream.codecs, m, state.lastRemote?.media[index]) }, config);
  });
  for (const s of config.streams) if (!used.has(s)) media.push(offerMedia(s, config));
  const { sdp, origin } = describe(state, config, media);
  const previousPhase = state.phase;
  return ok({ state: { ...state, phase: 'local-offer', origin, lastLocal: sdp, pending: { offer: sdp, config, previousPhase } }, offer: sdp });
}

/** Our offer failed (non-2xx, glare, timeout): the previous negotiation stays in force. */
export function rollbackOffer(state: OfferAnswerState): OfferAnswerState {
  if (state.phase !== 'local-offer' || !state.pending) return state;
  // The rejected offer's version stays used: the next SDP we send counts on from it.
  return { ...state, phase: state.pending.previousPhase, pending: undefined };
}

/** Applies the peer's answer to our outstanding offer. */
export function processAnswer(state: OfferAnswerState, answer: SessionDescription): Result<{ state: OfferAnswerState; streams: NegotiatedStream[] }, OfferAnswerError> {
  if (state.phase !== 'local-offer' || !state.pending) return err(oaError('wrong-phase', 'no offer of ours is outstanding'));
  const { offer, config } = state.pending;
  if (answer.media.length !== offer.media.length) {
    return err(oaError('bad-answer', `the answer has ${answer.media.length} m-lines, our offer ${offer.media.length} (RFC 3264 §6)`));
  }
  const used = new Set<LocalStreamConfig>();
  const streams: NegotiatedStream[] = offer.media.map((ours, index) => {
    const stream = ours.port === 0 ? undefined : config.streams.find((c) => c.kind === ours.media && !used.has(c));
    if (stream) used.add(stream);
    return applyAnswerStream(offer, answer, index, stream, config);
  });
  const next: OfferAnswerState = { ...state, phase: 'stable', pending: undefined, sessionLocal: offer, lastRemote: answer, streams, config };
  return ok({ state: next, streams });
}

/**
 * Answers a peer's offer (initial or re-offer) with our config. Run the security policy on the
 * offer first: it decides each stream's `security` in the config, or refuses with 488.
 */
export function answerOffer(
  state: OfferAnswerState,
  offer: SessionDescription,
  config: LocalMediaConfig,
): Result<{ state: OfferAnswerState; answer: SessionDescription; streams: NegotiatedStream[] }, OfferAnswerError> {
  if (state.phase === 'local-offer') return err(oaError('glare', 'an offer of ours is outstanding (RFC 3261 §14.2)'));
  // RFC 3264 §8: a re-offer keeps every m-line of the session, in order.
  const previous = state.lastRemote?.media ?? [];
  if (state.phase === 'stable' && offer.media.length < previous.length) {
    return err(oaError('bad-offer', `the offer has ${offer.media.length} m-lines, the session ${previous.length} (RFC 3264 §8)`));
  }
  const used = new Set<LocalStreamConfig>();
  const answers = offer.media.map((m, index) => {
    const stream = m.port === 0 ? undefined : config.streams.find((s) => s.kind === m.media && !used.has(s));
    if (stream) used.add(stream);
    return answerStream(offer, m, index, stream, config);
  });
  const streams = answers.map((a) => a.stream);
  if (!streams.some((s) => s.status === 'active')) {
    const reasons = streams.map((s) => (s.status === 'active' ? '' : s.reason)).filter((r) => r.length > 0);
    return err(oaError('no-acceptable-stream', reasons.join('; ') || 'the offer has no stream'));
  }
  const { sdp, origin } = describe(state, config, answers.map((a) => a.media));
  const next: OfferAnswerState = { ...state, phase: 'stable', origin, lastLocal: sdp, sessionLocal: sdp, lastRemote: offer, streams, config, pending: undefined };
  return ok({ state: next, answer: sdp, streams });
}
