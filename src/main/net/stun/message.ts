// STUN message codec (RFC 8489 §5, §14): the 20-byte header and the attribute TLVs. Parsing never
// throws: hostile datagrams reach this code first, so every length is checked against the buffer
// and a typed error is returned instead.

/** RFC 8489 §5: fixed value that tells STUN apart from other protocols on the same port. */
export const MAGIC_COOKIE = 0x2112a442;
export const HEADER_LENGTH = 20;
export const TRANSACTION_ID_LENGTH = 12;

export type StunClass = 'request' | 'indication' | 'success' | 'error';

/** RFC 8489 §18.2 methods this code knows by name; any 12-bit method still parses. */
export const StunMethod = {
  Binding: 0x001,
  // TURN (RFC 8656 §17).
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
} as const;

/** Attribute types (RFC 8489 §18.3, RFC 8445 §16.1, RFC 8656 §18). */
export const AttributeType = {
  MappedAddress: 0x0001,
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  UnknownAttributes: 0x000a,
  // TURN (RFC 8656 §18).
  ChannelNumber: 0x000c,
  Lifetime: 0x000d,
  XorPeerAddress: 0x0012,
  Data: 0x0013,
  XorRelayedAddress: 0x0016,
  RequestedAddressFamily: 0x0017,
  EvenPort: 0x0018,
  RequestedTransport: 0x0019,
  DontFragment: 0x001a,
  ReservationToken: 0x0022,
  AdditionalAddressFamily: 0x8000,
  AddressErrorCode: 0x8001,
  Icmp: 0x8004,
  Realm: 0x0014,
  Nonce: 0x0015,
  MessageIntegritySha256: 0x001c,
  XorMappedAddress: 0x0020,
  Priority: 0x0024,
  UseCandidate: 0x0025,
  Software: 0x8022,
  Fingerprint: 0x8028,
  IceControlled: 0x8029,
  IceControlling: 0x802a,
} as const;

export interface StunAttribute {
  readonly type: number;
  /** A view into the parsed datagram (no copy). */
  readonly value: Uint8Array;
  /** Offset of the attribute's 4-byte header within the message, needed for integrity checks. */
  readonly offset: number;
}

export interface StunMessage {
  readonly method: number;
  readonly cls: StunClass;
  readonly transactionId: Uint8Array;
  /** Attributes in wire order, without those that follow MESSAGE-INTEGRITY (RFC 8489 §14.5). */
  readonly attributes: readonly StunAttribute[];
  /** The whole message as received; integrity and fingerprint are checked against it. */
  readonly raw: Uint8Array;
}

export type StunParseError = 'too-short' | 'not-stun' | 'bad-length' | 'truncated-attribute' | 'attribute-after-fingerprint';

export type StunParseResult = { ok: true; message: StunMessage } | { ok: false; error: StunParseError };

export interface StunAttributeInit {
  readonly type: number;
  readonly value: Uint8Array;
}

export interface StunMessageInit {
  readonly method: number;
  readonly cls: StunClass;
  readonly transactionId: Uint8Array;
  readonly attributes?: readonly StunAttributeInit[];
}

const CLASS_BITS: Record<StunClass, number> = {
  request: 0x000,
  indication: 0x010,
  success: 0x100,
  error: 0x110,
};

/** RFC 8489 §5: the class bits C1 C0 sit at bits 8 and 4, interleaved with the 12 method bits. */
export function encodeMessageType(method: number, cls: StunClass): number {
  const m = method & 0xfff;
  return ((m & 0xf80) << 2) | ((m & 0x070) << 1) | (m & 0x00f) | CLASS_BITS[cls];
}

export function decodeMessageType(type: number): {
  method: number;
  cls: StunClass;
} {
  const method = ((type & 0x3e00) >> 2) | ((type & 0x00e0) >> 1) | (type & 0x000f);
  const c = type & 0x0110;
  const cls: StunClass = c === 0x000 ? 'request' : c === 0x010 ? 'indication' : c === 0x100 ? 'success' : 'error';
  return { method, cls };
}

/** Attribute values are padded to a multiple of 4 bytes (RFC 8489 §14). */
export function padded(length: number): number {
  return (length + 3) & ~3;
}

