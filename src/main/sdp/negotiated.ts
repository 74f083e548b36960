// What offer/answer hands the call layer per m-line: where to send and receive RTP and RTCP,
// which payload types, which direction, and how the stream is keyed.
import type { SecurityMode } from '../../shared/api';
import type { SdesKeyMaterial } from './crypto-attribute';
import type { PayloadFormat, RtcpFeedback } from './media-view';
import type { Direction } from './types';

export interface ActiveStream {
  status: 'active';
  /** m-line index. */
  index: number;
  kind: string;
  local: { address: string; rtpPort: number; rtcpPort: number };
  remote: { address: string; rtpPort: number; rtcpAddress: string; rtcpPort: number };
  rtcpMux: boolean;
  /** Negotiated media formats with the payload types to send, preferred first. */
  payloadTypes: PayloadFormat[];
  /** RFC 4733 telephone-event at the clock rate of the preferred codec, when agreed. */
  telephoneEvent?: { payloadType: number; clockRate: number };
  /** Our direction: what we send and receive. */
  direction: Direction;
  security: SecurityMode;
  remoteZrtpHash?: { version: string; hash: string };
  sdes?: { tag: number; local: SdesKeyMaterial; remote: SdesKeyMaterial };
  /** RTCP feedback both sides listed for the preferred payload type. */
  rtcpFb: RtcpFeedback[];
}

export interface ClosedStream {
  /** 'rejected': one side refused the stream; 'disabled': an m-line with port 0 in the offer. */
  status: 'rejected' | 'disabled';
  index: number;
  kind: string;
  /** e.g. "peer declined video". */
  reason: string;
}

export type NegotiatedStream = ActiveStream | ClosedStream;
