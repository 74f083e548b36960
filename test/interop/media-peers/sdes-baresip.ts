// A baresip keyed by SDES (its srtp module) that plays a tone from a WAV file and records what it
// decodes (the sndfile filter), in a temp folder the caller removes.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Baresip, baresipSipPort } from '../baresip/baresip';
import { writeToneWav } from './wav-tone';
import { peerPorts } from '../ports';

/** The first of ten RTP ports for a baresip (its rtp_ports range), from this process's peer ports. */
export function baresipRtpPorts(): Promise<number> {
  return peerPorts(10, 2);
}

export interface SdesBaresip {
  baresip: Baresip;
  /** Holds the tone it sends and the WAV files of what it encoded and decoded. */
  dir: string;
  /** The WAV of the audio baresip decoded, once a call has ended (undefined before). */
  decodedWav(): string | undefined;
}

export async function startSdesBaresip(o: { bin: string; autoAnswer: boolean; mediaenc: 'srtp' | 'srtp-mand'; toneHz: number; video?: boolean }): Promise<SdesBaresip> {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-baresip-sdes-'));
  const tone = join(dir, 'tone.wav');
  // baresip hangs up when its aufile source ends: long enough for a call that waits out the ZRTP
  // Hello timeout (5 s) before SDES keys it, on a loaded machine.
  writeToneWav(tone, o.toneHz, 20);
  const baresip = await Baresip.start({
    bin: o.bin,
    sipPort: await baresipSipPort(),
    rtpPort: await baresipRtpPorts(),
    autoAnswer: o.autoAnswer,
    mediaenc: o.mediaenc,
    audioSource: `aufile,${tone}`,
    soundDumpDir: dir,
    video: o.video,
  });
  return {
    baresip,
    dir,
    decodedWav() {
      const f = readdirSync(dir).find((name) => name.endsWith('-dec.wav'));
      return f && join(dir, f);
    },
  };
}
