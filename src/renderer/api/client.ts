// The renderer's handle on AppCore: Electron's preload (`window.vouch`) when present, otherwise
// the browser shell's WebSocket, authenticated with the per-launch token in the URL fragment.

import type { ApiEvent, CommandArgs, CommandName, CommandResult, MediaFrame, Response, VouchApi } from '../../shared/api';
import { VouchApiError } from '../../shared/api';
import { decodeMediaFrame, decodeServerMessage, encodeClientMessage, encodeMediaFrame } from '../../shared/wire';

declare global {
  interface Window {
    vouch?: VouchApi;
  }
}

export type ConnectionState = 'connecting' | 'connected' | 'failed';

export interface ApiConnection {
  api: VouchApi;
  shell: 'electron' | 'browser';
  ready: Promise<void>;
}

export function connectWebSocket(url: string): ApiConnection {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const eventListeners = new Set<(e: ApiEvent) => void>();
  const frameListeners = new Set<(f: MediaFrame) => void>();
  const ready = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('could not connect to Vouch')), { once: true });
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error('connection to Vouch closed'));
    pending.clear();
  });
  ws.addEventListener('message', (msg: MessageEvent) => {
    if (msg.data instanceof ArrayBuffer) {
      const f = decodeMediaFrame(new Uint8Array(msg.data));
      if (f.ok) for (const l of frameListeners) l(f.value);
      return;
    }
    const m = decodeServerMessage(String(msg.data));
    if (!m.ok) return;
    if (m.value.kind === 'event') {
      for (const l of eventListeners) l(m.value.event);
      return;
    }
    const res = m.value as Response;
    const p = pending.get(res.id);
    if (!p) return;
    pending.delete(res.id);
    if (res.ok) p.resolve(res.result);
    else p.reject(new VouchApiError(res.error));
  });
  const api: VouchApi = {
    async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
      await ready;
      const id = nextId++;
      return new Promise<CommandResult<C>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(encodeClientMessage({ kind: 'request', id, command, args }));
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    sendMediaFrame(frame) {
      if (ws.readyState === WebSocket.OPEN) ws.send(encodeMediaFrame(frame));
    },
    onMediaFrame(listener) {
      frameListeners.add(listener);
      return () => void frameListeners.delete(listener);
    },
  };
  return { api, shell: 'browser', ready };
}

export function connect(): ApiConnection {
  if (window.vouch) return { api: window.vouch, shell: 'electron', ready: Promise.resolve() };
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`;
  return connectWebSocket(wsUrl);
}
