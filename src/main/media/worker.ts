// Media worker entry (worker_threads): one per call. It owns everything per packet: sockets,
// RTP/RTCP, ZRTP, SRTP, jitter buffers. Main talks to it only through worker-protocol messages.

import { parentPort, threadId } from 'node:worker_threads';
import type { MainToWorker, WorkerToMain } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

function post(message: WorkerToMain): void {
  port!.postMessage(message);
}

port.on('message', (message: MainToWorker) => {
  switch (message.type) {
    case 'ping':
      post({ type: 'pong', seq: message.seq, threadId, pid: process.pid });
      break;
    case 'shutdown':
      port!.close();
      break;
  }
});

post({ type: 'ready', threadId });
