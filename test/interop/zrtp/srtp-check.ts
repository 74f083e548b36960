// After ZRTP goes secure: keys an SRTP session per direction from the engine's output (through
// the SRTP issue's ZRTP suite mapping), checks that the peer's SRTP/SRTCP authenticates and
// decrypts, sends our own PCMU packets, and reads the peer's receiver reports about our SSRC.
import { SrtpSession, suiteForZrtp } from '../../../src/crypto/srtp';
import { PacketBuffer } from '../../../src/crypto/packet-buffer';
import type { ZrtpSecure } from '../../../src/crypto/zrtp';
import type { ZrtpSocket } from './zrtp-socket';

export interface ReportBlock {
  readonly ssrc: number;
  readonly fractionLost: number;
  readonly cumulativeLost: number;
  readonly highestSequence: number;
}

export interface SrtpCheck {
  readonly rtpReceived: number;
  readonly rtpAuthenticated: number;
  readonly rtcpReceived: number;
  readonly rtcpAuthenticated: number;
  readonly errors: string[];
  /** Report blocks (from SR/RR) the peer sent about `ourSsrc`, in arrival order. */
  readonly reportsAboutUs: ReportBlock[];
  readonly sent: number;
}

/** Room behind each packet for the SRTP/SRTCP trailer (index word, MKI, tag). */
const TAILROOM = 64;

const isRtcp = (p: Uint8Array) => p.length >= 8 && p[1] >= 200 && p[1] <= 206;

function reportBlocks(rtcp: Uint8Array): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  const view = new DataView(rtcp.buffer, rtcp.byteOffset, rtcp.byteLength);
  for (let at = 0; at + 8 <= rtcp.length; ) {
    const count = rtcp[at] & 0x1f;
    const type = rtcp[at + 1];
    const length = (view.getUint16(at + 2) + 1) * 4;
    if (at + length > rtcp.length) break;
    if (type === 200 || type === 201) {
      let b = at + 8 + (type === 200 ? 20 : 0);
      for (let i = 0; i < count && b + 24 <= at + length; i++, b += 24) {
        blocks.push({ ssrc: view.getUint32(b), fractionLost: rtcp[b + 4], cumulativeLost: view.getUint32(b + 4) & 0xffffff, highestSequence: view.getUint32(b + 8) });
      }
    }
    at += length;
  }
  return blocks;
}

export async function checkSrtp(socket: ZrtpSocket, secure: ZrtpSecure, ourSsrc: number, packets: number, srtcpTagLength?: number): Promise<SrtpCheck> {
  const suite = suiteForZrtp(secure.cipher, secure.authTag);
  const rx = new SrtpSession({ suite, masterKey: secure.keys.remote.masterKey, masterSalt: secure.keys.remote.masterSalt, srtcpTagLength });
  const tx = new SrtpSession({ suite, masterKey: secure.keys.local.masterKey, masterSalt: secure.keys.local.masterSalt, srtcpTagLength });
  const result = { rtpReceived: 0, rtpAuthenticated: 0, rtcpReceived: 0, rtcpAuthenticated: 0, errors: [] as string[], reportsAboutUs: [] as ReportBlock[], sent: 0 };
  let consumed = 0;
  const drain = () => {
    for (const p of socket.media.slice(consumed)) {
      const buf = PacketBuffer.from(p, { tailroom: TAILROOM });
      // RFC 7983: a first byte of 0-3 is STUN (linphonec sends binding requests as keepalives).
      if (!(buf instanceof PacketBuffer) || p[0] < 4) continue;
      if (isRtcp(p)) {
        result.rtcpReceived++;
        const err = rx.unprotectRtcp(buf);
        if (err) result.errors.push(`srtcp: ${err.kind}`);
        else {
          result.rtcpAuthenticated++;
          result.reportsAboutUs.push(...reportBlocks(buf.payload()).filter((b) => b.ssrc === ourSsrc));
        }
      } else {
        result.rtpReceived++;
        const err = rx.unprotectRtp(buf);
        if (err) result.errors.push(`srtp: ${err.kind} (${p.length} bytes)`);
        else result.rtpAuthenticated++;
      }
    }
    consumed = socket.media.length;
  };
  // Packets that arrived before the keys existed (linphonec may start early) are not counted.
  consumed = socket.media.length;
  let sequence = 1000;
  let timestamp = 160_000;
  for (let i = 0; i < packets; i++) {
    const rtp = new Uint8Array(12 + 160).fill(0xff);
    rtp.set([0x80, i === 0 ? 0x80 : 0x00, sequence >> 8, sequence & 0xff, timestamp >>> 24, (timestamp >>> 16) & 0xff, (timestamp >>> 8) & 0xff, timestamp & 0xff, ourSsrc >>> 24, (ourSsrc >>> 16) & 0xff, (ourSsrc >>> 8) & 0xff, ourSsrc & 0xff]);
    const buf = PacketBuffer.from(rtp, { tailroom: TAILROOM }) as PacketBuffer;
    const err = tx.protectRtp(buf);
    if (err) throw new Error(`protect failed: ${err.kind}`);
    socket.send(buf.payload().slice());
    result.sent++;
    sequence++;
    timestamp += 160;
    await new Promise((r) => setTimeout(r, 20));
    drain();
  }
  // Let a receiver report covering the tail arrive (linphonec reports every second here).
  const until = Date.now() + 6000;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    drain();
    const last = result.reportsAboutUs.at(-1);
    if (last && (last.highestSequence & 0xffff) === sequence - 1) break;
  }
  return result;
}

/** Unprotects received SRTP (not SRTCP, not STUN) with the remote keys of `secure`. */
export function countAuthenticated(packets: Uint8Array[], secure: ZrtpSecure): { authenticated: number; errors: number } {
  const rx = new SrtpSession({ suite: suiteForZrtp(secure.cipher, secure.authTag), masterKey: secure.keys.remote.masterKey, masterSalt: secure.keys.remote.masterSalt });
  let authenticated = 0;
  let errors = 0;
  for (const p of packets) {
    if (p[0] < 4 || isRtcp(p)) continue;
    const buf = PacketBuffer.from(p, { tailroom: TAILROOM });
    if (!(buf instanceof PacketBuffer)) continue;
    if (rx.unprotectRtp(buf)) errors++;
    else authenticated++;
  }
  return { authenticated, errors };
}
