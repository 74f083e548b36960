// Issue 16: a front end's frame whose header names a codec other than the stream's negotiated one
// is dropped in main (CallManager -> Call -> FrameCodecGate) and counted in the stream's stats
// (dropped['codec-mismatch']); a frame of the negotiated codec is not counted.
import { describe, it, expect, afterEach } from 'vitest';
import { VouchPeers } from '../../../test/interop/vouch-peer';
import { callWhere, securityWhere } from '../../../test/interop/vouch-events';
import type { Codec, MediaFrame } from '../../shared/api';

const peers = new VouchPeers();
afterEach(() => peers.closeAll());

const frame = (callId: number, codec: Codec, timestamp: number): MediaFrame => ({
  header: { callId, stream: 'audio', codec, timestamp, keyframe: false },
  payload: new Uint8Array(160).fill(0xff),
});

describe('frames of the wrong codec never reach the worker', () => {
  it('Opus frames on a PCMU call are dropped and counted; PCMU frames are not', async () => {
    const alice = await peers.start({ autoAnswer: false });
    const bob = await peers.start({ autoAnswer: true });
    const { callId } = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bob.sipPort}` });
    await alice.until(securityWhere((s) => s.callId === callId && s.state === 'secure'), 15_000);
    const call = await alice.until(callWhere((c) => c.callId === callId && c.codecs?.audio !== undefined));
    expect(call.codecs?.audio).toBe('pcmu');
    const from = alice.events.length;
    for (let i = 0; i < 3; i++) alice.core.acceptMediaFrame(frame(callId, 'opus', i * 960));
    alice.core.acceptMediaFrame(frame(callId, 'pcmu', 0));
    const dropped = await alice.until(
      (e) => (e.type === 'stats' && e.stats.callId === callId ? e.stats.streams.find((s) => s.stream === 'audio')?.dropped['codec-mismatch'] : undefined),
      5000,
      from,
    );
    expect(dropped).toBe(3);
    await alice.core.invoke('hangup', { callId });
  }, 30_000);
});
