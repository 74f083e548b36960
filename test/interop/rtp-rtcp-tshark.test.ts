// Our RTP, RTCP, VP8 and telephone-event writers checked by an independent dissector: the
// packets go into a pcap (raw IPv4/UDP on 127.0.0.1) and tshark decodes them with Wireshark's
// RTP, RTCP (RFC 3550, 4585, 5104), VP8 (RFC 7741) and RTP event (RFC 4733) dissectors.
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PacketBuffer } from '../../src/crypto/packet-buffer';
import { dtmfEventCode, TelephoneEventSender, Vp8Packetizer } from '../../src/main/media/payload';
import { createRtcpReport, writeBye, writeFir, writeNack, writePli, writeRtcpReport, writeSdesCname } from '../../src/main/media/rtcp';
import { createRtpHeader, writeRtpHeader } from '../../src/main/media/rtp';
import { parseIvf } from '../../src/main/media/sources';
import { findPeer } from './peers';

const tshark = findPeer('tshark', 'tshark');
const dir = mkdtempSync(join(tmpdir(), 'vouch-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RTP_PORT = 5004;
const RTCP_PORT = 5005;

/** A pcap (LINKTYPE_RAW) of UDP datagrams from and to 127.0.0.1:`port`. */
function pcap(datagrams: Array<{ port: number; data: Uint8Array }>): Uint8Array {
  const parts: Uint8Array[] = [];
  const global = new DataView(new ArrayBuffer(24));
  global.setUint32(0, 0xa1b2c3d4, true);
  global.setUint16(4, 2, true);
  global.setUint16(6, 4, true);
  global.setUint32(16, 65535, true);
  global.setUint32(20, 101, true);
  parts.push(new Uint8Array(global.buffer));
  datagrams.forEach(({ port, data }, i) => {
    const length = 28 + data.length;
    const r = new DataView(new ArrayBuffer(16 + 28));
    r.setUint32(0, 1_700_000_000 + i, true);
    r.setUint32(8, length, true);
    r.setUint32(12, length, true);
    r.setUint8(16, 0x45);
    r.setUint16(18, length);
    r.setUint16(22, 0x4000);
    r.setUint8(24, 64);
    r.setUint8(25, 17);
    r.setUint32(28, 0x7f000001);
    r.setUint32(32, 0x7f000001);
    let sum = 0;
    for (let k = 0; k < 20; k += 2) sum += r.getUint16(16 + k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    r.setUint16(26, ~sum & 0xffff);
    r.setUint16(36, port);
    r.setUint16(38, port);
    r.setUint16(40, 8 + data.length);
    parts.push(new Uint8Array(r.buffer), data);
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** tshark's fields, one row per packet, one array of values per field. */
function dissect(datagrams: Array<{ port: number; data: Uint8Array }>, fields: string[]): string[][][] {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.pcap`);
  writeFileSync(path, pcap(datagrams));
  const out = execFileSync(
    tshark!,
    ['-r', path, '-d', `udp.port==${RTP_PORT},rtp`, '-d', `udp.port==${RTCP_PORT},rtcp`, '-d', 'rtp.pt==96,vp8', '-d', 'rtp.pt==101,rtpevent',
      '-T', 'fields', '-E', 'separator=/t', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])],
    { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t').map((v) => (v === '' ? [] : v.split(','))));
}

function rtcp(write: (p: PacketBuffer) => void): { port: number; data: Uint8Array } {
  const p = PacketBuffer.alloc(0);
  write(p);
  return { port: RTCP_PORT, data: p.payload().slice() };
}

describe.skipIf(!tshark)('tshark dissects what we write', () => {
  it('RTCP: SR + SDES, RR + SDES + NACK, PLI, FIR, BYE, with no expert errors', () => {
    const sr = createRtcpReport();
    Object.assign(sr, { isSenderReport: true, ssrc: 0x11111111, ntpSeconds: 0xe8000000, ntpFraction: 0x40000000, rtpTimestamp: 4242, packetCount: 50, octetCount: 8000, reportCount: 1 });
    Object.assign(sr.reports[0], { ssrc: 0x22222222, fractionLost: 25, cumulativeLost: 7, extendedHighestSequence: 70000, jitter: 33, lastSenderReport: 0x12345678, delaySinceLastSenderReport: 65536 });
    const rr = createRtcpReport();
    rr.ssrc = 0x22222222;
    const cname = (s: string) => new TextEncoder().encode(s);
    const rows = dissect(
      [
        rtcp((p) => (writeRtcpReport(p, sr), writeSdesCname(p, 0x11111111, cname('alice@127.0.0.1')))),
        rtcp((p) => (writeRtcpReport(p, rr), writeSdesCname(p, 0x22222222, cname('bob@127.0.0.1')), writeNack(p, 0x22222222, 0x11111111, [100, 101, 116, 117]))),
        rtcp((p) => writePli(p, 0x22222222, 0x11111111)),
        rtcp((p) => writeFir(p, 0x22222222, 0x11111111, 9)),
        rtcp((p) => writeBye(p, 0x22222222, cname('bye now'))),
      ],
      ['rtcp.pt', 'rtcp.senderssrc', 'rtcp.timestamp.rtp', 'rtcp.sender.packetcount', 'rtcp.ssrc.fraction', 'rtcp.ssrc.cum_nr',
        'rtcp.ssrc.high_cycles', 'rtcp.ssrc.high_seq', 'rtcp.ssrc.jitter', 'rtcp.ssrc.lsr', 'rtcp.ssrc.dlsr', 'rtcp.sdes.text', 'rtcp.rtpfb.nack_pid',
        'rtcp.rtpfb.nack_blp', 'rtcp.mediassrc', 'rtcp.psfb.fir.fci.ssrc', 'rtcp.psfb.fir.fci.csn', 'rtcp.length_check', '_ws.expert.severity'],
    );
    const [pt, sender, rtpTs, count, fraction, cum, cycles, high, jitter, lsr, dlsr, sdes, pid, blp, media, firSsrc, firSeq, lengthOk, severity] = rows[0].map((_, i) => rows.map((r) => r[i]));
    expect(pt).toEqual([['200', '202'], ['201', '202', '205'], ['206'], ['206'], ['203']]);
    expect(sender[0]).toEqual(['0x11111111']);
    expect([rtpTs[0], count[0]]).toEqual([['4242'], ['50']]);
    // Wireshark splits the extended highest sequence number 70000 into cycles 1 and 4464.
    expect([fraction[0], cum[0], cycles[0], high[0], jitter[0], lsr[0], dlsr[0]]).toEqual([['25'], ['7'], ['1'], ['4464'], ['33'], [String(0x12345678)], ['65536']]);
    expect(sdes[0]).toEqual(['alice@127.0.0.1']);
    expect(sdes[1]).toEqual(['bob@127.0.0.1']);
    // Wireshark lists every sequence number the PID + BLP pairs stand for.
    expect(pid[1]).toEqual(['100', '101', '116', '117']);
    expect(blp[1]).toEqual(['0x8001', '0x0000']);
    expect(media[2]).toEqual(['0x11111111']);
    expect([firSsrc[3], firSeq[3]]).toEqual([['0x11111111'], ['9']]);
    for (const row of lengthOk) expect(row.length > 0 && row.every((v) => v === '1' || v === 'True')).toBe(true);
    expect(severity.flat()).toEqual([]);
  });

  it('RTP with VP8 payload descriptors on a real key frame, and telephone-events with the end bit', () => {
    const clip = readFileSync(fileURLToPath(new URL('../../assets/test-vp8.ivf', import.meta.url)));
    const info = parseIvf(clip);
    if (typeof info === 'string') throw new Error(info);
    const datagrams: Array<{ port: number; data: Uint8Array }> = [];
    const h = createRtpHeader();
    h.ssrc = 0x33333333;
    h.payloadType = 96;
    const pk = new Vp8Packetizer(0x1234, 1000);
    pk.begin(clip, info.frameStarts[0], info.frameStarts[0] + info.frameLengths[0]);
    let seq = 1;
    while (!pk.done) {
      const p = PacketBuffer.alloc(1200);
      h.marker = pk.nextIsLast;
      h.sequenceNumber = seq++;
      writeRtpHeader(p, h);
      pk.writeNext(p);
      datagrams.push({ port: RTP_PORT, data: p.payload().slice() });
    }
    const vp8Packets = datagrams.length;
    const dtmf = new TelephoneEventSender(8000, 20);
    dtmf.begin(dtmfEventCode('#'), 60, 8000);
    h.payloadType = 101;
    while (dtmf.active) {
      const p = PacketBuffer.alloc(16);
      const at = p.end;
      writeRtpHeader(p, h);
      dtmf.writeNext(p);
      // The marker and timestamp are known once the payload is written: patch the header.
      p.bytes[at + 1] = (dtmf.marker ? 0x80 : 0) | 101;
      new DataView(p.bytes.buffer).setUint32(at + 4, dtmf.timestamp);
      p.bytes[at + 3] = seq++;
      datagrams.push({ port: RTP_PORT, data: p.payload().slice() });
    }
    const rows = dissect(datagrams, ['rtp.seq', 'rtp.marker', 'vp8.pld.s', 'vp8.pld.pictureid', 'vp8.keyframe.width', 'vp8.keyframe.height',
      'rtpevent.event_id', 'rtpevent.end_of_event', 'rtpevent.duration']);
    expect(vp8Packets).toBeGreaterThan(1);
    const vp8 = rows.slice(0, vp8Packets);
    expect(vp8.map((r) => r[2][0])).toEqual(vp8.map((_, i) => (i === 0 ? '1' : '0')));
    expect(vp8.every((r) => r[3][0] === '4660')).toBe(true);
    expect([vp8[0][4], vp8[0][5]]).toEqual([['320'], ['240']]);
    expect(vp8.map((r) => r[1][0])).toEqual(vp8.map((_, i) => (i === vp8Packets - 1 ? '1' : '0')));
    const events = rows.slice(vp8Packets);
    expect(events.map((r) => [r[1][0], r[6][0], r[7][0], r[8][0]])).toEqual([
      ['1', '11', '0', '160'],
      ['0', '11', '0', '320'],
      ['0', '11', '1', '480'],
      ['0', '11', '1', '480'],
      ['0', '11', '1', '480'],
    ]);
  });
});
