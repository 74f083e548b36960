// Media worker entry (worker_threads): one per call. It owns everything per packet: sockets,
// RTP/RTCP, ZRTP, SRTP, jitter buffers (src/main/media/worker/, this thread's folder). Main talks to it only through
// worker-protocol messages; session keys are derived here and never leave.

import { parentPort, threadId } from 'node:worker_threads';
import type { MainToWorker, WorkerToMain } from '../worker-protocol';
import { CallMedia } from './call-media';
import { nodeSrtpPrimitives } from '../srtp-node';
import { warmUp } from './warm-up';
import { warmCallMedia } from './warm-call';
import { stockKeyPair } from './key-pair-stock';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

function post(message: WorkerToMain, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

// node:crypto primitives are the fast path measured in bench/srtp.mjs.
const media = new CallMedia(post, nodeSrtpPrimitives);

port.on('message', (message: MainToWorker) => {
  switch (message.type) {
    case 'ping':
      post({ type: 'pong', seq: message.seq, threadId, pid: process.pid });
      return;
    case 'shutdown':
      void media.close().then(() => port!.close());
      return;
    default:
      media.handle(message).catch((e: unknown) => {
        // A failed command never takes the worker down: main hears about it.
        const stream = 'stream' in message ? message.stream : undefined;
        const text = e instanceof Error ? e.message : String(e);
        if (stream) post({ type: 'streamError', stream, message: text });
        else post({ type: 'log', level: 'error', message: text });
      });
  }
});

// Pay the JIT cost of ZRTP and SRTP, and of opening a call's stream, now, before a call waits for
// this worker. A warm-up that fails costs only speed: the worker is ready all the same.
const warmMs = warmUp(nodeSrtpPrimitives);
const openMs = await warmCallMedia(nodeSrtpPrimitives).catch(() => NaN);
// After the throwaway stream, which must not take it: the first call's ZRTP key pair.
stockKeyPair();
post({ type: 'log', level: 'info', message: `media worker warmed up in ${warmMs.toFixed(1)} ms (+ ${openMs.toFixed(1)} ms opening a stream)` });
post({ type: 'ready', threadId });
