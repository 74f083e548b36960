// What the transaction layer sees of a transport (RFC 3261 §18): send bytes to an address,
// receive parsed messages with their source. Streams are framed inside the transport.
import type { ParseResult } from './parser';

export type TransportProtocol = 'UDP' | 'TCP' | 'TLS';

export interface TransportAddress {
  protocol: TransportProtocol;
  /** Bare host (no IPv6 brackets). */
  host: string;
  port: number;
  /**
   * The name a TLS server's certificate must carry when `host` is an address DNS gave for it:
   * the domain of the URI that was resolved (RFC 5922 §4), never the SRV target.
   */
  serverName?: string;
}

export type InboundHandler = (result: ParseResult, source: TransportAddress) => void;

export interface SipTransport {
  readonly protocol: TransportProtocol;
  /** Where it listens (its Via sent-by and Contact address). */
  readonly local: { host: string; port: number };
  /**
   * Stream transports reuse an open connection to that address (§18.1.1, §18.2.2). `onError`
   * hears of a failure to send (connection refused, TLS certificate rejected...): §8.1.3.1 makes
   * that a 503 for the transaction.
   */
  send(data: Buffer, host: string, port: number, onError?: (err: Error) => void, serverName?: string): void;
  /** Stream transports: a CRLF keep-alive ping (RFC 5626 §3.5.1) on the open connection; false without one. */
  ping?(host: string, port: number): boolean;
  /** Messages that could not be parsed or framed and got no answer. */
  readonly dropped: number;
  close(): Promise<void>;
}

export function isReliable(protocol: TransportProtocol): boolean {
  return protocol !== 'UDP';
}
