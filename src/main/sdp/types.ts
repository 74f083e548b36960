// The SDP data model (RFC 8866 §5). Attributes are typed where Vouch reads them and kept verbatim
// otherwise, so serialize(parse(x)) gives back every attribute line byte for byte.

export type AddressType = 'IP4' | 'IP6';

/** RFC 8866 §5.2 o= line. sess-id is kept as text (it may exceed 2^53); sess-version is counted. */
export interface Origin {
  username: string;
  sessionId: string;
  sessionVersion: bigint;
  netType: string;
  addrType: AddressType;
  address: string;
}

/** RFC 8866 §5.7 c= line. `address` may carry a multicast /ttl/count suffix verbatim. */
export interface Connection {
  netType: string;
  addrType: AddressType;
  address: string;
}

/** RFC 8866 §5.8 b= line. */
export interface Bandwidth {
  type: string;
  value: number;
}

/** RFC 8866 §5.9 t= line with its r= lines (kept as text). */
export interface Timing {
  start: string;
  stop: string;
  repeats: string[];
}

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** RFC 4568 §9.1 key-param: "inline:" key||salt ["|" lifetime] ["|" MKI ":" length]. */
export interface CryptoKeyParam {
  method: 'inline';
  /** The base64 text exactly as written (RFC 4568 §6.1). */
  keySalt: string;
  /** Lifetime exactly as written: decimal or "2^" exponent. */
  lifetime?: string;
  mki?: { value: string; length: number };
}

export type Attribute =
  | { kind: 'rtpmap'; payloadType: number; encodingName: string; clockRate: number; encodingParameters?: number }
  | { kind: 'fmtp'; format: string; parameters: string }
  /** RFC 3605 */
  | { kind: 'rtcp'; port: number; connection?: Connection }
  /** RFC 5761 */
  | { kind: 'rtcp-mux' }
  /** RFC 4585 §4.2: `type` is nack/ccm/trr-int/...; `parameters` the rest ("pli", "fir", "5000"). */
  | { kind: 'rtcp-fb'; payloadType: number | '*'; type: string; parameters?: string }
  | { kind: 'direction'; direction: Direction }
  /** RFC 6189 §8.1: zrtp-version SP 64 hex digits. */
  | { kind: 'zrtp-hash'; version: string; hash: string }
  /** RFC 4568 §9.1 */
  | { kind: 'crypto'; tag: number; suite: string; keyParams: CryptoKeyParam[]; sessionParams: string[] }
  /** RFC 5576 §4.1 */
  | { kind: 'ssrc'; ssrc: number; attribute: string; value?: string }
  /** RFC 5888 §4 */
  | { kind: 'mid'; id: string }
  /** Any other attribute: `value` undefined for a property attribute (`a=name`). */
  | { kind: 'other'; name: string; value?: string }
  /** A known attribute whose value does not follow its grammar: kept verbatim, never used. */
  | { kind: 'malformed'; name: string; value: string; reason: string };

export type AttributeKind = Attribute['kind'];

export type MediaProto = 'RTP/AVP' | 'RTP/SAVP' | 'RTP/AVPF' | 'RTP/SAVPF' | (string & {});

/** RFC 8866 §5.14 m= line and the lines under it. */
export interface MediaDescription {
  media: string;
  port: number;
  portCount?: number;
  proto: MediaProto;
  formats: string[];
  information?: string;
  connection?: Connection;
  bandwidths: Bandwidth[];
  key?: string;
  attributes: Attribute[];
}

export interface SessionDescription {
  origin: Origin;
  sessionName: string;
  information?: string;
  uri?: string;
  emails: string[];
  phones: string[];
  connection?: Connection;
  bandwidths: Bandwidth[];
  timings: Timing[];
  timeZones?: string;
  key?: string;
  attributes: Attribute[];
  media: MediaDescription[];
}