/** Cheap test for demultiplexing (RFC 7983 §7, RFC 8489 §5): top two bits zero and the cookie. */
export function looksLikeStun(data: Uint8Array): boolean {
  return (
    data.length >= HEADER_LENGTH && (data[0] & 0xc0) === 0 && data[4] === 0x21 && data[5] === 0x12 && data[6] === 0xa4 && data[7] === 0x42
  );
}

/** Parses one STUN message that fills `data` exactly (one UDP datagram). */
export function parseMessage(data: Uint8Array): StunParseResult {
  if (data.length < HEADER_LENGTH) return { ok: false, error: 'too-short' };
  if (!looksLikeStun(data)) return { ok: false, error: 'not-stun' };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const length = view.getUint16(2);
  if (length % 4 !== 0 || HEADER_LENGTH + length !== data.length) return { ok: false, error: 'bad-length' };
  const { method, cls } = decodeMessageType(view.getUint16(0));
  const attributes: StunAttribute[] = [];
  let afterIntegrity = false;
  let pos = HEADER_LENGTH;
  while (pos < data.length) {
    if (pos + 4 > data.length) return { ok: false, error: 'truncated-attribute' };
    const type = view.getUint16(pos);
    const len = view.getUint16(pos + 2);
    if (pos + 4 + padded(len) > data.length) return { ok: false, error: 'truncated-attribute' };
    if (attributes.length > 0 && attributes[attributes.length - 1].type === AttributeType.Fingerprint) {
      // RFC 8489 §14.7: FINGERPRINT is always the last attribute.
      return { ok: false, error: 'attribute-after-fingerprint' };
    }
    const attribute = {
      type,
      value: data.subarray(pos + 4, pos + 4 + len),
      offset: pos,
    };
    // RFC 8489 §14.5: only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow MESSAGE-INTEGRITY;
    // anything else there is unauthenticated and ignored.
    if (!afterIntegrity || type === AttributeType.MessageIntegritySha256 || type === AttributeType.Fingerprint) {
      attributes.push(attribute);
    }
    if (type === AttributeType.MessageIntegrity || type === AttributeType.MessageIntegritySha256) afterIntegrity = true;
    pos += 4 + padded(len);
  }
  return {
    ok: true,
    message: {
      method,
      cls,
      transactionId: data.subarray(8, 20),
      attributes,
      raw: data,
    },
  };
}

export function getAttribute(message: StunMessage, type: number): StunAttribute | undefined {
  return message.attributes.find((a) => a.type === type);
}

/**
 * Writes the header and the attributes into a buffer of `extra` more bytes (room for the integrity
 * and fingerprint attributes that integrity.ts appends). Returns the buffer and where the
 * attributes end. Padding bytes are zero (RFC 8489 §14).
 */
export function writeMessage(init: StunMessageInit, extra = 0): { buffer: Uint8Array; end: number } {
  if (init.transactionId.length !== TRANSACTION_ID_LENGTH) throw new RangeError('STUN transaction id must be 12 bytes');
  const attributes = init.attributes ?? [];
  let size = HEADER_LENGTH;
  for (const a of attributes) {
    if (a.value.length > 0xffff) throw new RangeError('STUN attribute value too long');
    size += 4 + padded(a.value.length);
  }
  if (size + extra - HEADER_LENGTH > 0xffff) throw new RangeError('STUN message too long');
  const buffer = new Uint8Array(size + extra);
  const view = new DataView(buffer.buffer);
  view.setUint16(0, encodeMessageType(init.method, init.cls));
  view.setUint16(2, size - HEADER_LENGTH);
  view.setUint32(4, MAGIC_COOKIE);
  buffer.set(init.transactionId, 8);
  let pos = HEADER_LENGTH;
  for (const a of attributes) {
    view.setUint16(pos, a.type);
    view.setUint16(pos + 2, a.value.length);
    buffer.set(a.value, pos + 4);
    pos += 4 + padded(a.value.length);
  }
  return { buffer, end: pos };
}

/** Serializes a message without integrity or fingerprint; see integrity.ts for those. */
export function serializeMessage(init: StunMessageInit): Uint8Array {
  return writeMessage(init).buffer;
}
