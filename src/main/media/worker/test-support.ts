// Fixtures shared by the media worker's tests (not loaded by the worker itself).
import type { MainToWorker, StreamStart, WorkerToMain, ZrtpReport } from '../worker-protocol';
import { CallMedia } from './call-media';

export interface TestMasterKey {
  masterKey: Uint8Array;
  masterSalt: Uint8Array;
}

/**
 * A VP8 video stream on 127.0.0.1 keyed by SDES (RFC 4568), with frames to and from the front
 * end, as the app's video stream has them: NACK and PLI on.
 */
export function sdesVideoStart(peerPort: number, local: TestMasterKey, remote: TestMasterKey): StreamStart {
  return {
    stream: 'video',
    remote: { address: '127.0.0.1', rtpPort: peerPort, rtcpAddress: '127.0.0.1', rtcpPort: peerPort },
    rtcpMux: true,
    security: { mode: 'sdes', keys: { suite: 'AES_CM_128_HMAC_SHA1_80', local, remote } },
    codec: { name: 'VP8', payloadType: 96, clockRate: 90000 },
    direction: 'sendrecv',
    nack: true,
    pli: true,
    source: { kind: 'frames' },
    sink: { kind: 'frames' },
  };
}

/**
 * The tests' usual audio stream on 127.0.0.1: PCMU sending a 1 kHz tone, playing nothing. RTCP is
 * muxed onto the RTP port unless it is given a port of its own.
 */
export function toneAudioStart(security: StreamStart['security'], rtpPort: number, rtcpPort = rtpPort): StreamStart {
  return {
    stream: 'audio',
    remote: { address: '127.0.0.1', rtpPort, rtcpAddress: '127.0.0.1', rtcpPort },
    rtcpMux: rtcpPort === rtpPort,
    security,
    codec: { name: 'PCMU', payloadType: 0, clockRate: 8000 },
    direction: 'sendrecv',
    nack: false,
    pli: false,
    source: { kind: 'tone', frequencyHz: 1000 },
    sink: { kind: 'none' },
  };
}

/** One call's CallMedia as its worker runs it, with every message it posts to main kept. */
export interface Side {
  media: CallMedia;
  messages: WorkerToMain[];
  send(m: MainToWorker): Promise<void>;
  waitFor<T extends WorkerToMain>(pred: (m: WorkerToMain) => m is T, ms?: number): Promise<T>;
}

export function side(): Side {
  const messages: WorkerToMain[] = [];
  const waiters: { pred: (m: WorkerToMain) => boolean; resolve: (m: WorkerToMain) => void }[] = [];
  const media = new CallMedia((m) => {
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  }, undefined);
  return {
    media,
    messages,
    send: (m) => media.handle(m),
    waitFor<T extends WorkerToMain>(pred: (m: WorkerToMain) => m is T, ms = 5000): Promise<T> {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen as T);
      return new Promise<T>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('timed out waiting for a worker message')), ms);
        waiters.push({
          pred,
          resolve: (m) => {
            clearTimeout(t);
            resolve(m as T);
          },
        });
      });
    },
  };
}

/**
 * Waits (real time, polling every 5 ms) until `ok` holds; throws naming `what` after `ms`. The
 * default leaves a loaded CI host room: waiting longer never makes a test pass that should fail.
 */
export async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const isZrtp =
  (stream: string, kind: ZrtpReport['kind']) =>
  (m: WorkerToMain): m is Extract<WorkerToMain, { type: 'zrtp' }> =>
    m.type === 'zrtp' && m.stream === stream && m.report.kind === kind;
export const isOpened =
  (stream: string) =>
  (m: WorkerToMain): m is Extract<WorkerToMain, { type: 'streamOpened' }> =>
    m.type === 'streamOpened' && m.stream === stream;
