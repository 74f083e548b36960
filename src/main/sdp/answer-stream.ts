// Answering one offered m-line (RFC 3264 §6.1): accept it with the codecs both sides know, in
// our order under the offerer's payload type numbers, or refuse it with port 0.
import { answerMedia, disabledMedia, type AnswerCodec } from './build-media';
import { isTelephoneEvent, sameCodec } from './codecs';
import { cryptoAttribute, decodeCryptoKey, type CryptoAttribute, type SdesKeyMaterial } from './crypto-attribute';
import { combineDirection } from './direction';
import type { LocalMediaConfig, LocalStreamConfig } from './local-config';
import { cryptoLines, hasRtcpMux, isRtpProfile, isSecureProfile, mediaDirection, payloadFormats, zrtpHashes, type PayloadFormat } from './media-view';
import type { ActiveStream, NegotiatedStream } from './negotiated';
import { closed, isPlainKey, localRtcpPort, pickTelephoneEvent, remoteEndpoint, sharedFeedback } from './stream-helpers';
import type { MediaDescription, SessionDescription } from './types';

export interface StreamAnswer {
  media: MediaDescription;
  stream: NegotiatedStream;
}

function refuse(index: number, m: MediaDescription, reason: string): StreamAnswer {
  return { media: disabledMedia(m.media, m.proto, m.formats), stream: closed(index, m.media, 'rejected', reason) };
}

/** RFC 4568 §7.1.2: the first offered crypto line whose suite we hold a key for and whose key decodes. */
function chooseCrypto(stream: LocalStreamConfig, m: MediaDescription): { offered: CryptoAttribute; remote: SdesKeyMaterial; answer: CryptoAttribute; local: SdesKeyMaterial } | undefined {
  if (stream.security.mode !== 'sdes') return undefined;
  for (const offered of cryptoLines(m)) {
    const key = stream.security.keys.find((k) => k.suite === offered.suite);
    const remote = decodeCryptoKey(offered);
    if (!key || typeof remote === 'string' || !isPlainKey(offered)) continue;
    const answer = cryptoAttribute(offered.tag, key.suite, key.masterKey, key.masterSalt);
    const local = decodeCryptoKey(answer);
    if (typeof local === 'string') continue;
    return { offered, remote, answer, local };
  }
  return undefined;
}

export function answerStream(offer: SessionDescription, m: MediaDescription, index: number, stream: LocalStreamConfig | undefined, config: LocalMediaConfig): StreamAnswer {
  if (m.port === 0) return { media: disabledMedia(m.media, m.proto, m.formats), stream: closed(index, m.media, 'disabled', `peer removed ${m.media}`) };
  if (!stream) return refuse(index, m, `${m.media} is not supported`);
  if (!isRtpProfile(m.proto)) return refuse(index, m, `profile ${m.proto} is not supported`);
  const secure = isSecureProfile(m.proto);
  if (secure && stream.security.mode !== 'sdes') return refuse(index, m, `the ${m.media} offer needs SDES (${m.proto})`);
  // "Best-effort" SRTP (RTP/AVP with a=crypto: baresip's `srtp` mode, Asterisk) is keyed as on
  // RTP/SAVP; the answer keeps the offered profile. RTP/AVP without a=crypto has no keys to use.
  if (!secure && stream.security.mode === 'sdes' && cryptoLines(m).length === 0) return refuse(index, m, `the ${m.media} offer carries no SRTP profile`);
  const crypto = chooseCrypto(stream, m);
  if (stream.security.mode === 'sdes' && !crypto) return refuse(index, m, `no acceptable a=crypto in the ${m.media} offer`);

  const offered = payloadFormats(m);
  const chosen: AnswerCodec[] = [];
  const picked: PayloadFormat[] = [];
  for (const codec of stream.codecs.filter((c) => !isTelephoneEvent(c))) {
    const f = offered.find((o) => sameCodec(o, codec) && !picked.includes(o));
    if (!f) continue;
    picked.push(f);
    chosen.push({ codec, payloadType: f.payloadType, feedback: sharedFeedback(codec.rtcpFb, f.rtcpFb) });
  }
  if (chosen.length === 0) return refuse(index, m, `no common ${m.media} codec`);
  const rates = new Set(chosen.map((c) => c.codec.clockRate));
  for (const codec of stream.codecs.filter((c) => isTelephoneEvent(c) && rates.has(c.clockRate))) {
    const f = offered.find((o) => sameCodec(o, codec));
    if (f) {
      picked.push(f);
      chosen.push({ codec, payloadType: f.payloadType, feedback: [] });
    }
  }
  const mux = config.rtcpMux && hasRtcpMux(m);
  const remote = remoteEndpoint(offer, m, mux);
  if (!remote) return refuse(index, m, 'the offer has no connection address');
  const direction = combineDirection(stream.direction ?? 'sendrecv', mediaDirection(offer, m));
  const media = answerMedia(stream, m.proto, chosen, mux, direction, crypto?.answer);
  const mediaFormats = picked.filter((f) => !isTelephoneEvent(f));
  const active: ActiveStream = {
    status: 'active',
    index,
    kind: m.media,
    local: { address: config.address, rtpPort: stream.port, rtcpPort: localRtcpPort(stream, mux) },
    remote,
    rtcpMux: mux,
    payloadTypes: mediaFormats,
    direction,
    security: stream.security.mode,
    rtcpFb: chosen[0].feedback,
  };
  const te = pickTelephoneEvent(picked, mediaFormats);
  if (te) active.telephoneEvent = te;
  if (stream.security.mode === 'zrtp') {
    const hash = zrtpHashes(offer, m)[0];
    if (hash) active.remoteZrtpHash = { version: hash.version, hash: hash.hash };
  }
  if (crypto) active.sdes = { tag: crypto.offered.tag, local: crypto.local, remote: crypto.remote };
  return { media, stream: active };
}
