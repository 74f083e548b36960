import { describe, it, expect } from 'vitest';
import { shownVideo, videoKeyed } from './video-state';
import { streamFlowing } from './stats';
import { callInfo, callStats, securityInfo, streamStats } from './fixtures';

const videoOn = callInfo({ video: { local: 'on', remote: 'on', declinedByPeer: false } });
const keyed = securityInfo({ state: 'secure', perStream: { audio: { state: 'secure', multistream: false }, video: { state: 'secure', multistream: true } } });
const keying = securityInfo({ state: 'secure', perStream: { audio: { state: 'secure', multistream: false }, video: { state: 'securing', multistream: true } } });
const flowing = [callStats(1000, [streamStats(), streamStats({ stream: 'video', codec: 'vp8', recvBitrate: 300_000 })])];
const silent = [callStats(1000, [streamStats(), streamStats({ stream: 'video', codec: 'vp8', recvBitrate: 0, packetsReceived: 0 })])];

describe('shownVideo: video is "on" only once keyed and flowing (issue 21)', () => {
  it('negotiated, keyed and frames arriving: on/on', () => {
    expect(shownVideo(videoOn, keyed, flowing)).toEqual({ local: 'on', remote: 'on' });
  });

  it('hung up during the multistream exchange: never on/on', () => {
    expect(shownVideo(videoOn, keying, flowing)).toEqual({ local: 'adding', remote: 'connecting' });
    expect(shownVideo({ ...videoOn, state: 'ended' }, keyed, flowing)).toEqual({ local: 'off', remote: 'off' });
  });

  it('keyed but no frames yet: our side on, theirs connecting', () => {
    expect(shownVideo(videoOn, keyed, silent)).toEqual({ local: 'on', remote: 'connecting' });
    expect(shownVideo(videoOn, keyed, [])).toEqual({ local: 'on', remote: 'connecting' });
  });

  it('no video negotiated: off; SDES keys in the SDP, so negotiated is keyed', () => {
    expect(shownVideo(callInfo(), keyed, flowing)).toEqual({ local: 'off', remote: 'off' });
    expect(videoKeyed(securityInfo({ mode: 'sdes', perStream: {} }))).toBe(true);
    expect(videoKeyed(undefined)).toBe(false);
  });

  it('streamFlowing: bits in the newest sample, or packets growing', () => {
    const packets = (n: number, at: number) => callStats(at, [streamStats({ stream: 'video', recvBitrate: 0, packetsReceived: n })]);
    expect(streamFlowing([packets(10, 1), packets(12, 2)], 'video')).toBe(true);
    expect(streamFlowing([packets(12, 1), packets(12, 2)], 'video')).toBe(false);
    expect(streamFlowing(flowing, 'audio')).toBe(true);
  });
});
