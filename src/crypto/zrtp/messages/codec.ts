// Shared message framing (RFC 6189 §5.1.1): preamble 0x505a, length in 32-bit words including
// the preamble word, then the 8-character message type block.
import { ascii, asciiString } from '../bytes';

export const MESSAGE_TYPES = [
  'Hello   ', 'HelloACK', 'Commit  ', 'DHPart1 ', 'DHPart2 ', 'Confirm1', 'Confirm2', 'Conf2ACK',
  'Error   ', 'ErrorACK', 'GoClear ', 'ClearACK', 'SASrelay', 'RelayACK', 'Ping    ', 'PingACK ',
] as const;
export type MessageTypeBlock = (typeof MESSAGE_TYPES)[number];

export const MESSAGE_HEADER_LENGTH = 12;

/** Writes preamble, length and type; `body` follows. Lengths are multiples of 4 by construction. */
export function frame(type: MessageTypeBlock, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(MESSAGE_HEADER_LENGTH + body.length);
  const words = out.length / 4;
  out[0] = 0x50;
  out[1] = 0x5a;
  out[2] = words >> 8;
  out[3] = words & 0xff;
  out.set(ascii(type), 4);
  out.set(body, MESSAGE_HEADER_LENGTH);
  return out;
}

export function messageType(message: Uint8Array): MessageTypeBlock | undefined {
  if (message.length < MESSAGE_HEADER_LENGTH) return undefined;
  const t = asciiString(message.subarray(4, 12));
  return (MESSAGE_TYPES as readonly string[]).includes(t) ? (t as MessageTypeBlock) : undefined;
}

/** Bounded reader: every read checks the remaining length, so malformed input cannot overrun. */
export class Reader {
  private offset = MESSAGE_HEADER_LENGTH;
  constructor(private readonly data: Uint8Array) {}
  get remaining(): number {
    return this.data.length - this.offset;
  }
  bytes(n: number): Uint8Array | undefined {
    if (n < 0 || this.offset + n > this.data.length) return undefined;
    const out = this.data.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  text(n: number): string | undefined {
    const b = this.bytes(n);
    return b && asciiString(b);
  }
}

export type DecodeResult<T> = { ok: true; message: T } | { ok: false; error: string };
export const fail = <T>(error: string): DecodeResult<T> => ({ ok: false, error });
