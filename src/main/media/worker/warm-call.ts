// Opens and closes a throwaway call's audio stream in a fresh media worker, on 127.0.0.1 with ICE
// host candidates, before any call needs the worker: the first real call's "open the audio
// stream" (socket bind, RtpStream, ICE gatherer, ZRTP engine and its Hello hash, the messages to
// main) then runs compiled code instead of paying V8's lazy compilation between INVITE and 200
// (issue 23: a fresh process answers in ≤ 2 ms). What it posts goes nowhere.

import type { SrtpPrimitives } from '../../../crypto/srtp';
import { CallMedia } from './call-media';

export async function warmCallMedia(primitives: SrtpPrimitives | undefined): Promise<number> {
  const t0 = performance.now();
  const media = new CallMedia(() => undefined, primitives);
  await media.handle({ type: 'init', callId: 0, zid: '000000000000000000000000', cache: {}, preferences: { keyAgreements: ['X1M1', 'X255'], sasTypes: ['B32'] }, role: 'callee', host: '127.0.0.1' });
  await media.handle({ type: 'openStream', stream: 'audio', rtcpMux: true, ice: { servers: { stun: [], turn: [] }, controlling: false, gatherTimeoutMs: 50, hosts: [] } });
  await media.handle({ type: 'hangup' });
  return performance.now() - t0;
}
