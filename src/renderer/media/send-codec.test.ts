import { describe, it, expect } from 'vitest';
import { audioSendCodec } from './send-codec';

describe('audioSendCodec (issue 16: the encoder follows the negotiated codec)', () => {
  it('is the call state audio codec', () => {
    expect(audioSendCodec({ codecs: { audio: 'pcmu' } })).toBe('pcmu');
    expect(audioSendCodec({ codecs: { audio: 'pcma', video: 'vp8' } })).toBe('pcma');
    expect(audioSendCodec({ codecs: { audio: 'opus' } })).toBe('opus');
  });

  it('is none until the audio stream is negotiated (nothing is encoded on a guess)', () => {
    expect(audioSendCodec({})).toBeNull();
    expect(audioSendCodec({ codecs: { video: 'vp8' } })).toBeNull();
  });
});
