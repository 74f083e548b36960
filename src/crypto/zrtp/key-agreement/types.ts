// One interface for every DH-mode key agreement (RFC 6189 §5.1.5).

export interface KeyPair {
  readonly secret: Uint8Array;
  /** pvi/pvr exactly as it goes into the DHPart message. */
  readonly publicValue: Uint8Array;
}

export interface KeyAgreement {
  readonly name: 'X255' | 'EC25' | 'EC38' | 'DH3k' | 'DH2k';
  readonly publicValueLength: number;
  generate(random: (n: number) => Uint8Array): KeyPair;
  /** DHResult for s0 (§4.4.1.4), or undefined when the peer's value is invalid (Error 0x61). */
  agree(secret: Uint8Array, peerPublicValue: Uint8Array): Uint8Array | undefined;
}
