// Cuts a TCP/TLS byte stream into SIP messages by Content-Length (RFC 3261 §18.3). CRLF
// keep-alives between messages (RFC 5626 §3.5.1) are skipped and reported so a pong can be sent.
import { SipParseError } from './errors';
import { DEFAULT_LIMITS, findHeaderEnd, parseMessage } from './parser';
import type { ParseLimits, ParseResult } from './parser';

export type FramerOutput = ParseResult | { ok: 'ping' } | { ok: 'fatal'; error: SipParseError };

export class SipStreamFramer {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly limits: ParseLimits = DEFAULT_LIMITS) {}

  /** Bytes of a message begun but not complete (keep-alive CRLFs aside). */
  get buffered(): number {
    let i = 0;
    while (i < this.buf.length && (this.buf[i] === 0x0d || this.buf[i] === 0x0a)) i++;
    return this.buf.length - i;
  }

  /**
   * Appends bytes and returns every complete message. A 'fatal' result means the stream cannot
   * be resynchronised (oversized or unframeable): the caller closes the connection.
   */
  push(chunk: Buffer): FramerOutput[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: FramerOutput[] = [];
    while (this.buf.length > 0) {
      let i = 0;
      while (i < this.buf.length && (this.buf[i] === 0x0d || this.buf[i] === 0x0a)) i++;
      if (i > 0) {
        const ping = i >= 4 && this.buf.subarray(0, 4).toString('latin1') === '\r\n\r\n';
        if (!ping && i === this.buf.length) break;
        if (ping) out.push({ ok: 'ping' });
        this.buf = this.buf.subarray(ping ? 4 : i);
        continue;
      }
      const he = findHeaderEnd(this.buf);
      if (!he) {
        if (this.buf.length > this.limits.maxMessageBytes) return this.fatal(out, 'header section too large');
        break;
      }
      const head = this.buf.toString('latin1', 0, he.end);
      // §18.3: the stream is framed by Content-Length (leading zeros are valid, §25.1). Two that
      // disagree leave no frame to trust: the request gets its 400 (§7.3.1), then the close.
      const lengths = new Set<number>();
      for (const m of head.matchAll(/(?:^|\n)(?:content-length|l)[ \t]*:[ \t]*(\S*)/gi)) {
        const digits = /^0*(\d{1,10})$/.exec(m[1]);
        if (!digits) return this.fatal(out, 'bad Content-Length on a stream');
        lengths.add(Number(digits[1]));
      }
      if (lengths.size > 1) {
        const refused = parseMessage(this.buf.subarray(0, he.end + he.sep), this.limits);
        if (!refused.ok && refused.partial) out.push(refused);
        return this.fatal(out, 'conflicting Content-Length on a stream');
      }
      const cl = lengths.size === 1 ? [...lengths][0] : 0;
      const total = he.end + he.sep + cl;
      if (total > this.limits.maxMessageBytes) {
        // The head alone says who asked: a request gets its 413 (§21.4.11) before the close.
        const head = parseMessage(this.buf.subarray(0, he.end + he.sep), this.limits);
        if (!head.ok && head.partial) out.push({ ok: false, error: new SipParseError('too-large', 'message too large'), partial: head.partial });
        return this.fatal(out, 'message too large');
      }
      if (this.buf.length < total) break;
      out.push(parseMessage(this.buf.subarray(0, total), this.limits));
      this.buf = this.buf.subarray(total);
    }
    return out;
  }

  private fatal(out: FramerOutput[], reason: string): FramerOutput[] {
    this.buf = Buffer.alloc(0);
    out.push({ ok: 'fatal', error: new SipParseError('too-large', reason) });
    return out;
  }
}
