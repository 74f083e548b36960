// SRTCP for tests that play the far end of an SDES call (RFC 3711 §3.4 with the suite
// AES_CM_128_HMAC_SHA1_80): a protected Receiver Report about one of Vouch's streams, and the check
// that a packet Vouch sent authenticates under the key it offered.
import { PacketBuffer } from '../../../src/crypto/packet-buffer';
import { SrtpSession } from '../../../src/crypto/srtp';

function session(keySalt: Uint8Array): SrtpSession {
  return new SrtpSession({ suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: keySalt.subarray(0, 16), masterSalt: keySalt.subarray(16, 30) });
}

export interface ReceiverReportFields {
  senderSsrc: number;
  /** The SSRC the report block is about (Vouch's). */
  reporteeSsrc: number;
  /** RFC 3550 §6.4.1 LSR and DLSR, 16.16 fixed point. */
  lastSenderReport: number;
  delaySinceLastSenderReport: number;
}

/** An RR with one report block (RFC 3550 §6.4.2), protected as SRTCP with `keySalt`. */
export function protectedReceiverReport(keySalt: Uint8Array, f: ReceiverReportFields): Uint8Array {
  const rr = new Uint8Array(32);
  const v = new DataView(rr.buffer);
  v.setUint8(0, 0x81); // V=2, P=0, RC=1
  v.setUint8(1, 201);
  v.setUint16(2, rr.length / 4 - 1);
  v.setUint32(4, f.senderSsrc >>> 0);
  v.setUint32(8, f.reporteeSsrc >>> 0);
  v.setUint32(24, f.lastSenderReport >>> 0);
  v.setUint32(28, f.delaySinceLastSenderReport >>> 0);
  const p = PacketBuffer.from(rr, { tailroom: 64 });
  if (!(p instanceof PacketBuffer)) throw new Error('RR does not fit a packet buffer');
  const err = session(keySalt).protectRtcp(p);
  if (err) throw new Error(`SRTCP protect: ${err.kind}`);
  return p.bytes.slice(p.start, p.end);
}

/** The RTCP packet type of an SRTCP packet that authenticates under `keySalt`, or why not. */
export function unprotectedRtcpType(keySalt: Uint8Array, packet: Uint8Array): number | string {
  const p = PacketBuffer.from(packet);
  if (!(p instanceof PacketBuffer)) return 'too large';
  const err = session(keySalt).unprotectRtcp(p);
  return err ? err.kind : p.bytes[p.start + 1];
}
