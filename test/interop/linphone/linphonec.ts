// Starts linphonec (Debian linphone-cli) headless as a peer, the way ARCHITECTURE.md "Linphone
// as a peer" describes: its own $HOME with .local/share/linphone, an rc in a temp dir, IPv6 off
// on stdin, sound from files, RTP bound to 127.0.0.1. Commands go to stdin; tests wait for lines
// on stdout.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsolePeer } from '../console-peer';

export interface LinphonecOptions {
  /** Path of the linphonec binary (from findPeer). */
  bin: string;
  /** UDP SIP port on 127.0.0.1. */
  sipPort: number;
  /** First RTP port (audio; video uses +2). */
  rtpPort: number;
  user?: string;
  /** -a: answer incoming calls at once. */
  autoAnswer?: boolean;
  /** -V: video enabled ("camera on" then adds video with a re-INVITE). */
  video?: boolean;
  /** [sip] media_encryption: none for plain signalling tests, zrtp for ZRTP tests. */
  mediaEncryption?: 'none' | 'zrtp' | 'srtp';
  /** Extra rc lines appended to the [sip] section (e.g. zrtp_*_suites). */
  extraSip?: string[];
}

export class Linphonec extends ConsolePeer {
  private constructor(child: ChildProcessWithoutNullStreams, dir: string, uri: string) {
    super('linphonec', 'quit', child, dir, uri);
  }

  static async start(o: LinphonecOptions): Promise<Linphonec> {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-linphonec-'));
    const home = join(dir, 'home');
    mkdirSync(join(home, '.local', 'share', 'linphone'), { recursive: true });
    const user = o.user ?? 'linphone';
    const rc = join(dir, 'linphonerc');
    writeFileSync(
      rc,
      [
        '[sip]',
        `sip_port=${o.sipPort}`,
        'sip_tcp_port=0',
        'sip_tls_port=0',
        `media_encryption=${o.mediaEncryption ?? 'none'}`,
        `contact="Linphone" <sip:${user}@127.0.0.1>`,
        `zrtp_secrets_db_uri=${join(dir, 'zrtp-cache.db')}`,
        ...(o.extraSip ?? []),
        '[rtp]',
        `audio_rtp_port=${o.rtpPort}`,
        `video_rtp_port=${o.rtpPort + 2}`,
        'bind_address=127.0.0.1',
        '[video]',
        `enabled=${o.video ? 1 : 0}`,
        '',
      ].join('\n'),
    );
    const args = ['-c', rc];
    if (o.autoAnswer) args.push('-a');
    if (o.video) args.push('-V');
    const child = spawn(o.bin, args, { env: { ...process.env, HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    const lp = new Linphonec(child, dir, `sip:${user}@127.0.0.1:${o.sipPort}`);
    lp.send('ipv6 disable');
    await lp.waitFor(/ipv6 use disabled/, 10000);
    lp.send('soundcard use files');
    return lp;
  }
}
