// GStreamer as an independent SRTP + VP8 receiver: udpsrc ! srtpdec ! rtpvp8depay ! vp8dec, keyed
// by caps (RFC 3711 AES_CM_128_HMAC_SHA1_80, the SDES key||salt as a hex buffer). Recorded SRTP
// packets are replayed to it over loopback; it reports how many frames vp8dec decoded.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';

export interface SrtpVp8Stream {
  /** SRTP packets as the sender put them on the wire, in order. */
  packets: readonly Buffer[];
  /** key||salt from the sender's a=crypto line (30 bytes for AES_CM_128). */
  keySalt: Uint8Array;
  payloadType: number;
}

/** The SSRC of an RTP packet (RFC 3550 §5.1), which srtpdec needs in its caps. */
export function rtpSsrc(packet: Buffer): number {
  return packet.readUInt32BE(8);
}

/** RTCP (payload types 200-204 on a muxed port, RFC 5761 §4) is not for the RTP decoder. */
export function isRtcp(packet: Buffer): boolean {
  return packet.length >= 2 && packet[1] >= 192 && packet[1] <= 223;
}

/** Frames vp8dec produced from the replayed stream; bounded by `timeoutMs`. */
export async function decodeSrtpVp8(gst: string, port: number, stream: SrtpVp8Stream, timeoutMs = 10_000): Promise<{ decoded: number; output: string }> {
  const caps = [
    'application/x-srtp',
    'media=video',
    'clock-rate=90000',
    'encoding-name=VP8',
    `payload=${stream.payloadType}`,
    `ssrc=(uint)${rtpSsrc(stream.packets[0])}`,
    `srtp-key=(buffer)${Buffer.from(stream.keySalt).toString('hex')}`,
    'srtp-cipher=aes-128-icm',
    'srtp-auth=hmac-sha1-80',
    'srtcp-cipher=aes-128-icm',
    'srtcp-auth=hmac-sha1-80',
  ].join(',');
  const child = spawn(gst, ['-v', 'udpsrc', 'address=127.0.0.1', `port=${port}`, `caps=${caps}`, '!', 'srtpdec', '!', 'rtpvp8depay', '!', 'vp8dec', '!', 'fakesink', 'silent=false'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const count = (): number => output.split('\n').filter((l) => l.includes('fakesink0') && l.includes('chain')).length;
  const sender = createSocket('udp4');
  try {
    const playing = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      const onData = (chunk: string): void => {
        output += chunk;
        if (output.includes('PLAYING')) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', onData);
      child.once('exit', () => resolve(false));
    });
    if (!(await playing)) return { decoded: 0, output };
    await new Promise<void>((r) => sender.bind(0, '127.0.0.1', () => r()));
    for (const p of stream.packets) {
      await new Promise<void>((r) => sender.send(p, port, '127.0.0.1', () => r()));
      // Paced, so udpsrc's socket buffer never overflows.
      await new Promise((r) => setTimeout(r, 1));
    }
    const frames = new Set(stream.packets.map((p) => p.readUInt32BE(4))).size;
    const deadline = Date.now() + Math.min(timeoutMs, 3000);
    while (Date.now() < deadline && count() < frames) await new Promise((r) => setTimeout(r, 50));
    return { decoded: count(), output };
  } finally {
    sender.close();
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
