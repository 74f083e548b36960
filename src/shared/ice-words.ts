// ICE in a person's words: which way a call's media goes (RFC 8445 §5.1.1 candidate types), and
// why ICE could not find one. The renderer, the CLI and AppCore's error events say the same.
import type { IceFailure, IcePathKind } from './api';

const PATH_WORDS: Record<IcePathKind, string> = {
  host: 'Direct',
  // Server-reflexive (learned from STUN) and peer-reflexive (learned from a check) both mean the
  // media goes through a router's public address, punched open by the checks.
  srflx: "Through your router's public address",
  prflx: "Through your router's public address",
  relay: 'Through a relay (TURN)',
};

export function describePath(kind: IcePathKind): string {
  return PATH_WORDS[kind];
}

const FAILURE_WORDS: Record<IceFailure, string> = {
  'turn-auth': 'the TURN server refused the user name or password',
  'turn-unreachable': 'the TURN server did not answer',
  'no-path': 'no network path to the other phone: both sides are behind routers that need a relay and no TURN server is set',
};

export function describeIceFailure(reason: IceFailure): string {
  return FAILURE_WORDS[reason];
}
