// What an incoming INVITE's body must be before its offer is read (RFC 3261 §8.2.3, §21.4.16,
// §21.4.7, RFC 5621, RFC 3264 §5): the SDP from an application/sdp body or from the SDP part of a
// multipart one, nothing (a delayed offer, §13.2.1), or a refusal with the status and the header
// that tells the caller what we take. And an offer whose every stream is a transport we do not
// speak (DTLS-SRTP) is refused 488 with Warning 302 before anything rings (§20.43).
import { isRtpProfile, isTelephoneEvent, payloadFormats, sameCodec, type CodecSpec, type SessionDescription } from '../sdp';
import { ACCEPT } from '../sip/session';
import { parseMediaType, parseMultipart, MultipartError } from '../sip/multipart';

/** An INVITE refused for its body or its offer: the status, reason phrase, and headers saying why. */
export interface OfferRefusal {
  refused: string;
  status: number;
  reason: string;
  headers: [string, string][];
}

/** The parts of the INVITE the checks read. */
export interface InviteView {
  header(name: string): string[];
  body: string;
}

/** §20.43: `code host "text"`, an IPv6 host in brackets. */
function warning(code: number, host: string, text: string): [string, string] {
  return ['Warning', `${code} ${host.includes(':') ? `[${host}]` : host} "${text}"`];
}

function refusal(status: number, reason: string, refused: string, headers: [string, string][] = []): OfferRefusal {
  return { status, reason, refused, headers };
}

/**
 * §20.1: whether an Accept header (all its values) admits application/sdp with a q above zero.
 * No Accept header admits it; an empty one admits nothing.
 */
export function acceptsSdp(values: readonly string[]): boolean {
  if (values.length === 0) return true;
  for (const range of values.join(',').split(',')) {
    const [typeText, ...params] = range.split(';');
    const type = typeText.trim().toLowerCase();
    if (type === '') continue;
    const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(p)).find(Boolean);
    if (q && Number(q[1]) === 0) continue;
    if (type === 'application/sdp' || type === 'application/*' || type === '*/*') return true;
  }
  return false;
}

/**
 * The offer's SDP text, undefined for a delayed offer (no body), or the refusal: a coding we
 * cannot undo (415 with Accept-Encoding), a body type that is not SDP (415 with Accept), an
 * Accept that rules out our SDP answer (406).
 */
export function offerText(invite: InviteView): { sdp: string | undefined } | OfferRefusal {
  const codings = invite
    .header('content-encoding')
    .join(',')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length > 0) return refusal(415, 'Unsupported Media Type', `the offer is encoded (${codings.join(', ').slice(0, 40)})`, [['Accept-Encoding', 'identity']]);
  if (!acceptsSdp(invite.header('accept'))) return refusal(406, 'Not Acceptable', 'the caller does not accept application/sdp', [['Accept', 'application/sdp']]);
  if (invite.body === '') return { sdp: undefined };
  const declared = invite.header('content-type')[0] ?? '';
  const type = parseMediaType(declared);
  const unsupported = (what: string): OfferRefusal => refusal(415, 'Unsupported Media Type', what, [['Accept', ACCEPT]]);
  if (!type) return unsupported(declared ? 'the body has a malformed Content-Type' : 'the body has no Content-Type');
  if (type.type === 'application/sdp') return { sdp: invite.body };
  if (type.type !== 'multipart/mixed') return unsupported(`the body is ${type.type.slice(0, 60)}, not application/sdp`);
  const parts = parseMultipart(declared, invite.body);
  if (parts instanceof MultipartError) return refusal(400, `Bad Request (${parts.message})`, `malformed multipart body: ${parts.message}`);
  // RFC 5621 §3.1: the session part is the one of type application/sdp; its disposition, if any, is "session".
  const sdp = parts.find((p) => p.type === 'application/sdp' && (p.headers.get('content-disposition') ?? 'session').split(';')[0].trim().toLowerCase() === 'session');
  if (!sdp) return unsupported('the multipart body has no application/sdp part');
  const encoded = (sdp.headers.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  if (encoded !== '' && !['7bit', '8bit', 'binary'].includes(encoded)) return unsupported(`the SDP part is ${encoded.slice(0, 20)}-encoded`);
  return { sdp: sdp.body };
}

/**
 * §20.43 Warning 302: every live stream of the offer uses a transport we do not speak (for one,
 * UDP/TLS/RTP/SAVPF: DTLS-SRTP, which ZRTP and SDES calls do not use). `host` names us in the
 * Warning. undefined when at least one stream can be answered.
 */
export function incompatibleTransport(offer: SessionDescription, host: string): OfferRefusal | undefined {
  const live = offer.media.filter((m) => m.port !== 0);
  if (live.length === 0 || live.some((m) => isRtpProfile(m.proto))) return undefined;
  const protos = [...new Set(live.map((m) => m.proto))].join(', ').slice(0, 60);
  return refusal(488, 'Not Acceptable Here', `the caller offered ${protos}, which Vouch does not speak (DTLS-SRTP is not supported)`, [
    warning(302, host, 'Incompatible transport protocol'),
  ]);
}

/**
 * §20.43 Warning 305: no live RTP stream of the offer has a codec we can send and receive
 * (`codecs` per kind; telephone-event alone carries no media). undefined when one has.
 */
export function incompatibleCodecs(offer: SessionDescription, host: string, codecs: { audio: readonly CodecSpec[]; video: readonly CodecSpec[] }): OfferRefusal | undefined {
  const live = offer.media.filter((m) => m.port !== 0 && isRtpProfile(m.proto) && (m.media === 'audio' || m.media === 'video'));
  if (live.length === 0) return undefined;
  const usable = live.some((m) => {
    const ours = (m.media === 'audio' ? codecs.audio : codecs.video).filter((c) => !isTelephoneEvent(c));
    return payloadFormats(m).some((f) => ours.some((c) => sameCodec(f, c)));
  });
  if (usable) return undefined;
  const offered = [...new Set(live.flatMap((m) => payloadFormats(m).map((f) => `${f.encodingName}/${f.clockRate}`)))].join(', ').slice(0, 60) || 'none we know';
  return refusal(488, 'Not Acceptable Here', `the caller offered no codec Vouch has (offered: ${offered})`, [warning(305, host, 'Incompatible media format')]);
}
