// SDP serializer (RFC 8866 §5): fields in the order the RFC prescribes, CRLF line ends.
import { formatAttribute } from './attributes';
import { formatConnection } from './connection';
import type { Bandwidth, MediaDescription, SessionDescription } from './types';

function bandwidthLines(bs: readonly Bandwidth[]): string[] {
  return bs.map((b) => `b=${b.type}:${b.value}`);
}

function mediaLines(m: MediaDescription): string[] {
  const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
  const lines = [`m=${m.media} ${port} ${m.proto} ${m.formats.join(' ')}`];
  if (m.information !== undefined) lines.push(`i=${m.information}`);
  if (m.connection) lines.push(`c=${formatConnection(m.connection)}`);
  lines.push(...bandwidthLines(m.bandwidths));
  if (m.key !== undefined) lines.push(`k=${m.key}`);
  for (const a of m.attributes) lines.push(`a=${formatAttribute(a)}`);
  return lines;
}

export function serializeSdp(sdp: SessionDescription): string {
  const o = sdp.origin;
  const lines = ['v=0', `o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`, `s=${sdp.sessionName}`];
  if (sdp.information !== undefined) lines.push(`i=${sdp.information}`);
  if (sdp.uri !== undefined) lines.push(`u=${sdp.uri}`);
  for (const e of sdp.emails) lines.push(`e=${e}`);
  for (const p of sdp.phones) lines.push(`p=${p}`);
  if (sdp.connection) lines.push(`c=${formatConnection(sdp.connection)}`);
  lines.push(...bandwidthLines(sdp.bandwidths));
  for (const t of sdp.timings) {
    lines.push(`t=${t.start} ${t.stop}`);
    for (const r of t.repeats) lines.push(`r=${r}`);
  }
  if (sdp.timeZones !== undefined) lines.push(`z=${sdp.timeZones}`);
  if (sdp.key !== undefined) lines.push(`k=${sdp.key}`);
  for (const a of sdp.attributes) lines.push(`a=${formatAttribute(a)}`);
  for (const m of sdp.media) lines.push(...mediaLines(m));
  return lines.join('\r\n') + '\r\n';
}
