// The IceAgent's public vocabulary: options, what it sends, the events it reports.
import { addressFamily } from './candidate';
import type { Candidate } from './candidate';
import type { CandidatePair } from './checklist';
import type { TransportAddress } from '../stun/index';

export type IceState = 'checking' | 'connected' | 'completed' | 'failed' | 'disconnected';

/** A snapshot of a pair for the caller: send media from `localBaseId` to `remoteAddress`. */
export interface IcePair {
  readonly component: number;
  readonly local: Candidate;
  readonly localBaseId: string;
  readonly remote: Candidate;
  readonly remoteAddress: TransportAddress;
  readonly priority: bigint;
  readonly nominated: boolean;
  /** Round-trip time of the last successful check on the pair (ms), when known. */
  readonly rttMs?: number;
}

export type IceEvent =
  /** A pair became valid; the first one is usable at once (ZRTP may start on it). */
  | { type: 'pair-succeeded'; pair: IcePair }
  /** Nomination done, or a higher-priority nominated pair replaced the selected one. */
  | { type: 'selected-pair'; pair: IcePair }
  | { type: 'state'; state: IceState }
  /** RFC 7675: no authenticated answer on the selected pair for 30 s; stop sending on it. */
  | { type: 'consent-lost'; pair: IcePair };

export interface IceTransmit {
  readonly bytes: Uint8Array;
  readonly fromBaseId: string;
  readonly to: TransportAddress;
}

export interface IceAgentOptions {
  readonly controlling: boolean;
  readonly localUfrag: string;
  readonly localPwd: string;
  /** RFC 8445 §16.1: a 64-bit random number, fixed for the session. */
  readonly tieBreaker: bigint;
  readonly now: number;
  /** Pacing between new checks (RFC 8445 §14.2); default 50 ms. */
  readonly taMs?: number;
  /** Requests per check transaction (RFC 8489 Rc); default 7. */
  readonly checkRc?: number;
  /** Wait after a check's last request, as a multiple of its RTO (RFC 8489 Rm); default 16. */
  readonly checkRm?: number;
  readonly consentIntervalMs?: number;
  readonly consentTimeoutMs?: number;
  /** Transaction ids; default node:crypto randomBytes. */
  readonly randomBytes?: (n: number) => Uint8Array;
  /** A number in [0, 1) for the consent jitter; default derived from randomBytes. */
  readonly random?: () => number;
}

/** The caller's copy of a pair (the agent's own pairs keep changing). */
export function snapshot(p: CandidatePair): IcePair {
  return {
    component: p.local.component,
    local: p.local,
    localBaseId: p.localBaseId,
    remote: p.remote,
    remoteAddress: { family: addressFamily(p.remote.address) ?? 'IPv4', address: p.remote.address, port: p.remote.port },
    priority: p.priority,
    nominated: p.nominated,
    rttMs: p.rttMs,
  };
}
