// One socket carries STUN, ZRTP, DTLS, TURN ChannelData, RTP and RTCP: RFC 7983 §7 tells them apart by the first
// byte, RFC 5761 §4 tells RTCP from RTP by the second. Nothing here allocates: the worker calls it
// for every datagram.

export type PacketKind = 'stun' | 'zrtp' | 'dtls' | 'turn-channel' | 'rtp' | 'rtcp' | 'drop';

/** Why a datagram was dropped (counted per reason). */
export type DemuxDropReason = 'dtls' | 'short' | 'unknown';

/** STUN message header (RFC 5389 §6). */
const STUN_HEADER_LENGTH = 20;
/** ZRTP packet: 12-byte header, a 12-byte message preamble and the CRC (RFC 6189 §5). */
const ZRTP_MIN_LENGTH = 28;
/** "ZRTP" (RFC 6189 §5). */
const ZRTP_MAGIC_COOKIE = 0x5a525450;
const RTP_MIN_LENGTH = 12;
/** ChannelData header: channel number and length (RFC 8656 §12.4). */
const CHANNEL_DATA_HEADER_LENGTH = 4;
/** RTCP header plus the sender SSRC (RFC 3550 §6.4.2, an RR with no blocks). */
const RTCP_MIN_LENGTH = 8;

/**
 * Classifies the datagram `bytes[start, end)`. ZRTP (first byte 16-19, RFC 7983 §7; 0x10 is what
 * RFC 6189 §5 sends, 0x11 a bzrtp fragment) also needs its magic cookie at offset 4: the range
 * alone proves nothing.
 */
export function classifyPacket(bytes: Uint8Array, start: number, end: number): PacketKind {
  const length = end - start;
  if (length < 1) return 'drop';
  const b0 = bytes[start];
  if (b0 <= 3) return length >= STUN_HEADER_LENGTH ? 'stun' : 'drop';
  if (b0 >= 16 && b0 <= 19) {
    if (length < ZRTP_MIN_LENGTH) return 'drop';
    const cookie =
      ((bytes[start + 4] << 24) | (bytes[start + 5] << 16) | (bytes[start + 6] << 8) | bytes[start + 7]) >>> 0;
    return cookie === ZRTP_MAGIC_COOKIE ? 'zrtp' : 'drop';
  }
  if (b0 >= 20 && b0 <= 63) return 'dtls';
  // RFC 7983 §7: 64-79 is TURN ChannelData (channels 0x4000-0x4FFF, RFC 8656 §12), relayed data
  // from a TURN server that the TURN client unwraps.
  if (b0 >= 64 && b0 <= 79) return length >= CHANNEL_DATA_HEADER_LENGTH ? 'turn-channel' : 'drop';
  if (b0 >= 128 && b0 <= 191) {
    if (length < 2) return 'drop';
    const pt = bytes[start + 1];
    // RFC 5761 §4: RTCP packet types 192-223 overlap RTP payload types 64-95 with the marker set.
    if (pt >= 192 && pt <= 223) return length >= RTCP_MIN_LENGTH ? 'rtcp' : 'drop';
    return length >= RTP_MIN_LENGTH ? 'rtp' : 'drop';
  }
  return 'drop';
}

/** Counters of one socket's demultiplexer: what arrived, what was dropped and why. */
export interface DemuxCounters {
  stun: number;
  zrtp: number;
  rtp: number;
  rtcp: number;
  /** DTLS is not spoken here (ZRTP keys the media): counted, then dropped. */
  dtls: number;
  /** TURN ChannelData (first byte 64-79). */
  turnChannel: number;
  /** Too short for the protocol its first byte names. */
  short: number;
  /** First byte in no range we accept (QUIC, garbage, a bad ZRTP cookie). */
  unknown: number;
}

export function createDemuxCounters(): DemuxCounters {
  return { stun: 0, zrtp: 0, rtp: 0, rtcp: 0, dtls: 0, turnChannel: 0, short: 0, unknown: 0 };
}

/**
 * Classifies and counts. Returns the kind to hand on; `dtls` and `drop` are already counted and
 * must not be processed further.
 */
export function demuxPacket(
  bytes: Uint8Array,
  start: number,
  end: number,
  counters: DemuxCounters,
): PacketKind {
  const kind = classifyPacket(bytes, start, end);
  switch (kind) {
    case 'stun':
    case 'zrtp':
    case 'rtp':
    case 'rtcp':
    case 'dtls':
      counters[kind]++;
      return kind;
    case 'turn-channel':
      counters.turnChannel++;
      return kind;
    case 'drop':
      counters[dropReason(bytes, start, end)]++;
      return kind;
  }
}

function dropReason(bytes: Uint8Array, start: number, end: number): 'short' | 'unknown' {
  if (end - start < 1) return 'short';
  const b0 = bytes[start];
  if (b0 <= 3 || (b0 >= 64 && b0 <= 79) || (b0 >= 128 && b0 <= 191)) return 'short';
  if (b0 >= 16 && b0 <= 19 && end - start < ZRTP_MIN_LENGTH) return 'short';
  return 'unknown';
}
