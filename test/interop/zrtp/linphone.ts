// Starts a headless linphonec for interop tests (ARCHITECTURE.md "Linphone as a peer"): its own
// $HOME with .local/share/linphone created first, loopback-only RTP, wav files instead of a sound
// card, IPv6 off on stdin, auto-answer. Reusable by the call issues.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LinphoneOptions {
  readonly binary: string;
  readonly sipPort: number;
  readonly rtpPort: number;
  /** Extra `[sip]` lines, e.g. `zrtp_key_agreements_suites=MS_ZRTP_KEY_AGREEMENT_X255`. */
  readonly sipSettings?: Record<string, string>;
  /** A wav file linphonec sends as its microphone (so it sends RTP at all). */
  readonly playFile?: string;
  /** Start with -V (video; the camera is a static picture) and accept offered video. */
  readonly video?: boolean;
  /** [rtp] video_rtp_port (else linphonec's default 9078, shared by parallel test files). */
  readonly videoRtpPort?: number;
  /** With `video`: offer video in its own INVITEs ([video] automatically_initiate=1). */
  readonly videoInitiate?: boolean;
}

/** Debian's linphone-common ships this 8 kHz voice prompt. */
export const LINPHONE_HELLO_WAV = '/usr/share/sounds/linphone/hello8000.wav';

export interface Linphone {
  readonly home: string;
  /** Everything linphonec printed on stdout so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in stdout (searching what came before too). */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  command(line: string): void;
  /** linphonec's debug log so far. */
  log(): string;
  stop(): Promise<void>;
}

export async function startLinphone(options: LinphoneOptions): Promise<Linphone> {
  const home = mkdtempSync(join(tmpdir(), 'vouch-linphone-'));
  mkdirSync(join(home, '.local', 'share', 'linphone'), { recursive: true });
  const sip = {
    sip_port: String(options.sipPort),
    sip_tcp_port: '0',
    sip_tls_port: '0',
    media_encryption: 'zrtp',
    media_encryption_mandatory: '1',
    zrtp_secrets_db_uri: join(home, 'zrtp-secrets.db'),
    ...options.sipSettings,
  };
  const rc = [
    '[sip]',
    ...Object.entries(sip).map(([k, v]) => `${k}=${v}`),
    '[rtp]',
    `audio_rtp_port=${options.rtpPort}`,
    ...(options.videoRtpPort ? [`video_rtp_port=${options.videoRtpPort}`] : []),
    'bind_address=127.0.0.1',
    // RTCP every second so receiver reports show up quickly.
    'rtcp_report_interval=1000',
    // One port for RTP, RTCP and ZRTP, as Vouch offers (a=rtcp-mux, RFC 5761).
    'rtcp_mux=1',
    ...(options.video ? ['[video]', 'capture=1', 'display=0', 'automatically_accept=1', `automatically_initiate=${options.videoInitiate ? 1 : 0}`, 'size=qcif'] : []),
    '[net]',
    'ipv6=0',
  ].join('\n');
  const rcPath = join(home, 'linphonerc');
  writeFileSync(rcPath, rc + '\n');
  const child: ChildProcessWithoutNullStreams = spawn(options.binary, ['-c', rcPath, '-a', ...(options.video ? ['-V'] : []), '-d', '6', '-l', join(home, 'linphone.log')], {
    env: { ...process.env, HOME: home },
    stdio: 'pipe',
  });
  let out = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = out.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    check();
  });
  child.stderr.on('data', () => undefined);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const linphone: Linphone = {
    home,
    output: () => out,
    waitFor(pattern, timeoutMs) {
      const m = out.match(pattern);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`linphonec: no ${pattern} within ${timeoutMs} ms; stdout:\n${out.slice(-2000)}`)), timeoutMs);
        waiters.push({ pattern, resolve: (mm) => (clearTimeout(timer), resolve(mm)) });
      });
    },
    log() {
      try {
        return readFileSync(join(home, 'linphone.log'), 'utf8');
      } catch {
        return '';
      }
    },
    command(line) {
      child.stdin.write(line + '\n');
    },
    async stop() {
      if (child.exitCode === null) {
        child.stdin.write('quit\n');
        const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
  linphone.command('ipv6 disable');
  linphone.command('soundcard use files');
  await linphone.waitFor(/Using wav files instead of soundcard/, 10_000);
  if (options.playFile) linphone.command(`play ${options.playFile}`);
  return linphone;
}
