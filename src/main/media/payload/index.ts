// RTP payload formats: PCMU/PCMA (RFC 3551), Opus (RFC 7587), telephone-event (RFC 4733),
// VP8 (RFC 7741).
export {
  G711_CLOCK_RATE,
  G711_SAMPLES_PER_PACKET,
  PCMA_PAYLOAD_TYPE,
  PCMU_PAYLOAD_TYPE,
  g711LawForPayloadType,
  readG711Payload,
  writeG711Payload,
} from './g711';
export { OPUS_CLOCK_RATE, OPUS_SDP_CHANNELS, opusPacketSamples, writeOpusPayload } from './opus';
export {
  END_PACKET_COPIES,
  TELEPHONE_EVENT_PAYLOAD_LENGTH,
  TelephoneEventReceiver,
  TelephoneEventSender,
  dtmfDigit,
  dtmfEventCode,
} from './telephone-event';
export type { TelephoneEventVerdict } from './telephone-event';
export {
  createVp8Descriptor,
  isVp8KeyframeData,
  isVp8KeyframeStart,
  parseVp8Descriptor,
  vp8DescriptorLength,
  writeVp8Descriptor,
} from './vp8-descriptor';
export type { Vp8Descriptor, Vp8DescriptorFields, Vp8ParseError } from './vp8-descriptor';
export { DEFAULT_VP8_MAX_PAYLOAD, Vp8Packetizer } from './vp8-packetizer';
export { Vp8Depacketizer } from './vp8-depacketizer';
export type { Vp8DepacketizeResult } from './vp8-depacketizer';
