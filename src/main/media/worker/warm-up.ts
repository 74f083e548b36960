// Warms a fresh media worker before any call needs it: one ZRTP handshake between two engines in
// memory (X1M1, the post-quantum default) and a few SRTP packets through the same code paths a call uses.
// A cold thread needs ~100 ms more for its first handshake (JIT); the spare worker pays that
// ahead of need, so "call connected -> SAS ready" stays in the tens of milliseconds.

import { randomBytes } from 'node:crypto';
import { ZrtpEngine, MemoryZrtpCache, type ZrtpOutput, type ZrtpEvent } from '../../../crypto/zrtp';
import { SrtpSession, suiteForZrtp, type SrtpPrimitives } from '../../../crypto/srtp';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { nodeZrtpPrimitives } from '../zrtp-node';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

export function warmUp(primitives: SrtpPrimitives | undefined): number {
  const t0 = performance.now();
  const engine = (ssrc: number) => new ZrtpEngine({ zid: random(12), ssrc, random, cache: new MemoryZrtpCache(), primitives: nodeZrtpPrimitives });
  const a = engine(1);
  const b = engine(2);
  const queue: { to: ZrtpEngine; packet: Uint8Array }[] = [];
  let secure: Extract<ZrtpEvent, { type: 'secure' }> | undefined;
  const take = (from: ZrtpEngine, out: ZrtpOutput) => {
    for (const p of out.packets) queue.push({ to: from === a ? b : a, packet: p });
    for (const e of out.events) if (e.type === 'secure' && from === a) secure = e;
  };
  take(a, a.start(0));
  take(b, b.start(0));
  for (let i = 0; i < 64 && queue.length > 0; i++) {
    const { to, packet } = queue.shift()!;
    take(to, to.input(packet, 1));
  }
  if (secure) {
    const suite = suiteForZrtp(secure.cipher, secure.authTag);
    const tx = new SrtpSession({ suite, masterKey: secure.keys.local.masterKey, masterSalt: secure.keys.local.masterSalt, primitives });
    const rx = new SrtpSession({ suite, masterKey: secure.keys.local.masterKey, masterSalt: secure.keys.local.masterSalt, primitives });
    const p = PacketBuffer.alloc(1300);
    for (let seq = 0; seq < 32; seq++) {
      p.reset();
      p.setLength(172);
      p.bytes.fill(0, p.start, p.end);
      p.bytes[p.start] = 0x80;
      p.bytes[p.start + 3] = seq;
      tx.protectRtp(p);
      rx.unprotectRtp(p);
    }
    tx.dispose();
    rx.dispose();
  }
  return performance.now() - t0;
}
