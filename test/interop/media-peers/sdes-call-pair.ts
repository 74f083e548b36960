// The two ends of one SDES test call: a baresip keyed by SDES (see sdes-baresip.ts) and a Vouch
// under a given media security policy, started per test and closed together in afterEach.
import { rmSync } from 'node:fs';
import type { MediaSecurityPolicy } from '../../../src/shared/api';
import { startVouch, type VouchPeer } from '../vouch-peer';
import { startSdesBaresip, type SdesBaresip } from './sdes-baresip';

export interface SdesCallPair {
  /** Starts both; the side that does not place the call auto-answers. */
  start(vouchAnswers: boolean, mediaenc: 'srtp' | 'srtp-mand'): Promise<[SdesBaresip, VouchPeer]>;
  /** Closes Vouch, stops baresip and removes its folder (for afterEach). */
  close(): Promise<void>;
}

export function sdesCallPair(o: { bin: string; mediaSecurity: MediaSecurityPolicy; baresipHz: number; vouchHz?: number }): SdesCallPair {
  let peer: SdesBaresip | undefined;
  let vouch: VouchPeer | undefined;
  return {
    async start(vouchAnswers, mediaenc) {
      peer = await startSdesBaresip({ bin: o.bin, autoAnswer: !vouchAnswers, mediaenc, toneHz: o.baresipHz });
      vouch = await startVouch({ mediaSecurity: o.mediaSecurity, autoAnswer: vouchAnswers, toneHz: o.vouchHz });
      return [peer, vouch];
    },
    async close() {
      await vouch?.close();
      await peer?.baresip.stop();
      if (peer) rmSync(peer.dir, { recursive: true, force: true });
      peer = vouch = undefined;
    },
  };
}
