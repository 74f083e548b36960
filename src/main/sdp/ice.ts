// ICE in SDP (RFC 8839): a=ice-ufrag, a=ice-pwd, a=ice-options, a=ice-lite, a=candidate,
// a=end-of-candidates (RFC 8840), with a=rtcp-mux noted. Works on the typed attribute lists of
// parse.ts (these lines arrive there as 'other' attributes) and builds attributes for serialize.ts.
// Bad input never throws: a typed error, or a candidate line listed as ignored (§5.1).
import { formatCandidate, parseCandidate } from '../net/ice/candidate';
import type { Candidate, CandidateParseError } from '../net/ice/candidate';
import { err, ok, type Result } from './errors';
import type { Attribute } from './types';

/** RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/"; ufrag 4–256, pwd 22–256 characters. */
const ICE_CHARS = /^[A-Za-z0-9+/]+$/;
export const UFRAG_LENGTH = { min: 4, max: 256 } as const;
export const PWD_LENGTH = { min: 22, max: 256 } as const;
/** Bound on candidates per media section (hostile SDP); real ones carry fewer than 20. */
export const MAX_CANDIDATES = 64;
/** RFC 8839 §5.6 ice-option-tag = 1*ice-char; a handful at most. */
const MAX_ICE_OPTIONS = 16;

export type IceSdpErrorCode = 'bad-ufrag' | 'bad-pwd' | 'missing-credentials' | 'bad-ice-options' | 'duplicate-attribute' | 'too-many-candidates';

export interface IceSdpError {
  readonly code: IceSdpErrorCode;
  readonly message: string;
}

export interface IceCredentials {
  readonly ufrag: string;
  readonly pwd: string;
}

export interface IceDescription {
  readonly credentials: IceCredentials;
  /** ice-options tags, session level then media level (e.g. "trickle", RFC 8840 §4.1.1). */
  readonly options: readonly string[];
  readonly trickle: boolean;
  /** RFC 8839 §5.3 session-level a=ice-lite: the peer only answers checks. */
  readonly lite: boolean;
  readonly candidates: readonly Candidate[];
  /** Candidate lines that failed RFC 8839 §5.1 or use a transport other than UDP: ignored. */
  readonly ignored: readonly { readonly value: string; readonly error: CandidateParseError | 'unsupported-transport' }[];
  /** RFC 8840 §4.4: the peer will send no more candidates in this generation. */
  readonly endOfCandidates: boolean;
  /** RFC 5761 a=rtcp-mux: RTP and RTCP share component 1, so only component 1 is needed. */
  readonly rtcpMux: boolean;
}

export function isValidUfrag(s: string): boolean {
  return s.length >= UFRAG_LENGTH.min && s.length <= UFRAG_LENGTH.max && ICE_CHARS.test(s);
}

export function isValidPwd(s: string): boolean {
  return s.length >= PWD_LENGTH.min && s.length <= PWD_LENGTH.max && ICE_CHARS.test(s);
}

type Other = Extract<Attribute, { kind: 'other' }>;

function others(attrs: readonly Attribute[], name: string): Other[] {
  return attrs.filter((a): a is Other => a.kind === 'other' && a.name === name);
}

/** Session-level value, overridden by a media-level one (RFC 8839 §5.4); at most one of each. */
function single(session: readonly Attribute[], media: readonly Attribute[], name: string): Result<string | undefined, IceSdpError> {
  const s = others(session, name);
  const m = others(media, name);
  if (s.length > 1 || m.length > 1) return err({ code: 'duplicate-attribute', message: `more than one a=${name}` });
  return ok((m[0] ?? s[0])?.value);
}

/**
 * Reads the ICE attributes of one media section (and its session). Credentials are required: a
 * description without them does not do ICE (the caller falls back to plain c=/m= addresses).
 */
