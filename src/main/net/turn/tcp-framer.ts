// Splits the byte stream of a TURN-over-TCP connection into messages (RFC 8656 §12.5, RFC 8489
// §6.2.2): a STUN message is 20 bytes plus its length field, a ChannelData message 4 bytes plus
// its length field rounded up to 4. The first two bits tell which (00 STUN, 01 ChannelData); any
// other start means the stream is out of step and the connection must be dropped. The buffer
// never holds more than one incomplete message (at most 4 + 65535 + 3 bytes).
import { HEADER_LENGTH } from '../stun/message';
import { CHANNEL_DATA_HEADER_LENGTH, channelDataWireLength } from './channel-data';

export type TcpFramerError = 'not-turn' | 'bad-stun-length';

export type TcpFramerResult = { ok: true; messages: Uint8Array[] } | { ok: false; error: TcpFramerError };

export class TcpFramer {
  private pending = new Uint8Array(0);
  private failed: TcpFramerError | undefined;

  /** Bytes held back while waiting for the rest of a message. */
  get buffered(): number {
    return this.pending.length;
  }

  /**
   * Appends a chunk read from the socket and returns every message now complete (each a fresh
   * copy). After an error the stream cannot be resynchronised: every later push fails the same way.
   */
  push(chunk: Uint8Array): TcpFramerResult {
    if (this.failed) return { ok: false, error: this.failed };
    let buf: Uint8Array;
    if (this.pending.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.pending.length + chunk.length);
      buf.set(this.pending);
      buf.set(chunk, this.pending.length);
    }
    const messages: Uint8Array[] = [];
    let pos = 0;
    for (;;) {
      const size = frameSize(buf, pos);
      if (typeof size === 'string') {
        this.failed = size;
        this.pending = new Uint8Array(0);
        return { ok: false, error: size };
      }
      if (size === undefined || pos + size > buf.length) break;
      messages.push(buf.slice(pos, pos + size));
      pos += size;
    }
    this.pending = buf.slice(pos);
    return { ok: true, messages };
  }
}

/** Size of the message starting at `pos`, undefined while its header is incomplete. */
function frameSize(buf: Uint8Array, pos: number): number | undefined | TcpFramerError {
  if (pos >= buf.length) return undefined;
  const top = buf[pos] >> 6;
  if (top === 0) {
    if (buf.length - pos < 4) return undefined;
    const length = (buf[pos + 2] << 8) | buf[pos + 3];
    // RFC 8489 §5: the length of a STUN message is a multiple of 4.
    if (length % 4 !== 0) return 'bad-stun-length';
    return HEADER_LENGTH + length;
  }
  if (top === 1) {
    if (buf.length - pos < CHANNEL_DATA_HEADER_LENGTH) return undefined;
    // Reserved channel ranges 0x5000..0x7FFF are framed the same way; the parser rejects them.
    return channelDataWireLength((buf[pos + 2] << 8) | buf[pos + 3], 'tcp');
  }
  return 'not-turn';
}
