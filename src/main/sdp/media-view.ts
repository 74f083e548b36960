// Read-only views over a parsed media description: its payload formats with rtpmap, fmtp and
// rtcp-fb resolved, its direction, address, RTCP port, zrtp-hash and crypto lines.
import { staticPayloadType } from './codecs';
import type { CryptoAttribute } from './crypto-attribute';
import type { ZrtpHashAttribute } from './zrtp-hash';
import type { Attribute, Connection, Direction, MediaDescription, SessionDescription } from './types';
import { MAX_PAYLOAD_TYPE, parseDecimal } from './tokens';

export interface RtcpFeedback {
  type: string;
  parameters?: string;
}

export interface PayloadFormat {
  payloadType: number;
  encodingName: string;
  clockRate: number;
  channels?: number;
  fmtp?: string;
  rtcpFb: RtcpFeedback[];
}

function ofKind<K extends Attribute['kind']>(attrs: readonly Attribute[], kind: K): Extract<Attribute, { kind: K }>[] {
  return attrs.filter((a): a is Extract<Attribute, { kind: K }> => a.kind === kind);
}

/** Formats of an RTP m-line, in m-line order; formats without a known encoding are skipped. */
export function payloadFormats(m: MediaDescription): PayloadFormat[] {
  const rtpmaps = ofKind(m.attributes, 'rtpmap');
  const fmtps = ofKind(m.attributes, 'fmtp');
  const fbs = ofKind(m.attributes, 'rtcp-fb');
  const out: PayloadFormat[] = [];
  for (const fmt of m.formats) {
    const pt = parseDecimal(fmt, MAX_PAYLOAD_TYPE);
    if (pt === undefined || out.some((f) => f.payloadType === pt)) continue;
    const map = rtpmaps.find((r) => r.payloadType === pt);
    const known = map
      ? { encodingName: map.encodingName, clockRate: map.clockRate, channels: map.encodingParameters }
      : staticPayloadType(pt);
    if (!known) continue;
    const format: PayloadFormat = { payloadType: pt, encodingName: known.encodingName, clockRate: known.clockRate, rtcpFb: [] };
    if (known.channels !== undefined) format.channels = known.channels;
    const fmtp = fmtps.find((f) => f.format === fmt);
    if (fmtp) format.fmtp = fmtp.parameters;
    for (const fb of fbs) {
      if (fb.payloadType !== '*' && fb.payloadType !== pt) continue;
      const entry: RtcpFeedback = { type: fb.type };
      if (fb.parameters !== undefined) entry.parameters = fb.parameters;
      if (!format.rtcpFb.some((e) => e.type === entry.type && e.parameters === entry.parameters)) format.rtcpFb.push(entry);
    }
    out.push(format);
  }
  return out;
}

/** RFC 3264 §5.1 / RFC 8866 §6.7: media-level direction, else session-level, else sendrecv. */
export function mediaDirection(sdp: SessionDescription, m: MediaDescription): Direction {
  const own = ofKind(m.attributes, 'direction')[0] ?? ofKind(sdp.attributes, 'direction')[0];
  return own ? own.direction : 'sendrecv';
}

export function mediaConnection(sdp: SessionDescription, m: MediaDescription): Connection | undefined {
  return m.connection ?? sdp.connection;
}

export function hasRtcpMux(m: MediaDescription): boolean {
  return m.attributes.some((a) => a.kind === 'rtcp-mux');
}

/** RFC 3605 §2.1 a=rtcp, else RTP port + 1 (RFC 3550 §11). */
export function rtcpAddress(sdp: SessionDescription, m: MediaDescription): { address?: string; port: number } {
  const rtcp = ofKind(m.attributes, 'rtcp')[0];
  const conn = mediaConnection(sdp, m);
  if (rtcp) return { address: rtcp.connection?.address ?? conn?.address, port: rtcp.port };
  return { address: conn?.address, port: m.port + 1 };
}

/** a=zrtp-hash lines of a stream: media-level, else session-level (RFC 6189 §8.1). */
export function zrtpHashes(sdp: SessionDescription, m: MediaDescription): ZrtpHashAttribute[] {
  const own = ofKind(m.attributes, 'zrtp-hash');
  return own.length > 0 ? own : ofKind(sdp.attributes, 'zrtp-hash');
}

/** True when a zrtp-hash line is present but does not follow RFC 6189 §8.1. */
export function hasMalformedZrtpHash(sdp: SessionDescription, m: MediaDescription): boolean {
  return [...m.attributes, ...sdp.attributes].some((a) => a.kind === 'malformed' && a.name === 'zrtp-hash');
}

export function cryptoLines(m: MediaDescription): CryptoAttribute[] {
  return ofKind(m.attributes, 'crypto');
}

/** Any a=crypto line, well-formed or not: a sign that someone offers SDES. */
export function mentionsCrypto(m: MediaDescription): boolean {
  return m.attributes.some((a) => a.kind === 'crypto' || (a.kind === 'malformed' && a.name === 'crypto'));
}

export function isSecureProfile(proto: string): boolean {
  return proto === 'RTP/SAVP' || proto === 'RTP/SAVPF';
}

export function isRtpProfile(proto: string): boolean {
  return proto === 'RTP/AVP' || proto === 'RTP/AVPF' || isSecureProfile(proto);
}

export function attributesOf<K extends Attribute['kind']>(attrs: readonly Attribute[], kind: K): Extract<Attribute, { kind: K }>[] {
  return ofKind(attrs, kind);
}
