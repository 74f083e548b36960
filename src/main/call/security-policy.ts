// "Security state only goes up within a call" (ARCHITECTURE.md). Whoever controls signalling must
// not weaken a running call: a re-offer that drops ZRTP, swaps it for SDES or plain RTP, or drops
// or changes the a=zrtp-hash of a running stream is refused with 488 and a reason the user sees.
// Pure functions over parsed SDP; the call layer applies the verdict.
import type { MediaSecurityPolicy, SecurityMode } from '../../shared/api';
import {
  hasMalformedZrtpHash,
  isRtpProfile,
  isSecureProfile,
  mentionsCrypto,
  sameZrtpHash,
  zrtpHashes,
  type MediaDescription,
  type NegotiatedStream,
  type SessionDescription,
} from '../sdp';

export interface ZrtpHashValue {
  version: string;
  hash: string;
}

/** How a running stream is protected now; for ZRTP, the peer's a=zrtp-hash if it sent one. */
export type RunningStreamSecurity = { mode: 'zrtp'; zrtpHash?: ZrtpHashValue } | { mode: 'sdes' } | { mode: 'none' };

export interface RunningStream {
  /** m-line index in the session. */
  index: number;
  kind: string;
  security: RunningStreamSecurity;
}

/** What one offered m-line asks for, from its profile and attributes. */
export type OfferedSecurity =
  | { mode: 'sdes' }
  | { mode: 'zrtp'; zrtpHash: ZrtpHashValue }
  /** A zrtp-hash line that does not parse (RFC 6189 §8.1): never trusted. */
  | { mode: 'zrtp-malformed' }
  /** RTP/AVP(F) without zrtp-hash: ZRTP may still start in the media path. */
  | { mode: 'plain' };

export type PolicyDecision =
  | {
      verdict: 'accept';
      /** Per offered m-line: how to key it in our answer; undefined for lines that are not RTP or have port 0. */
      streams: (SecurityMode | undefined)[];
    }
  | { verdict: 'refuse'; status: 488; reason: string; index?: number };

const RANK: Record<SecurityMode, number> = { none: 0, sdes: 1, zrtp: 2 };

/** The label the UI shows for a call's protection. */
export function securityLabel(mode: SecurityMode): string {
  if (mode === 'zrtp') return 'end-to-end encrypted';
  if (mode === 'sdes') return 'encrypted, not end-to-end';
  return 'not encrypted';
}

export function allowsSdes(policy: MediaSecurityPolicy): boolean {
  return policy === 'allow-sdes' || policy === 'allow-unencrypted';
}

export function allowsUnencrypted(policy: MediaSecurityPolicy): boolean {
  return policy === 'allow-unencrypted';
}

/**
 * Keying modes to offer on an outgoing call, in order: ZRTP first always (an RTP/AVP offer; a peer
 * without ZRTP simply sends no Hello, and the media layer decides after its timeout whether plain
 * RTP is allowed), then SDES after a 488 if the user allows it.
 */
export function offerModes(policy: MediaSecurityPolicy): SecurityMode[] {
  return allowsSdes(policy) ? ['zrtp', 'sdes'] : ['zrtp'];
}

export function offeredSecurity(sdp: SessionDescription, m: MediaDescription): OfferedSecurity {
  // A secure profile or any crypto line means SDES keys travel through the servers.
  if (isSecureProfile(m.proto) || mentionsCrypto(m)) return { mode: 'sdes' };
  const hashes = zrtpHashes(sdp, m);
  // RFC 6189 §8.1: one Hello per stream, so one hash; two different ones are as good as none.
  if (hasMalformedZrtpHash(sdp, m) || hashes.some((h) => !sameZrtpHash(h, hashes[0]))) return { mode: 'zrtp-malformed' };
  const hash = hashes[0];
  return hash ? { mode: 'zrtp', zrtpHash: { version: hash.version, hash: hash.hash } } : { mode: 'plain' };
}

function isLive(m: MediaDescription): boolean {
  return m.port !== 0 && isRtpProfile(m.proto);
}

function refuse(reason: string, index?: number): PolicyDecision {
  return index === undefined ? { verdict: 'refuse', status: 488, reason } : { verdict: 'refuse', status: 488, reason, index };
}

/** A new stream (initial offer, or one added to a call at `level`) under the user's setting. */
function newStreamMode(offered: OfferedSecurity, kind: string, policy: MediaSecurityPolicy): { mode: SecurityMode } | { reason: string } {
  if (offered.mode === 'sdes') {
    return allowsSdes(policy) ? { mode: 'sdes' } : { reason: `the ${kind} stream offers only SDES (keys visible to servers) and this phone requires end-to-end encryption` };
  }
  if (offered.mode === 'zrtp-malformed') return { reason: `the ${kind} stream carries a malformed or duplicated a=zrtp-hash` };
  return { mode: 'zrtp' };
}

/** Initial offer from a peer: encryption required by default, SDES only if allowed. */
export function checkInitialOffer(offer: SessionDescription, policy: MediaSecurityPolicy): PolicyDecision {
  const streams: (SecurityMode | undefined)[] = [];
  for (const [index, m] of offer.media.entries()) {
    if (!isLive(m)) {
      streams.push(undefined);
      continue;
    }
    const decided = newStreamMode(offeredSecurity(offer, m), m.media, policy);
    if ('reason' in decided) return refuse(decided.reason, index);
    streams.push(decided.mode);
  }
  const modes = streams.filter((s): s is SecurityMode => s !== undefined);
  // One call, one level: a mix would show the user a label no stream deserves.
  if (new Set(modes).size > 1) return refuse('the offer mixes ZRTP and SDES streams');
  return { verdict: 'accept', streams };
}

