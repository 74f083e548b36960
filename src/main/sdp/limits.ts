// Bounds on hostile SDP (ARCHITECTURE.md "Bad input"). A SIP body over UDP is at most ~64 KiB;
// real offers (Linphone, baresip) stay under 2 KiB, so these leave ample room.

export const MAX_SDP_LENGTH = 65_536;
export const MAX_LINE_LENGTH = 4_096;
export const MAX_LINES = 2_048;
export const MAX_MEDIA_DESCRIPTIONS = 16;
export const MAX_ATTRIBUTES_PER_SECTION = 256;
/** RTP payload types are 7 bits (RFC 3550 §5.1), so 128 distinct formats at most. */
export const MAX_FORMATS_PER_MEDIA = 128;
/** RFC 4568 §9.1: key-params and session-params per a=crypto line. */
export const MAX_CRYPTO_KEY_PARAMS = 16;
export const MAX_CRYPTO_SESSION_PARAMS = 16;
