// The primitives ZRTP's key agreements and Confirm cipher run on (RFC 6189 §5.1.5, §5.7). The
// portable implementation (portable.ts, pure TypeScript over @noble) is the reference with the
// RFC vectors; the media worker injects a node:crypto one (src/main/media/zrtp-node) behind the
// same interface, so noble's AES and curve modules are never loaded in its thread (issue 23:
// each costs megabytes of resident memory in an idle worker).

/** One Diffie-Hellman group as ZRTP encodes it. */
export interface DhCurve {
  /**
   * The public value of `secret`: RFC 7748's u-coordinate for X25519/X448; x || y (SEC 1
   * uncompressed without its 0x04) for P-256/P-384, whose `secret` is a scalar in [1, n-1].
   */
  publicKey(secret: Uint8Array): Uint8Array;
  /**
   * DHResult: RFC 7748's output for X25519/X448, the shared point's x for P-256/P-384; undefined
   * when the peer's value is not a point of the group or (X25519/X448) the output is all zero.
   */
  sharedSecret(secret: Uint8Array, peerPublicValue: Uint8Array): Uint8Array | undefined;
}

export interface ZrtpPrimitives {
  /** Implementation name for logs and benchmarks. */
  readonly name: string;
  readonly x25519: DhCurve;
  readonly x448: DhCurve;
  readonly p256: DhCurve;
  readonly p384: DhCurve;
  /** AES in 128-bit CFB mode (RFC 6189 §5.7: Confirm's encrypted part), 16- or 32-byte key. */
  aesCfb(key: Uint8Array, iv: Uint8Array, data: Uint8Array, direction: 'encrypt' | 'decrypt'): Uint8Array;
}