/** The running streams as offer/answer negotiated them (for a call whose keys match its SDP). */
export function runningFromNegotiated(streams: readonly NegotiatedStream[]): RunningStream[] {
  const running: RunningStream[] = [];
  for (const s of streams) {
    if (s.status !== 'active') continue;
    const security: RunningStreamSecurity =
      s.security === 'zrtp' ? (s.remoteZrtpHash ? { mode: 'zrtp', zrtpHash: s.remoteZrtpHash } : { mode: 'zrtp' }) : { mode: s.security };
    running.push({ index: s.index, kind: s.kind, security });
  }
  return running;
}

/** Checks one running stream against its m-line in the re-offer. Returns a refusal reason or undefined. */
function weakening(run: RunningStream, offered: OfferedSecurity, offerHasAnyHash: boolean): string | undefined {
  const kind = run.kind;
  const s = run.security;
  if (s.mode === 'zrtp') {
    if (offered.mode === 'sdes') return `the server tried to switch a ZRTP stream to SDES (${kind})`;
    if (offered.mode === 'zrtp-malformed') return `the server changed the a=zrtp-hash of a running ${kind} stream (malformed or duplicated)`;
    if (offered.mode === 'plain') {
      if (!s.zrtpHash) return undefined;
      return offerHasAnyHash ? `the server removed a=zrtp-hash from the running ${kind} stream` : `the server dropped ZRTP from the call (plain RTP offered for the ${kind} stream)`;
    }
    if (s.zrtpHash && !sameZrtpHash(s.zrtpHash, offered.zrtpHash)) return `the server changed the a=zrtp-hash of a running ${kind} stream`;
    return undefined;
  }
  if (s.mode === 'sdes' && offered.mode === 'plain') return `the server tried to switch an SDES stream to unencrypted RTP (${kind})`;
  if (s.mode === 'sdes' && offered.mode === 'zrtp-malformed') return `the ${kind} stream carries a malformed or duplicated a=zrtp-hash`;
  return undefined;
}

function keepMode(run: RunningStream, offered: OfferedSecurity): SecurityMode {
  if (run.security.mode === 'zrtp') return 'zrtp';
  if (offered.mode === 'zrtp') return 'zrtp';
  return offered.mode === 'sdes' ? 'sdes' : run.security.mode;
}

/**
 * A re-offer (re-INVITE or UPDATE) during a call. Running streams may keep or raise their
 * protection, never lower it; added streams must match the call's level. A Linphone "camera on"
 * re-INVITE (each running stream's a=zrtp-hash unchanged, a new video line with its own hash) is
 * accepted.
 */
export function checkReOffer(running: readonly RunningStream[], offer: SessionDescription, policy: MediaSecurityPolicy): PolicyDecision {
  const level = running.reduce<SecurityMode>((acc, r) => (RANK[r.security.mode] > RANK[acc] ? r.security.mode : acc), 'none');
  const offerHasAnyHash = offer.media.some((m) => isLive(m) && zrtpHashes(offer, m).length > 0);
  const runningHashes = running.some((r) => r.security.mode === 'zrtp' && r.security.zrtpHash !== undefined);
  for (const run of running) {
    if (run.index >= offer.media.length) return refuse(`the server removed the ${run.kind} stream's m-line`, run.index);
  }
  const streams: (SecurityMode | undefined)[] = [];
  for (const [index, m] of offer.media.entries()) {
    const run = running.find((r) => r.index === index);
    if (run && m.port !== 0 && !isRtpProfile(m.proto)) return refuse(`the server changed the ${run.kind} stream's profile to ${m.proto}`, index);
    if (!isLive(m)) {
      // Port 0 ends the stream; that never weakens the others.
      streams.push(undefined);
      continue;
    }
    const offered = offeredSecurity(offer, m);
    if (run) {
      if (run.kind !== m.media) return refuse(`the server changed the ${run.kind} stream into ${m.media}`, index);
      const why = weakening(run, offered, offerHasAnyHash);
      if (why) return refuse(why, index);
      streams.push(keepMode(run, offered));
      continue;
    }
    // A stream added to the call.
    if (level === 'zrtp') {
      if (offered.mode === 'sdes') return refuse(`the server tried to add a ${m.media} stream with SDES to a ZRTP call`, index);
      if (offered.mode === 'zrtp-malformed') return refuse(`the ${m.media} stream carries a malformed or duplicated a=zrtp-hash`, index);
      if (offered.mode === 'plain' && runningHashes) return refuse(`the server tried to add a ${m.media} stream without a=zrtp-hash to a ZRTP call`, index);
      streams.push('zrtp');
      continue;
    }
    if (level === 'sdes' && offered.mode === 'plain') return refuse(`the server tried to add an unencrypted ${m.media} stream to an SDES call`, index);
    const decided = newStreamMode(offered, m.media, policy);
    if ('reason' in decided) return refuse(decided.reason, index);
    streams.push(decided.mode);
  }
  return { verdict: 'accept', streams };
}
