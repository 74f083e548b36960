// Applying the peer's answer to one m-line of our offer (RFC 3264 §7).
import { sameCodec, isTelephoneEvent, type CodecSpec } from './codecs';
import { decodeCryptoKey } from './crypto-attribute';
import { combineDirection } from './direction';
import type { LocalMediaConfig, LocalStreamConfig } from './local-config';
import { cryptoLines, hasRtcpMux, mediaDirection, payloadFormats, zrtpHashes } from './media-view';
import type { ActiveStream, NegotiatedStream } from './negotiated';
import { closed, isPlainKey, localRtcpPort, pickTelephoneEvent, remoteEndpoint, sharedFeedback } from './stream-helpers';
import type { SessionDescription } from './types';

export function applyAnswerStream(
  offer: SessionDescription,
  answer: SessionDescription,
  index: number,
  stream: LocalStreamConfig | undefined,
  config: LocalMediaConfig,
): NegotiatedStream {
  const ours = offer.media[index];
  const theirs = answer.media[index];
  if (ours.port === 0 || !stream) return closed(index, ours.media, 'disabled', `${ours.media} removed`);
  if (theirs.port === 0) return closed(index, ours.media, 'rejected', `peer declined ${ours.media}`);
  if (theirs.media !== ours.media || theirs.proto !== ours.proto) {
    return closed(index, ours.media, 'rejected', `the answer changed the ${ours.media} stream's type or profile`);
  }
  const formats = payloadFormats(theirs);
  const media = formats.filter((f) => !isTelephoneEvent(f) && stream.codecs.some((c) => sameCodec(f, c)));
  if (media.length === 0) return closed(index, ours.media, 'rejected', `no common ${ours.media} codec`);
  const mux = config.rtcpMux && hasRtcpMux(theirs);
  const remote = remoteEndpoint(answer, theirs, mux);
  if (!remote) return closed(index, ours.media, 'rejected', 'the answer has no connection address');
  const preferred = stream.codecs.find((c) => sameCodec(media[0], c)) as CodecSpec;
  const active: ActiveStream = {
    status: 'active',
    index,
    kind: ours.media,
    local: { address: config.address, rtpPort: stream.port, rtcpPort: localRtcpPort(stream, mux) },
    remote,
    rtcpMux: mux,
    payloadTypes: media,
    direction: combineDirection(stream.direction ?? 'sendrecv', mediaDirection(answer, theirs)),
    security: stream.security.mode,
    rtcpFb: sharedFeedback(preferred.rtcpFb, media[0].rtcpFb),
  };
  const te = pickTelephoneEvent(formats.filter((f) => stream.codecs.some((c) => sameCodec(f, c))), media);
  if (te) active.telephoneEvent = te;
  if (stream.security.mode === 'zrtp') {
    const hash = zrtpHashes(answer, theirs)[0];
    if (hash) active.remoteZrtpHash = { version: hash.version, hash: hash.hash };
  } else if (stream.security.mode === 'sdes') {
    // RFC 4568 §7.1.3: exactly one crypto line, with a tag and suite we offered.
    const answered = cryptoLines(theirs);
    const ourLines = cryptoLines(ours);
    const mine = answered.length === 1 ? ourLines.find((c) => c.tag === answered[0].tag && c.suite === answered[0].suite) : undefined;
    const local = mine ? decodeCryptoKey(mine) : 'no matching crypto';
    const remoteKey =
      answered.length !== 1 ? 'the answer must carry one a=crypto' : !isPlainKey(answered[0]) ? 'session parameters and MKIs are not supported' : decodeCryptoKey(answered[0]);
    if (typeof local === 'string' || typeof remoteKey === 'string') {
      return closed(index, ours.media, 'rejected', `no usable a=crypto in the answer: ${typeof remoteKey === 'string' ? remoteKey : local}`);
    }
    active.sdes = { tag: answered[0].tag, local, remote: remoteKey };
  }
  return active;
}
