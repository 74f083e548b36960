// The TCP connection of one TURN allocation made over TCP (RFC 8656 §3.1: client to server over
// TCP, relayed over UDP — for networks that let no UDP out). The byte stream is cut into STUN and
// ChannelData messages by TcpFramer (§12.5) and each goes to the TurnClient; what the client
// queues is written back. The allocation lives as long as the connection (§5: a TCP allocation is
// deleted when its connection closes), so closing the link releases it too.

import { connect, type Socket } from 'node:net';
import { TcpFramer } from '../../net/turn';
import type { TransportAddress } from '../../net/stun';

export type TurnTcpLinkEnd =
  /** The connection could not be made (refused, no route) or broke: the reason in words. */
  | { kind: 'error'; message: string }
  /** The server closed the connection, or the stream went out of step (not TURN framing). */
  | { kind: 'closed'; message: string };

export class TurnTcpLink {
  private readonly socket: Socket;
  private readonly framer = new TcpFramer();
  private ended = false;

  constructor(
    server: TransportAddress,
    private readonly onMessage: (bytes: Uint8Array) => void,
    private readonly onEnd: (end: TurnTcpLinkEnd) => void,
  ) {
    this.socket = connect({ host: server.address, port: server.port, family: server.family === 'IPv6' ? 6 : 4 });
    // Small requests and media packets go out at once, not held back by Nagle's algorithm.
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', (e) => this.finish({ kind: 'error', message: e.message }));
    this.socket.on('close', () => this.finish({ kind: 'closed', message: 'the TURN server closed the connection' }));
  }

  /** Queues bytes for the server; node:net holds them until the connection is up. */
  write(bytes: Uint8Array): void {
    if (!this.ended) this.socket.write(bytes);
  }

  /** Flushes what is queued, then closes (the server deletes the allocation with the connection). */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.socket.end();
    // A server that never closes its side must not keep the worker's handle alive.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  private receive(chunk: Buffer): void {
    if (this.ended) return;
    const r = this.framer.push(chunk);
    if (!r.ok) {
      this.finish({ kind: 'closed', message: `the TURN server's stream is not TURN (${r.error})` });
      this.socket.destroy();
      return;
    }
    for (const m of r.messages) this.onMessage(m);
  }

  private finish(end: TurnTcpLinkEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(end);
  }
}
