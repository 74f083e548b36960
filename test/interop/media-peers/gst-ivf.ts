// How many frames of an IVF file GStreamer's vp8dec decodes (an independent check of received VP8).
import { execFileSync } from 'node:child_process';

export function gstDecodedIvfFrames(gst: string, path: string): number {
  const out = execFileSync(gst, ['-v', 'filesrc', `location=${path}`, '!', 'ivfparse', '!', 'vp8dec', '!', 'fakesink', 'silent=false'], {
    encoding: 'utf8',
    timeout: 20_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\n').filter((l) => l.includes('fakesink0') && l.includes('chain')).length;
}
