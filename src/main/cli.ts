// `vouch`: the headless front end on AppCore. JSON lines on stdout, one object per event, so
// scripts and tests can read it. Exit codes say how a call ended (EXIT below).

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync } from 'node:fs';
import type { ApiEvent, CallId, DeepPartial, EndReason, ListeningInfo, RegistrationInfo, Settings } from '../shared/api';
import { describeEnd } from '../shared/end-words';
import { AppCore } from './core/app-core';
import type { MediaIo } from './call/media-plan';
import { PASSWORD_ARG_WARNING, PasswordError, cliPassword, promptHidden } from './cli-password';
import { ICE_VALUE_OPTIONS, iceSettingsFromFlags } from './cli-ice';
import { readCommands } from './cli-commands';
import { argValue, hasFlag, resolveDataDir } from './options';
import { parseDnsServers } from './sip/resolve-dns';
import { VOUCH_VERSION } from './version';
import { claimInstance, type HandoverHandler } from './single-instance';

const USAGE = `usage: vouch [options] <command>
commands:
  --help, --version         print this text or the version (nothing else runs)
  ping                      round trip through a media worker thread
  listen                    wait for calls and answer them
  call <sip-uri>            call sip:user@host:port
options:
  --data-dir DIR            data directory (ZID, ZRTP cache, settings); also VOUCH_DATA_DIR
  --host ADDR               pin the address to bind and advertise (default: every interface,
                            IPv6 and IPv4, each peer told the address that reaches it)
  --port N                  SIP port, UDP and TCP (default 5060; the next free one when taken;
                            0 = any free port)
  --tls-port N              SIP TLS port (default 5061), with --tls-cert and --tls-key
  --tls-cert FILE           our TLS certificate (PEM); without it and --tls-key no TLS listener
  --tls-key FILE            its private key (PEM); outgoing TLS works without either
  --proxy HOST[:PORT][;transport=udp|tcp|tls]
                            send calls through this outbound proxy (with --server the
                            default is the registrar; without either, calls go straight)
  --dns ADDR[:PORT][,...]   DNS servers for SIP names (RFC 3263 NAPTR, SRV, A/AAAA);
                            also VOUCH_DNS_SERVERS (default: the system's)
  --stun HOST[:PORT]        a STUN server for our public address behind a router (default
                            port 3478, IPv6 in brackets); repeat for more
  --turn HOST[:PORT]        a TURN server to relay through when no direct path exists; repeat
                            for more, each with the one --turn-user and password
  --turn-tcp HOST[:PORT]    the same, reached over TCP (for networks that let no UDP out)
  --turn-user U             the TURN user name
  --turn-password-file FILE read the TURN password from FILE; or set VOUCH_TURN_PASSWORD
                            (never on the command line). ICE flags replace the stored STUN
                            and TURN servers; without any, the stored ones are used
  --no-ice                  no ICE: media goes to the address in the SDP, as before ICE
  --keepalive S             keep the NAT binding to the registrar open: CRLF (TCP/TLS) or
                            OPTIONS (UDP) every S seconds (default 25, 0 = off)
  --account SIP-URI         our address of record, e.g. sip:alice@example.org
  --server HOST[:PORT]      register with this registrar (needs --account and a password)
  --password-file FILE      read the digest password from FILE (stored 0600 in the data dir);
                            or set VOUCH_PASSWORD; on a terminal, vouch asks for it
  --password P              the same, but other users see it in ps (vouch warns)
  --transport udp|tcp|tls   transport to the registrar
  --trust-ca FILE           trust this CA (PEM) for the registrar's TLS certificate
  --codec pcmu|pcma         audio codec (the CLI sends G.711)
  --tone HZ                 send a sine tone (default 1000)
  --send-wav FILE           send this 8 kHz WAV instead of the tone
  --send-ivf FILE           video source for --add-video-after (default assets/test-vp8.ivf)
  --record-dir DIR          write received audio (WAV) and video (IVF) here
  --add-video-after S       add video S seconds after the call is secure
  --dtmf DIGITS             send these DTMF digits once the call is secure
  --verify                  mark the SAS as verified once it is shown
  --duration S              hang up S seconds after the call connects
  --calls N                 listen: exit after N calls (default: run until interrupted)
  --call-waiting            a second call rings during a call (listen answers it and holds
                            the first); without it the second caller hears busy
  --do-not-disturb          incoming calls hear busy (486) without ringing and are kept as
                            missed in the history
  --transfer-to URI         blind transfer (REFER) of the call to URI once it is secure
  --transfer-after S        ... S seconds after it is secure (default 0)
  --commands                take api.ts commands as JSON lines on stdin, e.g.
                            {"command":"hold","args":{"callId":1,"on":false}} (resume and swap),
                            {"command":"transferAttended","args":{"callId":1,"targetCallId":2}}
  --allow-sdes              accept SDES when the peer has no ZRTP
  --allow-unencrypted       accept plain RTP as a last resort
  --media-timeout S         end a call after S seconds with nothing from the peer (default 30)
`;

