// Typed errors: SDP parsing and offer/answer return these instead of throwing.

export type SdpErrorCode =
  | 'too-large'
  | 'too-many-lines'
  | 'line-too-long'
  | 'bad-character'
  | 'bad-line'
  | 'missing-version'
  | 'bad-version'
  | 'missing-origin'
  | 'bad-origin'
  | 'missing-session-name'
  | 'duplicate-field'
  | 'bad-connection'
  | 'missing-connection'
  | 'bad-bandwidth'
  | 'bad-timing'
  | 'missing-timing'
  | 'bad-media'
  | 'too-many-media'
  | 'bad-attribute'
  | 'too-many-attributes';

export interface SdpError {
  readonly code: SdpErrorCode;
  /** 1-based line number, 0 when the error concerns the whole description. */
  readonly line: number;
  readonly message: string;
}

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

export function sdpError(code: SdpErrorCode, line: number, message: string): SdpError {
  return { code, line, message };
}
