// Builds our m-lines: offers (RFC 3264 §5), answers (§6) and disabled lines (port 0, §8.2).
import { cryptoAttribute, type CryptoAttribute } from './crypto-attribute';
import type { CodecSpec } from './codecs';
import type { LocalMediaConfig, LocalStreamConfig, SdesKey } from './local-config';
import type { RtcpFeedback } from './media-view';
import type { Attribute, Direction, MediaDescription, MediaProto } from './types';
import { iceMediaAttributes } from './ice';

/**
 * ICE lines (RFC 8839 §5) and the default candidate as the m-line's port and its own c= line
 * (§4.2.1.2), so a peer without ICE still sends to a candidate.
 */
function withIce(md: MediaDescription, stream: LocalStreamConfig): MediaDescription {
  const ice = stream.ice;
  if (!ice || md.port === 0) return md;
  md.attributes.push(...iceMediaAttributes({ credentials: ice.credentials, candidates: ice.candidates }));
  const d = ice.defaultCandidate;
  if (d) {
    md.port = d.port;
    md.connection = { netType: 'IN', addrType: d.address.includes(':') ? 'IP6' : 'IP4', address: d.address };
  }
  return md;
}

export function profileFor(security: LocalStreamConfig['security'], avpf: boolean): MediaProto {
  const secure = security.mode === 'sdes';
  return `RTP/${secure ? 'S' : ''}AVP${avpf ? 'F' : ''}` as MediaProto;
}

export function formatFeedback(fb: string): RtcpFeedback {
  const sp = fb.indexOf(' ');
  return sp < 0 ? { type: fb } : { type: fb.slice(0, sp), parameters: fb.slice(sp + 1) };
}

/** rtpmap, fmtp and rtcp-fb lines for a codec sent under payload type `pt`. */
function codecAttributes(codec: CodecSpec, pt: number, feedback: readonly RtcpFeedback[]): Attribute[] {
  const rtpmap: Attribute = { kind: 'rtpmap', payloadType: pt, encodingName: codec.encodingName, clockRate: codec.clockRate };
  if (codec.channels !== undefined) rtpmap.encodingParameters = codec.channels;
  const attrs: Attribute[] = [rtpmap];
  if (codec.fmtp !== undefined) attrs.push({ kind: 'fmtp', format: String(pt), parameters: codec.fmtp });
  for (const fb of feedback) {
    const a: Attribute = { kind: 'rtcp-fb', payloadType: pt, type: fb.type };
    if (fb.parameters !== undefined) a.parameters = fb.parameters;
    attrs.push(a);
  }
  return attrs;
}

function transportAttributes(stream: LocalStreamConfig, mux: boolean, direction: Direction): Attribute[] {
  const attrs: Attribute[] = [];
  // RFC 3605: only say where RTCP goes when it is not the default port + 1.
  if (!mux && stream.rtcpPort !== undefined && stream.rtcpPort !== stream.port + 1) attrs.push({ kind: 'rtcp', port: stream.rtcpPort });
  if (mux) attrs.push({ kind: 'rtcp-mux' });
  attrs.push({ kind: 'direction', direction });
  return attrs;
}

function securityAttributes(stream: LocalStreamConfig, crypto: readonly CryptoAttribute[]): Attribute[] {
  if (stream.security.mode === 'zrtp' && stream.security.zrtpHash) {
    return [{ kind: 'zrtp-hash', version: stream.security.zrtpHash.version, hash: stream.security.zrtpHash.hash }];
  }
  return [...crypto];
}

export function offerMedia(stream: LocalStreamConfig, config: LocalMediaConfig): MediaDescription {
  const attributes: Attribute[] = [];
  for (const codec of stream.codecs) attributes.push(...codecAttributes(codec, codec.payloadType, (codec.rtcpFb ?? []).map(formatFeedback)));
  attributes.push(...transportAttributes(stream, config.rtcpMux, stream.direction ?? 'sendrecv'));
  const crypto = stream.security.mode === 'sdes' ? stream.security.keys.map((k: SdesKey, i) => cryptoAttribute(i + 1, k.suite, k.masterKey, k.masterSalt)) : [];
  attributes.push(...securityAttributes(stream, crypto));
  return withIce(
    {
      media: stream.kind,
      port: stream.port,
      proto: profileFor(stream.security, config.avpf ?? false),
      formats: stream.codecs.map((c) => String(c.payloadType)),
      bandwidths: [],
      attributes,
    },
    stream,
  );
}

export interface AnswerCodec {
  codec: CodecSpec;
  payloadType: number;
  feedback: RtcpFeedback[];
}

export function answerMedia(
  stream: LocalStreamConfig,
  proto: string,
  codecs: readonly AnswerCodec[],
  mux: boolean,
  direction: Direction,
  crypto: CryptoAttribute | undefined,
): MediaDescription {
  const attributes: Attribute[] = [];
  for (const c of codecs) attributes.push(...codecAttributes(c.codec, c.payloadType, c.feedback));
  attributes.push(...transportAttributes(stream, mux, direction));
  attributes.push(...securityAttributes(stream, crypto ? [crypto] : []));
  return withIce({ media: stream.kind, port: stream.port, proto, formats: codecs.map((c) => String(c.payloadType)), bandwidths: [], attributes }, stream);
}

/** RFC 3264 §6 / §8.2: a refused or removed stream keeps its m-line with port 0. */
export function disabledMedia(media: string, proto: string, formats: readonly string[]): MediaDescription {
  return { media, port: 0, proto, formats: formats.length > 0 ? [...formats] : ['0'], bandwidths: [], attributes: [] };
}
