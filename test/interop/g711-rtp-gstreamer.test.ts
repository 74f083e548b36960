// PCMU/PCMA over RTP against GStreamer's G.711 encoders, decoders and payloaders, over UDP on
// loopback: a 1 kHz tone from audiotestsrc goes through our jitter buffer into a WAV whose
// frequency we measure, and our tone source reaches GStreamer's decoder as 1 kHz.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PacketBuffer } from '../../src/crypto/packet-buffer';
import { AudioJitterBuffer } from '../../src/main/media/jitter';
import { createRtpHeader, parseRtpHeader, RtpSenderState, writeRtpHeader, appendBytes } from '../../src/main/media/rtp';
import { createEncodedFrame, parseWav, ToneSource, WavSink, wavPcmSamples } from '../../src/main/media/sources';
import { dominantFrequency, rms } from '../../src/main/media/sources/test-support';
import { findPeer } from './peers';
import { gstLoopback } from './media-peers/gst-loopback';
import { peerPort, untilBound, untilUdpDrained } from './ports';

const gst = findPeer('gst-launch-1.0', 'gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad');
const { dir, children, bind, close } = gstLoopback('vouch-g711rtp-');
afterAll(close);

const PACKETS = 50;
const laws = [
  { law: 'PCMU' as const, pt: 0, enc: 'mulawenc', pay: 'rtppcmupay', depay: 'rtppcmudepay', dec: 'mulawdec' },
  { law: 'PCMA' as const, pt: 8, enc: 'alawenc', pay: 'rtppcmapay', depay: 'rtppcmadepay', dec: 'alawdec' },
];

function readPcm(path: string): Int16Array {
  const bytes = readFileSync(path);
  const info = parseWav(bytes);
  if (typeof info === 'string') throw new Error(`${path}: ${info}`);
  return wavPcmSamples(bytes, info);
}

function exited(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(resolve, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe.skipIf(!gst)('G.711 over RTP with GStreamer', () => {
  it.each(laws)('$law from $enc + $pay plays out of our jitter buffer as a 1 kHz tone', async ({ law, pt, enc, pay }) => {
    const socket = await bind();
    const jb = new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160 });
    const h = createRtpHeader();
    let received = 0;
    const all = new Promise<void>((resolve) => {
      socket.on('message', (msg: Buffer) => {
        if (parseRtpHeader(msg, 0, msg.length, h) || h.payloadType !== pt) return;
        jb.push(h.sequenceNumber, h.timestamp, msg, h.payloadStart, h.payloadEnd, received * 20);
        if (++received === PACKETS) resolve();
      });
    });
    const child = spawn(
      gst!,
      ['-q', 'audiotestsrc', 'freq=1000', 'volume=0.3', `num-buffers=${PACKETS}`, 'samplesperbuffer=160', '!',
        'audio/x-raw,format=S16LE,rate=8000,channels=1', '!', enc, '!',
        pay, `pt=${pt}`, 'min-ptime=20000000', 'max-ptime=20000000', '!',
        'udpsink', 'host=127.0.0.1', `port=${socket.address().port}`, 'sync=false'],
      { stdio: 'ignore' },
    );
    children.push(child);
    await Promise.race([all, new Promise((r) => setTimeout(r, 10_000))]);
    expect(received).toBe(PACKETS);
    const path = join(dir, `from-gst-${law}.wav`);
    const sink = new WavSink(path, law);
    const frame = createEncodedFrame();
    for (let now = 0; now < PACKETS * 20 + 500; now += 10) {
      for (let r = jb.pop(now); r === 'frame' || r === 'lost'; r = jb.pop(now)) {
        if (r === 'lost') sink.writeLoss(160);
        else {
          frame.data = jb.slab;
          frame.offset = jb.frameStart;
          frame.length = jb.frameEnd - jb.frameStart;
          sink.writeFrame(frame);
        }
      }
    }
    sink.close();
    expect(jb.counters).toMatchObject({ played: PACKETS, lost: 0, late: 0 });
    const pcm = readPcm(path);
    expect(pcm.length).toBe(PACKETS * 160);
    expect(Math.abs(dominantFrequency(pcm, 8000) - 1000)).toBeLessThan(3);
    expect(rms(pcm)).toBeGreaterThan(3000);
  });

  it.each(laws)('$law from our tone source decodes in $depay + $dec as a 1 kHz tone', async ({ law, pt, depay, dec }) => {
    const socket = await bind();
    const port = await peerPort(); // gst's udpsrc binds it
    const path = join(dir, `to-gst-${law}.wav`);
    const caps = `application/x-rtp,media=audio,clock-rate=8000,encoding-name=${law},payload=${pt}`;
    const child = spawn(gst!, ['-e', 'udpsrc', 'address=127.0.0.1', `port=${port}`, `caps=${caps}`, '!', depay, '!', dec, '!', 'wavenc', '!', 'filesink', `location=${path}`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(child);
    let out = '';
    const playing = new Promise<void>((resolve) => child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c).includes('PLAYING') && resolve()));
    await Promise.race([playing, new Promise((r) => setTimeout(r, 5_000))]);
    // PLAYING is printed as gst-launch asks for it; what matters is udpsrc's socket.
    await untilBound(port, 'udp');

    const tone = new ToneSource({ law, frequencyHz: 1000 });
    const sender = new RtpSenderState({ ssrc: 0xabc, clockRate: 8000, initialSequenceNumber: 65530, initialTimestamp: 0xfffff000 });
    const h = createRtpHeader();
    h.payloadType = pt;
    h.ssrc = sender.ssrc;
    const frame = createEncodedFrame();
    const p = PacketBuffer.alloc(200);
    for (let i = 0; i < PACKETS; i++) {
      tone.readFrame(frame);
      p.reset();
      h.sequenceNumber = sender.takeSequenceNumber();
      h.timestamp = sender.rtpTimestamp(frame.timestamp);
      h.marker = i === 0;
      writeRtpHeader(p, h);
      appendBytes(p, frame.data, frame.offset, frame.offset + frame.length);
      await new Promise<void>((resolve, reject) => socket.send(p.bytes, p.start, p.length, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
      await new Promise((r) => setTimeout(r, 2));
    }
    await untilUdpDrained(port); // udpsrc has read every packet; -e drains the rest of the pipeline on SIGINT
    child.kill('SIGINT');
    await exited(child, 5_000);
    const pcm = readPcm(path);
    expect(pcm.length).toBeGreaterThanOrEqual(PACKETS * 160 * 0.9);
    expect(Math.abs(dominantFrequency(pcm, 8000) - 1000)).toBeLessThan(3);
  });
});