export const EXIT = { ok: 0, failed: 1, refused: 2, security: 3, usage: 64 } as const;

function out(obj: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function exitFor(reason: EndReason | undefined): number {
  if (reason === 'local-hangup' || reason === 'remote-hangup' || reason === 'transferred') return EXIT.ok;
  // The peer vanished mid-call (media-liveness.ts): a failure, like a network error.
  if (reason === 'connection-lost') return EXIT.failed;
  if (reason === 'security-refused' || reason === 'sas-mismatch') return EXIT.security;
  if (reason === 'rejected' || reason === 'busy' || reason === 'not-found' || reason === 'cancelled') return EXIT.refused;
  return EXIT.failed;
}

/** The registration state for a person: "no answer from HOST (retrying in N s)". */
function registrationMessage(r: RegistrationInfo): string {
  const retry = r.retryInSeconds !== undefined ? ` (retrying in ${r.retryInSeconds} s)` : '';
  if (r.state === 'registering') return r.reason ? `${r.reason}${retry}` : `registering ${r.address}…`;
  if (r.state === 'registered') return `registered as ${r.address}`;
  if (r.state === 'failed') return `registration failed: ${r.sipStatus ? `${r.sipStatus} ` : ''}${r.reason ?? ''}${retry}`;
  return 'not registered';
}

/** What the `listening` line adds to ListeningInfo: the pinned host, the SIP port, our ZID. */
export interface ListeningExtras {
  host: string | null;
  sipPort: number | undefined;
  zid: string;
}

export interface EventPrinter {
  /** Prints the events a script cares about as JSON lines. */
  onEvent(e: ApiEvent): void;
  /** The `listening` line, printed again only when what a peer can reach changed. */
  listening(l: ListeningInfo | undefined): void;
}

/** `print` is stdout's JSON-lines writer; tests pass their own. */
export function eventPrinter(extras: () => ListeningExtras, print: (obj: Record<string, unknown>) => void = out): EventPrinter {
  let lastListening: string | undefined;
  // No server in the path (direct-IP mode, no proxy): an end reason names no server. Follows the
  // settings events, so it holds whatever the account was when a call ends.
  let direct = true;
  const listening = (l: ListeningInfo | undefined): void => {
    const x = extras();
    const line = { event: 'listening', addresses: l?.addresses ?? [], udp: l?.udp ?? null, tcp: l?.tcp ?? null, tls: l?.tls ?? null, notes: l?.notes ?? [], host: x.host, sipPort: x.sipPort, zid: x.zid };
    const key = JSON.stringify(line);
    if (key === lastListening) return;
    lastListening = key;
    print(line);
  };
  const onEvent = (e: ApiEvent): void => {
    switch (e.type) {
      case 'callState':
        print({ event: 'state', callId: e.call.callId, state: e.call.state, direction: e.call.direction, remote: e.call.remoteUri, video: e.call.video, held: e.call.held, remoteHeld: e.call.remoteHeld, reconnecting: e.call.reconnecting ?? false, endReason: e.call.endReason, sipStatus: e.call.sipStatus, reason: e.call.state === 'ended' ? describeEnd(e.call, direct) : undefined });
        return;
      case 'security': {
        const s = e.security;
        print({ event: 'security', callId: s.callId, state: s.state, mode: s.mode, sas: s.sas, sasType: s.sasType, verified: s.verified, label: s.label, peerZid: s.peerZid, details: s.details, perStream: s.perStream, warnings: s.warnings });
        return;
      }
      case 'stats':
        print({ event: 'stats', callId: e.stats.callId, streams: e.stats.streams });
        return;
      case 'dtmf':
        print({ event: 'dtmf', callId: e.callId, digit: e.digit });
        return;
      case 'registration':
        print({ event: 'registration', ...e.registration, message: registrationMessage(e.registration) });
        return;
      case 'settings': {
        const a = e.settings.account;
        direct = (a.directIpOnly || a.server === '') && !a.outboundProxy;
        return;
      }
      case 'listening':
        listening(e.listening);
        return;
      case 'protectionLowered':
        print({ event: 'protectionLowered', changes: e.changes });
        return;
      case 'path':
        print({ event: 'path', callId: e.callId, stream: e.stream, kind: e.kind, rttMs: e.rttMs, local: e.local, remote: e.remote });
        return;
      case 'error':
        print({ event: 'error', scope: e.scope, reason: e.reason, message: e.message, callId: e.callId });
        return;
      default:
        return;
    }
  };
  return { onEvent, listening };
}

function num(argv: string[], name: string): number | undefined {
  const v = argValue(argv, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got '${v}'`);
  return n;
}

const VALUE_OPTIONS = [...ICE_VALUE_OPTIONS, 'transfer-to', 'transfer-after', 'data-dir', 'proxy', 'dns', 'keepalive', 'host', 'port', 'tls-port', 'tls-cert', 'tls-key', 'account', 'server', 'password', 'password-file', 'trust-ca', 'transport', 'codec', 'tone', 'send-wav', 'send-ivf', 'record-dir', 'add-video-after', 'dtmf', 'duration', 'calls', 'media-timeout'];

function positionals(argv: string[]): string[] {
  const res: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      if (VALUE_OPTIONS.includes(a.slice(2))) i++;
      continue;
    }
    res.push(a);
  }
  return res;
}

/** The bundled test clip: assets/ sits two levels above both src/main and out/main. */
const DEFAULT_IVF = fileURLToPath(new URL('../../assets/test-vp8.ivf', import.meta.url));

function mediaIo(argv: string[]): MediaIo {
  const codec = argValue(argv, 'codec') ?? 'pcmu';
  if (codec !== 'pcmu' && codec !== 'pcma') throw new Error(`--codec must be pcmu or pcma, got '${codec}'`);
  const recordDir = argValue(argv, 'record-dir');
  if (recordDir) mkdirSync(recordDir, { recursive: true });
  const wav = argValue(argv, 'send-wav');
  return {
    audioSource: wav ? { kind: 'wav', path: resolve(wav) } : { kind: 'tone', frequencyHz: num(argv, 'tone') ?? 1000 },
    audioSink: recordDir ? { kind: 'wav', path: resolve(recordDir, 'received-audio.wav'), fromStreamStart: true } : { kind: 'none' },
    videoSource: { kind: 'ivf', path: resolve(argValue(argv, 'send-ivf') ?? DEFAULT_IVF) },
    videoSink: recordDir ? { kind: 'ivf', path: resolve(recordDir, 'received-video.ivf') } : { kind: 'none' },
    audioCodecs: codec === 'pcma' ? ['pcma', 'pcmu'] : ['pcmu', 'pcma'],
  };
}

function settingsPatch(argv: string[], autoAnswer: boolean, secrets: { password?: string; trustedCaPem?: string }): DeepPartial<Settings> {
  const account = argValue(argv, 'account');
  const server = argValue(argv, 'server');
  const patch: DeepPartial<Settings> = { autoAnswer };
  if (account || server) {
    const user = account ? (/^sips?:([^@]+)@/.exec(account)?.[1] ?? '') : '';
    patch.account = { address: account ?? '', username: user, server: server ?? '', directIpOnly: !server };
    if (secrets.password !== undefined) patch.account.password = secrets.password;
    if (secrets.trustedCaPem !== undefined) patch.account.trustedCaPem = secrets.trustedCaPem;
    const transport = argValue(argv, 'transport');
    if (transport) patch.account.transport = transport as Settings['account']['transport'];
  }
  const proxy = argValue(argv, 'proxy');
  if (proxy !== undefined) patch.account = { ...patch.account, outboundProxy: proxy };
  const dns = argValue(argv, 'dns');
  if (dns !== undefined) patch.dnsServers = parseDnsServers(dns);
  const keepAlive = num(argv, 'keepalive');
  if (keepAlive !== undefined) patch.keepAliveSeconds = keepAlive;
  if (hasFlag(argv, 'allow-unencrypted')) patch.mediaSecurity = 'allow-unencrypted';
  else if (hasFlag(argv, 'allow-sdes')) patch.mediaSecurity = 'allow-sdes';
  if (hasFlag(argv, 'call-waiting')) patch.callWaiting = true;
  if (hasFlag(argv, 'do-not-disturb')) patch.doNotDisturb = true;
  const mediaTimeout = num(argv, 'media-timeout');
  if (mediaTimeout !== undefined) patch.mediaTimeoutSeconds = mediaTimeout;
  return patch;
}

/** Runs the scripted parts of a call (verify, add video, DTMF, duration) and resolves when it ends. */
function driveCall(core: AppCore, argv: string[], callId: CallId): Promise<EndReason | undefined> {
  const addVideoAfter = num(argv, 'add-video-after');
  const duration = num(argv, 'duration');
  const dtmf = argValue(argv, 'dtmf');
  const verify = hasFlag(argv, 'verify');
  const transferTo = argValue(argv, 'transfer-to');
  const transferAfter = num(argv, 'transfer-after') ?? 0;
  const timers: ReturnType<typeof setTimeout>[] = [];
  let secured = false;
  let connected = false;
  return new Promise((resolveEnd) => {
    const off = core.onEvent((e) => {
      if (e.type === 'security' && e.security.callId === callId) {
        if (verify && e.security.state === 'sas-ready' && !e.security.verified) void core.invoke('setSasVerified', { callId, verified: true }).catch(() => undefined);
        if (e.security.state === 'secure' && !secured) {
          secured = true;
          if (addVideoAfter !== undefined) timers.push(setTimeout(() => void core.invoke('addVideo', { callId }).catch((err: Error) => out({ event: 'error', scope: 'call', message: err.message })), addVideoAfter * 1000));
          if (dtmf) void core.invoke('sendDtmf', { callId, digits: dtmf }).catch(() => undefined);
          if (transferTo) {
            const transfer = () => void core.invoke('transfer', { callId, to: transferTo }).catch((err: Error) => out({ event: 'error', scope: 'call', message: err.message }));
            timers.push(setTimeout(transfer, transferAfter * 1000));
          }
        }
      }
      if (e.type === 'callState' && e.call.callId === callId) {
        if (e.call.state === 'connected' && !connected) {
          connected = true;
          if (duration !== undefined) timers.push(setTimeout(() => void core.invoke('hangup', { callId }).catch(() => undefined), duration * 1000));
        }
        if (e.call.state === 'ended') {
          for (const t of timers) clearTimeout(t);
          off();
          resolveEnd(e.call.endReason);
        }
      }
    });
  });
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    out({ event: 'version', version: VOUCH_VERSION });
    return EXIT.ok;
  }
  const [command, target] = positionals(argv);
  if (!command || command === 'help') {
    process.stderr.write(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (!['ping', 'listen', 'call'].includes(command)) {
    process.stderr.write(`vouch: unknown command '${command}'\n${USAGE}`);
    return EXIT.usage;
  }
  if (command === 'call' && !target) {
    process.stderr.write(`vouch: call needs a SIP URI\n${USAGE}`);
    return EXIT.usage;
  }
  if (argValue(argv, 'password') !== undefined) process.stderr.write(`${PASSWORD_ARG_WARNING}\n`);
  const dataDir = resolveDataDir(argv);
  let io: MediaIo;
  let port: number | undefined;
  let tlsPort: number | undefined;
  let trustedCaPem: string | undefined;
  let ice: Settings['ice'] | undefined;
  try {
    ice = iceSettingsFromFlags(argv, { env: process.env, warn: (line) => process.stderr.write(`${line}\n`) });
    io = mediaIo(argv);
    port = num(argv, 'port');
    tlsPort = num(argv, 'tls-port');
    for (const [name, p] of [['port', port], ['tls-port', tlsPort]] as const) if (p !== undefined && (!Number.isInteger(p) || p > 65535)) throw new Error(`--${name} must be a port number 0-65535`);
    if ((argValue(argv, 'tls-cert') === undefined) !== (argValue(argv, 'tls-key') === undefined)) throw new Error('--tls-cert and --tls-key go together');
    const caFile = argValue(argv, 'trust-ca');
    if (caFile !== undefined) trustedCaPem = readFileSync(caFile, 'utf8');
  } catch (e) {
    process.stderr.write(`vouch: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  // One instance per data dir (single-instance.ts): a second `vouch call URI` hands URI to the
  // running one and exits 0; calls handed to us are placed once SIP is up.
  let onHandover: HandoverHandler = async () => ({ ok: false, error: 'still starting' });
  const claim = command === 'ping' ? undefined : await claimInstance(dataDir, command === 'call' ? target : undefined, (h) => onHandover(h));
  if (claim?.kind === 'handed-over') {
    out({ event: 'handed-over', uri: command === 'call' ? target : null, socket: claim.socketPath, ...claim.answer });
    return claim.answer.ok ? EXIT.ok : EXIT.failed;
  }
  if (claim?.kind === 'unguarded') out({ event: 'warning', message: `no single-instance guard: ${claim.reason}` });
  const core = new AppCore({ dataDir, host: argValue(argv, 'host'), sipPort: port, sipTlsPort: tlsPort, tlsCertFile: argValue(argv, 'tls-cert'), tlsKeyFile: argValue(argv, 'tls-key'), io });
  let stopCommands: (() => void) | undefined;
  for (const w of core.startupWarnings) out({ event: 'warning', message: w });
  try {
    if (command === 'ping') {
      const r = await core.invoke('ping', {});
      out({ event: 'pong', roundTripMs: Number(r.roundTripMs.toFixed(3)), workerThreadId: r.workerThreadId, workerPid: r.workerPid });
      return EXIT.ok;
    }
    let password: string | undefined;
    try {
      const stored = (await core.invoke('getSettings', {})).account.hasPassword;
      password = await cliPassword(argv, {
        env: process.env,
        needed: argValue(argv, 'server') !== undefined && !stored,
        prompt: process.stdin.isTTY ? () => promptHidden('SIP password: ') : undefined,
        warn: (line) => process.stderr.write(`${line}\n`),
      });
    } catch (e) {
      if (!(e instanceof PasswordError)) throw e;
      process.stderr.write(`vouch: ${e.message}\n`);
      return EXIT.usage;
    }
    const printer = eventPrinter(() => {
      const state = core.snapshot();
      return { host: argValue(argv, 'host') ?? null, sipPort: state.listening?.udp ?? undefined, zid: state.zid };
    });
    // Subscribed before the settings change, so a flag that lowers protection (--allow-sdes,
    // auto-answer for listen) is said on stdout like any later change.
    core.onEvent(printer.onEvent);
    if (hasFlag(argv, 'commands')) stopCommands = readCommands(core, process.stdin, out);
    const patch = settingsPatch(argv, command === 'listen', { password, trustedCaPem });
    await core.invoke('updateSettings', { patch: ice ? { ...patch, ice } : patch });
    await core.start();
    // What a peer can reach: addresses (non-internal interfaces, or the pinned host) and ports;
    // printed again whenever it changes (settings, a network change).
    printer.listening(core.snapshot().listening);
    onHandover = async ({ uri }) => {
      if (!uri) return { ok: true, detail: 'already running' };
      const { callId } = await core.invoke('call', { uri });
      void driveCall(core, argv, callId);
      return { ok: true, detail: `calling ${uri} (call ${callId})` };
    };
    if (command === 'call') {
      const { callId } = await core.invoke('call', { uri: target! });
      const reason = await driveCall(core, argv, callId);
      return exitFor(reason);
    }
    const limit = num(argv, 'calls');
    let done = 0;
    let last: EndReason | undefined;
    await new Promise<void>((resolveAll) => {
      core.onEvent((e) => {
        if (e.type === 'callState' && e.call.state === 'incoming') {
          void driveCall(core, argv, e.call.callId).then((reason) => {
            last = reason;
            done++;
            if (limit !== undefined && done >= limit) resolveAll();
          });
        }
      });
      const stop = () => resolveAll();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return limit !== undefined ? exitFor(last) : EXIT.ok;
  } catch (e) {
    out({ event: 'error', message: (e as Error).message });
    return EXIT.failed;
  } finally {
    stopCommands?.();
    await core.close();
    await claim?.close();
  }
}
