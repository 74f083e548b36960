// Typed errors of the SIP stack. Parsers return them instead of throwing: peer input never
// raises an exception out of a message handler (ARCHITECTURE.md "Bad input").

export type SipParseErrorCode =
  | 'too-large'
  | 'bad-start-line'
  | 'bad-version'
  | 'bad-header'
  | 'missing-header'
  | 'duplicate-header'
  | 'bad-cseq'
  | 'bad-via'
  | 'bad-uri'
  | 'unsupported-scheme'
  | 'bad-content-length'
  | 'truncated-body'
  | 'too-many-headers';

export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  constructor(
    readonly code: SipParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A request or transaction that failed with a SIP status (a real response or a local timeout, 408). */
export class SipStatusError extends Error {
  override readonly name = 'SipStatusError';
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`${status} ${reason}`);
  }
}
