// Long-term credentials for the TURN client (RFC 8656 §9.2 → RFC 8489 §9.2): the first request
// goes without them; the 401 that answers it names the REALM and a NONCE, and every later request
// carries USERNAME, REALM, NONCE and MESSAGE-INTEGRITY under MD5(username:realm:password).
// A 438 (Stale Nonce) brings a fresh NONCE (and possibly REALM) to retry with (§9.2.5).
import { AttributeType, getAttribute } from '../stun/message';
import type { StunMessage } from '../stun/message';
import { TEXT_LIMIT, decodeText } from '../stun/attributes';
import { longTermKey } from '../stun/integrity';

export interface Credentials {
  readonly realm: string;
  readonly nonce: string;
  readonly key: Uint8Array;
}

/**
 * The credentials a 401 or 438 answer teaches: its NONCE, its REALM or else the one already
 * known. Undefined when the answer lacks what is needed (then the request has simply failed).
 */
export function learnCredentials(
  answer: StunMessage,
  known: Credentials | undefined,
  username: string,
  password: string,
): Credentials | undefined {
  const nonce = text(answer, AttributeType.Nonce, TEXT_LIMIT.nonce);
  const realm = text(answer, AttributeType.Realm, TEXT_LIMIT.realm) ?? known?.realm;
  if (nonce === undefined || realm === undefined) return undefined;
  const key = known && known.realm === realm ? known.key : longTermKey(username, realm, password);
  return { realm, nonce, key };
}

function text(m: StunMessage, type: number, limit: number): string | undefined {
  const a = getAttribute(m, type);
  return a && decodeText(a.value, limit);
}
