// The STUN side of ICE connectivity checks (RFC 8445 §7.1.1, §7.3): the attributes of a check,
// reading an incoming check after authenticating it, and the success / error responses.
import {
  AttributeType,
  StunMethod,
  checkFingerprint,
  checkMessageIntegrity,
  decodePriority,
  decodeText,
  decodeTieBreaker,
  encodeErrorCode,
  encodePriority,
  encodeText,
  encodeTieBreaker,
  encodeXorMappedAddress,
  getAttribute,
  serializeSigned,
  shortTermKey,
  TEXT_LIMIT,
} from '../stun/index';
import type { StunAttributeInit, StunMessage, TransportAddress } from '../stun/index';

export interface CheckAttributes {
  /** RFC 8445 §7.2.2: "<remote ufrag>:<local ufrag>". */
  readonly username: string;
  /** §7.1.1: the priority a peer-reflexive candidate learned from this check would get. */
  readonly priority: number;
  readonly controlling: boolean;
  readonly tieBreaker: bigint;
  /** §8.1.1 / aggressive nomination: the controlling agent's USE-CANDIDATE flag. */
  readonly useCandidate: boolean;
}

/** Attributes of a connectivity check or consent request (integrity and fingerprint added on serialize). */
export function checkRequestAttributes(a: CheckAttributes): StunAttributeInit[] {
  const out: StunAttributeInit[] = [
    { type: AttributeType.Username, value: encodeText(a.username, TEXT_LIMIT.username) },
    { type: AttributeType.Priority, value: encodePriority(a.priority) },
    { type: a.controlling ? AttributeType.IceControlling : AttributeType.IceControlled, value: encodeTieBreaker(a.tieBreaker) },
  ];
  if (a.useCandidate) out.push({ type: AttributeType.UseCandidate, value: new Uint8Array(0) });
  return out;
}

export interface IncomingCheck {
  readonly localUfrag: string;
  readonly remoteUfrag: string;
  readonly priority: number;
  readonly useCandidate: boolean;
  /** The peer's claimed role and tie-breaker (§7.3.1.1). */
  readonly peerRole?: { readonly controlling: boolean; readonly tieBreaker: bigint };
}

export type IncomingCheckResult =
  | { ok: true; check: IncomingCheck; pwd: string }
  /** RFC 8489 §9.1.3: 400 for a missing attribute, 401 for a bad username or integrity; 'drop' for a bad fingerprint. */
  | { ok: false; status: 400 | 401 | 'drop' };

/**
 * Authenticates a Binding request (RFC 8445 §7.3, RFC 8489 §9.1.3) against the passwords of the
 * local ufrags we answer to (the current one, and during an ICE restart the previous one).
 */
export function readCheckRequest(m: StunMessage, passwords: ReadonlyMap<string, string>): IncomingCheckResult {
  if (checkFingerprint(m) === 'invalid') return { ok: false, status: 'drop' };
  const usernameAttr = getAttribute(m, AttributeType.Username);
  const username = usernameAttr && decodeText(usernameAttr.value, TEXT_LIMIT.username);
  if (username === undefined || !getAttribute(m, AttributeType.MessageIntegrity)) return { ok: false, status: 400 };
  const colon = username.indexOf(':');
  const localUfrag = colon < 0 ? username : username.slice(0, colon);
  const pwd = passwords.get(localUfrag);
  if (colon < 0 || pwd === undefined) return { ok: false, status: 401 };
  if (checkMessageIntegrity(m, shortTermKey(pwd)) !== 'valid') return { ok: false, status: 401 };
  const priorityAttr = getAttribute(m, AttributeType.Priority);
  const priority = priorityAttr && decodePriority(priorityAttr.value);
  // §7.3: PRIORITY is mandatory in a check.
  if (priority === undefined || priority === 0) return { ok: false, status: 400 };
  const controlling = getAttribute(m, AttributeType.IceControlling);
  const controlled = getAttribute(m, AttributeType.IceControlled);
  const role = controlling ?? controlled;
  const tieBreaker = role && decodeTieBreaker(role.value);
  const check: IncomingCheck = {
    localUfrag,
    remoteUfrag: username.slice(colon + 1),
    priority,
    useCandidate: getAttribute(m, AttributeType.UseCandidate) !== undefined,
    ...(tieBreaker === undefined ? {} : { peerRole: { controlling: controlling !== undefined, tieBreaker } }),
  };
  return { ok: true, check, pwd };
}

/**
 * RFC 8445 §7.3.1.1: both agents claim the same role. The larger tie-breaker (ours wins ties)
 * becomes controlling: we answer 487 when we keep our role and the peer must change, or switch.
 */
export function resolveRoleConflict(
  controlling: boolean,
  tieBreaker: bigint,
  peerRole: IncomingCheck['peerRole'],
): 'none' | 'reply-487' | 'switch' {
  if (!peerRole || peerRole.controlling !== controlling) return 'none';
  const weWin = tieBreaker >= peerRole.tieBreaker;
  if (controlling) return weWin ? 'reply-487' : 'switch';
  return weWin ? 'switch' : 'reply-487';
}

/** §7.3.1.2: success with XOR-MAPPED-ADDRESS = the request's source, signed with our password. */
export function successResponse(transactionId: Uint8Array, source: TransportAddress, pwd: string): Uint8Array {
  return serializeSigned(
    {
      method: StunMethod.Binding,
      cls: 'success',
      transactionId,
      attributes: [{ type: AttributeType.XorMappedAddress, value: encodeXorMappedAddress(source, transactionId) }],
    },
    { integrity: shortTermKey(pwd), fingerprint: true },
  );
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthenticated', 487: 'Role Conflict' };

/** An error response; signed when the request was authenticated (487, §7.3.1.1), unsigned otherwise. */
export function errorResponse(transactionId: Uint8Array, code: 400 | 401 | 487, pwd?: string): Uint8Array {
  return serializeSigned(
    {
      method: StunMethod.Binding,
      cls: 'error',
      transactionId,
      attributes: [{ type: AttributeType.ErrorCode, value: encodeErrorCode({ code, reason: REASONS[code] }) }],
    },
    { integrity: pwd === undefined ? undefined : shortTermKey(pwd), fingerprint: true },
  );
}
