// Sans-IO TURN client (RFC 8656): ChannelData framing, TCP stream framing, the client state machine.
export * from './channel-data';
export * from './tcp-framer';
export * from './retransmit';
export * from './client';
