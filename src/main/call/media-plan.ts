// Pure helpers between offer/answer (src/main/sdp) and the media worker (worker-protocol): what we
// offer for each open stream, and what the worker must run for each negotiated stream.

import { randomBytes } from 'node:crypto';
import type { StreamKind } from '../../shared/api';
import { PCMA, PCMU, OPUS, VP8, TELEPHONE_EVENT_8000, TELEPHONE_EVENT_48000, type CodecSpec, type LocalMediaConfig, type LocalStreamConfig, type LocalStreamSecurity, type ActiveStream, type SdesKey } from '../sdp';
import type { Direction } from '../sdp';
import type { IceRemoteParams, MediaCodecName, SinkSpec, SourceSpec, StreamStart, WorkerToMain } from '../media/worker-protocol';
import { parseCandidate, type Candidate } from '../net/ice';

/** Where a call's media comes from and goes to: files and a tone (CLI, tests) or the renderer. */
export interface MediaIo {
  audioSource: SourceSpec;
  audioSink: SinkSpec;
  videoSource: SourceSpec;
  videoSink: SinkSpec;
  /** Audio codecs the source can produce, preferred first (the CLI's tone/WAV is G.711 only). */
  audioCodecs: readonly ('opus' | 'pcmu' | 'pcma')[];
}

export interface OpenStream {
  kind: StreamKind;
  rtpPort: number;
  rtcpPort: number;
  helloHash?: string;
  security: LocalStreamSecurity['mode'];
  sdesKeys?: SdesKey[];
  direction: Direction;
  /** The worker's ICE description of the stream (credentials, candidates), when it gathered. */
  ice?: Extract<WorkerToMain, { type: 'streamOpened' }>['ice'];
}

const AUDIO_SPECS = { opus: OPUS, pcmu: PCMU, pcma: PCMA } as const;

export function audioCodecSpecs(codecs: MediaIo['audioCodecs']): CodecSpec[] {
  const specs: CodecSpec[] = codecs.map((c) => AUDIO_SPECS[c]);
  // RFC 4733 DTMF at the clock of the codecs offered.
  if (codecs.includes('opus')) specs.push(TELEPHONE_EVENT_48000);
  if (codecs.includes('pcmu') || codecs.includes('pcma')) specs.push(TELEPHONE_EVENT_8000);
  return specs;
}

/** Fresh SDES keys (RFC 4568) for the suites we accept, strongest first. */
export function newSdesKeys(): SdesKey[] {
  return [
    { suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: new Uint8Array(randomBytes(16)), masterSalt: new Uint8Array(randomBytes(14)) },
    { suite: 'AES_CM_128_HMAC_SHA1_32', masterKey: new Uint8Array(randomBytes(16)), masterSalt: new Uint8Array(randomBytes(14)) },
  ];
}

function streamSecurity(s: OpenStream): LocalStreamSecurity {
  if (s.security === 'zrtp') {
    if (!s.helloHash) return { mode: 'zrtp' };
    const [version, hash] = s.helloHash.split(' ');
    return { mode: 'zrtp', zrtpHash: { version, hash } };
  }
  if (s.security === 'sdes') return { mode: 'sdes', keys: s.sdesKeys ?? [] };
  return { mode: 'none' };
}

/** Our ICE lines for a stream: its credentials and candidates, the default one on m=/c=. */
function streamIce(s: OpenStream): LocalStreamConfig['ice'] {
  if (!s.ice) return undefined;
  const candidates = s.ice.candidates.map((c) => parseCandidate(c)).flatMap((r): Candidate[] => (r.ok ? [r.candidate] : []));
  return { credentials: { ufrag: s.ice.ufrag, pwd: s.ice.pwd }, candidates, defaultCandidate: s.ice.defaultCandidate };
}

/**
 * Our side of offer/answer. `withIce`: ICE lines go into our SDP (our offers, and answers to an
 * offer that had them: RFC 8839 §4.2.1.1 — no ICE in an answer to a peer that did not offer it).
 */
export function localMediaConfig(address: string, streams: readonly OpenStream[], io: MediaIo, withIce = true): LocalMediaConfig {
  const config: LocalStreamConfig[] = streams.map((s) => ({
    kind: s.kind,
    port: s.rtpPort,
    rtcpPort: s.rtcpPort,
    codecs: s.kind === 'audio' ? audioCodecSpecs(io.audioCodecs) : [VP8],
    direction: s.direction,
    security: streamSecurity(s),
    ice: withIce ? streamIce(s) : undefined,
  }));
  return { address, rtcpMux: true, streams: config };
}

function codecName(encodingName: string): MediaCodecName | undefined {
  const e = encodingName.toUpperCase();
  if (e === 'PCMU' || e === 'PCMA' || e === 'VP8') return e;
  if (e === 'OPUS') return 'opus';
  return undefined;
}

/** The worker's instructions for one negotiated stream, or why it can't run. */
export function streamStart(s: ActiveStream, io: MediaIo, ice?: IceRemoteParams): StreamStart | string {
  const kind = s.kind === 'video' ? 'video' : s.kind === 'audio' ? 'audio' : undefined;
  if (!kind) return `unsupported media ${s.kind}`;
  const fmt = s.payloadTypes.find((p) => codecName(p.encodingName) !== undefined);
  if (!fmt) return `no codec in common for ${kind}`;
  const name = codecName(fmt.encodingName)!;
  const security: StreamStart['security'] =
    s.security === 'sdes' && s.sdes
      ? { mode: 'sdes', keys: { suite: s.sdes.local.suite, local: s.sdes.local, remote: s.sdes.remote } }
      : s.security === 'zrtp'
        ? { mode: 'zrtp', peerHelloHash: s.remoteZrtpHash ? `${s.remoteZrtpHash.version} ${s.remoteZrtpHash.hash}` : undefined }
        : { mode: 'none' };
  return {
    stream: kind,
    remote: { address: s.remote.address, rtpPort: s.remote.rtpPort, rtcpAddress: s.remote.rtcpAddress, rtcpPort: s.remote.rtcpPort },
    rtcpMux: s.rtcpMux,
    security,
    codec: { name, payloadType: fmt.payloadType, clockRate: fmt.clockRate },
    telephoneEvent: s.telephoneEvent,
    direction: s.direction,
    nack: s.rtcpFb.some((f) => f.type === 'nack' && !f.parameters),
    pli: s.rtcpFb.some((f) => f.type === 'nack' && f.parameters === 'pli'),
    ice,
    source: kind === 'audio' ? io.audioSource : io.videoSource,
    sink: kind === 'audio' ? io.audioSink : io.videoSink,
  };
}
