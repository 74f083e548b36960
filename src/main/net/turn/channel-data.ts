// TURN ChannelData framing (RFC 8656 §12.4): a 4-byte header (channel number, length) before the
// application data, instead of a 36-byte Send/Data indication. Channel numbers 0x4000..0x4FFF put
// the first byte in 64..79, which is how RFC 7983 §7 tells ChannelData from STUN, RTP and DTLS on
// one socket. Parsing never throws: these bytes come from the network.
import { CHANNEL_MAX, CHANNEL_MIN } from '../stun/attributes';

export const CHANNEL_DATA_HEADER_LENGTH = 4;
/** The length field is 16 bits (§12.4). */
export const CHANNEL_DATA_MAX_PAYLOAD = 0xffff;

export type ChannelDataTransport = 'udp' | 'tcp';

export interface ChannelData {
  readonly channel: number;
  /** A view into the parsed bytes (no copy). */
  readonly data: Uint8Array;
}

export type ChannelDataParseError = 'too-short' | 'not-channel-data' | 'truncated';

export type ChannelDataParseResult = { ok: true; message: ChannelData } | { ok: false; error: ChannelDataParseError };

/** First two bytes name a channel in 0x4000..0x4FFF (the reserved 0x5000..0x7FFF are not channels). */
export function looksLikeChannelData(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] >= 0x40 && bytes[0] <= 0x4f;
}

/** Bytes the message takes on a stream: over TCP it is padded to a multiple of 4 (§12.5). */
export function channelDataWireLength(payloadLength: number, transport: ChannelDataTransport): number {
  const length = CHANNEL_DATA_HEADER_LENGTH + payloadLength;
  return transport === 'tcp' ? (length + 3) & ~3 : length;
}

export function encodeChannelData(channel: number, data: Uint8Array, transport: ChannelDataTransport): Uint8Array {
  if (!Number.isInteger(channel) || channel < CHANNEL_MIN || channel > CHANNEL_MAX) throw new RangeError(`bad TURN channel ${channel}`);
  if (data.length > CHANNEL_DATA_MAX_PAYLOAD) throw new RangeError('ChannelData payload longer than 65535 bytes');
  // Padding bytes are zero; the receiver ignores them (§12.5).
  const out = new Uint8Array(channelDataWireLength(data.length, transport));
  out[0] = channel >> 8;
  out[1] = channel & 0xff;
  out[2] = data.length >> 8;
  out[3] = data.length & 0xff;
  out.set(data, CHANNEL_DATA_HEADER_LENGTH);
  return out;
}

/**
 * Parses one ChannelData message. Bytes after the claimed length are padding and are ignored
 * (§12.5 allows it over UDP and requires it over TCP); a message shorter than its length field
 * claims is discarded (§12.5).
 */
export function parseChannelData(bytes: Uint8Array): ChannelDataParseResult {
  if (bytes.length < CHANNEL_DATA_HEADER_LENGTH) return { ok: false, error: 'too-short' };
  const channel = (bytes[0] << 8) | bytes[1];
  if (channel < CHANNEL_MIN || channel > CHANNEL_MAX) return { ok: false, error: 'not-channel-data' };
  const length = (bytes[2] << 8) | bytes[3];
  if (CHANNEL_DATA_HEADER_LENGTH + length > bytes.length) return { ok: false, error: 'truncated' };
  return { ok: true, message: { channel, data: bytes.subarray(CHANNEL_DATA_HEADER_LENGTH, CHANNEL_DATA_HEADER_LENGTH + length) } };
}
