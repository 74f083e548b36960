// Runs a ZrtpEngine on a real UDP socket (the RTP port) with the wall clock: what the media worker
// will do, minus SRTP. RTP/RTCP packets are told apart from ZRTP as RFC 7983 says and kept for the
// test to inspect.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { ZrtpEngine, looksLikeZrtp, portableZrtpPrimitives } from '../../../src/crypto/zrtp';
import type { ZrtpEngineOptions, ZrtpEvent, ZrtpOutput, ZrtpSecure } from '../../../src/crypto/zrtp';

export class ZrtpSocket {
  readonly events: ZrtpEvent[] = [];
  readonly media: Uint8Array[] = [];
  engine: ZrtpEngine | undefined;
  private remote: { address: string; port: number } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: (() => void)[] = [];
  private early: Uint8Array[] = [];

  private constructor(
    readonly socket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (buf) => this.onPacket(new Uint8Array(buf)));
  }

  static async open(): Promise<ZrtpSocket> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new ZrtpSocket(socket, socket.address().port);
  }

  /** Creates the engine now (its Hello hash goes into our SDP) without sending anything yet. */
  prepare(options: Omit<ZrtpEngineOptions, 'ssrc' | 'primitives'> & Partial<Pick<ZrtpEngineOptions, 'ssrc' | 'primitives'>>): ZrtpEngine {
    this.engine = new ZrtpEngine({ ssrc: 0x7654321, primitives: portableZrtpPrimitives, ...options });
    return this.engine;
  }

  /** Starts ZRTP towards the peer's RTP address (from its SDP). */
  start(remote: { address: string; port: number }, peerHelloHash?: string): void {
    this.remote = remote;
    const engine = this.engine as ZrtpEngine;
    if (peerHelloHash) this.apply(engine.setPeerHelloHash(peerHelloHash));
    this.apply(engine.start(Date.now()));
    for (const p of this.early.splice(0)) this.onPacket(p);
  }

  send(packet: Uint8Array): void {
    if (this.remote) this.socket.send(packet, this.remote.port, this.remote.address);
  }

  private onPacket(p: Uint8Array): void {
    if (!looksLikeZrtp(p)) {
      this.media.push(p);
      return;
    }
    if (!this.engine || !this.remote) {
      // The peer may start before our answer is in; keep a bounded few (its Hello repeats anyway).
      if (this.early.length < 64) this.early.push(p);
      return;
    }
    this.apply(this.engine.input(p, Date.now()));
  }

  private apply(out: ZrtpOutput): void {
    for (const p of out.packets) this.send(p);
    this.events.push(...out.events);
    if (out.events.length) for (const w of this.waiters.splice(0)) w();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (out.nextDeadline !== undefined) {
      const engine = this.engine as ZrtpEngine;
      this.timer = setTimeout(() => this.apply(engine.tick(Date.now())), Math.max(0, out.nextDeadline - Date.now()));
    }
  }

  /** Resolves when the engine reports secure, rejects on error or timeout. */
  secure(timeoutMs: number): Promise<ZrtpSecure> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`ZRTP not secure after ${timeoutMs} ms: ${JSON.stringify(this.events.map((e) => e.type))}`)), timeoutMs);
      const check = () => {
        const s = this.events.find((e): e is ZrtpSecure => e.type === 'secure');
        const err = this.events.find((e) => e.type === 'error');
        if (s) {
          clearTimeout(deadline);
          resolve(s);
        } else if (err) {
          clearTimeout(deadline);
          reject(new Error(`ZRTP error: ${JSON.stringify(err)}`));
        } else this.waiters.push(check);
      };
      check();
    });
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.socket.close();
  }
}
