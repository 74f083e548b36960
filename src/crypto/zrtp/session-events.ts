// What the engine reports to its driver (the media worker), and what each call returns.
import type { AuthTagName, CipherName, HashName, KeyAgreementName, SasTypeName } from './algorithms';
import type { SrtpMasterKey } from './kdf';

export type ZrtpRole = 'initiator' | 'responder';

export interface ZrtpSecure {
  readonly type: 'secure';
  readonly role: ZrtpRole;
  /** SRTP master key and salt for what we send (local) and what we receive (remote). */
  readonly keys: { readonly local: SrtpMasterKey; readonly remote: SrtpMasterKey };
  readonly cipher: CipherName;
  readonly authTag: AuthTagName;
  readonly hash: HashName;
  readonly keyAgreement: KeyAgreementName;
  readonly sasType: SasTypeName;
  /** The SAS (also sent with sasReady); for a multistream session, the first stream's. */
  readonly sas: string;
  readonly peerZid: Uint8Array;
  /** SAS verified before on both sides (our cache flag and the peer's V flag, §4.9). */
  readonly verified: boolean;
  readonly cacheMismatch: boolean;
  readonly multistream: boolean;
  /** The a=zrtp-hash from signalling matched the peer's Hello (undefined: none was given). */
  readonly helloHashMatched: boolean | undefined;
}

export type ZrtpEvent =
  | { readonly type: 'peerZid'; readonly peerZid: Uint8Array; readonly clientId: string }
  | { readonly type: 'helloHashMismatch'; readonly expected: string; readonly received: string }
  | { readonly type: 'sasReady'; readonly sas: string; readonly sasType: SasTypeName; readonly verified: boolean }
  | ZrtpSecure
  | { readonly type: 'cacheMismatch'; readonly peerZid: Uint8Array }
  /** A message that parsed but failed a check (MAC, hash image, hvi, state): dropped, no state change. */
  | { readonly type: 'rejected'; readonly message: string; readonly reason: string }
  /** The session failed: `sentByPeer` tells whether the peer's Error or our own check ended it (§5.9 codes). */
  | { readonly type: 'error'; readonly code: number; readonly sentByPeer: boolean; readonly reason: string };

export interface ZrtpOutput {
  readonly packets: Uint8Array[];
  readonly events: ZrtpEvent[];
  readonly nextDeadline?: number;
}
