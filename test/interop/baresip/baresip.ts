// Starts baresip (Debian baresip-core) headless as a peer: config and accounts in a temp dir,
// SIP and RTP on 127.0.0.1, audio through the aubridge module (no sound card) or a WAV file, SRTP
// (SDES) only when mediaenc is given, and the vp8 module only when video is wanted (a baresip that
// must decline video gets none). Commands
// ("/dial sip:...", "/hangup", "/accept") go to stdin; tests wait for lines on stdout.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsolePeer } from '../console-peer';
import { peerPorts } from '../ports';

/**
 * A SIP port for baresip: it listens on sipPort (UDP and TCP) and also on sipPort + 1 for SIP over
 * TLS (libre's default, even with no certificate: checked with `ss -lntp` here), so both are taken
 * from the allocator, never just the first.
 */
export function baresipSipPort(): Promise<number> {
  return peerPorts(2);
}

export interface BaresipOptions {
  bin: string;
  /** From baresipSipPort(): baresip also binds sipPort + 1 (TCP, for TLS). */
  sipPort: number;
  /** First port of the RTP range (ten ports are given). */
  rtpPort: number;
  user?: string;
  autoAnswer?: boolean;
  video?: boolean;
  modulePath?: string;
  /** Media encryption by SDES (RFC 4568, the srtp module): 'srtp-mand' offers and accepts only RTP/SAVP. */
  mediaenc?: 'srtp' | 'srtp-mand' | 'srtp-mandf';
  /** Audio source instead of the aubridge loop, e.g. `aufile,/path/tone.wav` (8 kHz mono WAV). */
  audioSource?: string;
  /** Write what baresip encodes and decodes as WAV files in this folder (the sndfile filter). */
  soundDumpDir?: string;
}

export class Baresip extends ConsolePeer {
  private constructor(child: ChildProcessWithoutNullStreams, dir: string, uri: string) {
    super('baresip', '/quit', child, dir, uri);
  }

  static async start(o: BaresipOptions): Promise<Baresip> {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-baresip-'));
    const user = o.user ?? 'baresip';
    writeFileSync(
      join(dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${o.sipPort}`,
        'net_interface 127.0.0.1',
        `rtp_ports ${o.rtpPort}-${o.rtpPort + 9}`,
        'audio_player aubridge,nil',
        `audio_source ${o.audioSource ?? 'aubridge,nil'}`,
        'audio_alert aubridge,nil',
        ...(o.video ? ['video_source fakevideo,nil', 'video_display fakevideo,nil'] : []),
        `module_path ${o.modulePath ?? '/usr/lib/baresip/modules'}`,
        'module stdio.so',
        'module g711.so',
        'module aubridge.so',
        ...(o.audioSource?.startsWith('aufile,') ? ['module aufile.so'] : []),
        ...(o.soundDumpDir ? [`snd_path ${o.soundDumpDir}`, 'module sndfile.so'] : []),
        ...(o.mediaenc ? ['module srtp.so'] : []),
        ...(o.video ? ['module vp8.so', 'module fakevideo.so'] : []),
        'module_app account.so',
        'module_app menu.so',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'accounts'), `<sip:${user}@127.0.0.1>;regint=0${o.autoAnswer ? ';answermode=auto' : ''}${o.mediaenc ? `;mediaenc=${o.mediaenc}` : ''}\n`);
    const child = spawn(o.bin, ['-f', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    const b = new Baresip(child, dir, `sip:${user}@127.0.0.1:${o.sipPort}`);
    await b.waitFor(/baresip is ready/, 10000);
    return b;
  }
}
