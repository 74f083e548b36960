// Sans-IO STUN (RFC 8489): message codec, integrity and fingerprint, the Binding client transaction.
export * from './message';
export * from './attributes';
export * from './integrity';
export * from './binding';
