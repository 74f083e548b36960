// Messages between main (MediaWorkerHost) and a media worker. Keys never appear here: they are
// derived inside the worker and stay there (ARCHITECTURE.md).

export type MainToWorker = { type: 'ping'; seq: number } | { type: 'shutdown' };

export type WorkerToMain =
  | { type: 'ready'; threadId: number }
  | { type: 'pong'; seq: number; threadId: number; pid: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
