// Which audio codec the renderer encodes for: the one the call negotiated (CallInfo.codecs.audio,
// set by AppCore when the stream starts), and nothing before it is known. Main drops a frame
// whose header names another codec (src/main/call/frame-codec-gate.ts), so guessing from a
// setting or from the 1 Hz stats would only lose the first second of speech.
import type { AudioCodec, CallInfo } from '../../shared/api';

export function audioSendCodec(call: Pick<CallInfo, 'codecs'>): AudioCodec | null {
  const c = call.codecs?.audio;
  return c === 'opus' || c === 'pcmu' || c === 'pcma' ? c : null;
}