export function readIce(session: readonly Attribute[], media: readonly Attribute[]): Result<IceDescription, IceSdpError> {
  const ufrag = single(session, media, 'ice-ufrag');
  if (!ufrag.ok) return ufrag;
  const pwd = single(session, media, 'ice-pwd');
  if (!pwd.ok) return pwd;
  if (ufrag.value === undefined || pwd.value === undefined) return err({ code: 'missing-credentials', message: 'a=ice-ufrag and a=ice-pwd are both needed' });
  if (!isValidUfrag(ufrag.value)) return err({ code: 'bad-ufrag', message: 'ice-ufrag must be 4–256 ice-chars (RFC 8839 §5.4)' });
  if (!isValidPwd(pwd.value)) return err({ code: 'bad-pwd', message: 'ice-pwd must be 22–256 ice-chars (RFC 8839 §5.4)' });
  const options: string[] = [];
  for (const a of [...others(session, 'ice-options'), ...others(media, 'ice-options')]) {
    const tags = (a.value ?? '').split(' ');
    if (tags.some((t) => !ICE_CHARS.test(t)) || options.length + tags.length > MAX_ICE_OPTIONS) {
      return err({ code: 'bad-ice-options', message: 'ice-options must be ice-char tags separated by single spaces (RFC 8839 §5.6)' });
    }
    options.push(...tags);
  }
  const lines = others(media, 'candidate');
  if (lines.length > MAX_CANDIDATES) return err({ code: 'too-many-candidates', message: `more than ${MAX_CANDIDATES} a=candidate lines` });
  const candidates: Candidate[] = [];
  const ignored: { value: string; error: CandidateParseError | 'unsupported-transport' }[] = [];
  for (const line of lines) {
    const value = line.value ?? '';
    const parsed = parseCandidate(value);
    if (!parsed.ok) ignored.push({ value, error: parsed.error });
    else if (parsed.candidate.transport !== 'udp') ignored.push({ value, error: 'unsupported-transport' });
    else candidates.push(parsed.candidate);
  }
  return ok({
    credentials: { ufrag: ufrag.value, pwd: pwd.value },
    options,
    trickle: options.includes('trickle'),
    lite: others(session, 'ice-lite').length > 0,
    candidates,
    ignored,
    endOfCandidates: others(media, 'end-of-candidates').length > 0 || others(session, 'end-of-candidates').length > 0,
    rtcpMux: media.some((a) => a.kind === 'rtcp-mux'),
  });
}

export interface IceAttributesInit {
  readonly credentials: IceCredentials;
  readonly candidates: readonly Candidate[];
  /** Advertise trickle ICE (RFC 8840 §4.1.1). */
  readonly trickle?: boolean;
  /** All candidates are listed (RFC 8840 §4.4; harmless without trickle). */
  readonly endOfCandidates?: boolean;
}

/** The media-level ICE attributes, in RFC 8839 §5 order, ready for MediaDescription.attributes. */
export function iceMediaAttributes(init: IceAttributesInit): Attribute[] {
  if (!isValidUfrag(init.credentials.ufrag) || !isValidPwd(init.credentials.pwd)) throw new RangeError('ICE credentials break RFC 8839 §5.4');
  const out: Attribute[] = [
    { kind: 'other', name: 'ice-ufrag', value: init.credentials.ufrag },
    { kind: 'other', name: 'ice-pwd', value: init.credentials.pwd },
  ];
  if (init.trickle) out.push({ kind: 'other', name: 'ice-options', value: 'trickle' });
  for (const c of init.candidates) out.push({ kind: 'other', name: 'candidate', value: formatCandidate(c) });
  if (init.endOfCandidates) out.push({ kind: 'other', name: 'end-of-candidates' });
  return out;
}

/**
 * RFC 8839 §4.4.1.1.2: a new ufrag or pwd from the peer (compared with its last description)
 * means it restarted ICE; the agent then restarts too (IceAgent.restart).
 */
export function isIceRestart(previous: IceCredentials | undefined, next: IceCredentials): boolean {
  return previous !== undefined && (previous.ufrag !== next.ufrag || previous.pwd !== next.pwd);
}

/**
 * Fresh credentials (RFC 8445 §5.3: ufrag ≥ 24 random bits, pwd ≥ 128): 8 and 24 ice-chars of
 * base64 (6 bits each, so 48 and 144 bits), from the caller's random source.
 */
export function generateIceCredentials(randomBytes: (n: number) => Uint8Array): IceCredentials {
  const chars = (n: number): string => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    return Array.from(randomBytes(n), (b) => alphabet[b & 63]).join('');
  };
  return { ufrag: chars(8), pwd: chars(24) };
}
