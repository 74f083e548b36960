// The renderer's handle on AppCore: Electron's preload (`window.vouch`) when present, otherwise
// the browser shell's WebSocket, authenticated by the session cookie the launcher page obtained
// or by the per-launch token in the URL fragment (the URL the shell prints for the user).

import type { ApiEvent, CommandArgs, CommandName, CommandResult, MediaFrame, Response, VouchApi } from '../../shared/api';
import { VouchApiError } from '../../shared/api';
import { decodeMediaFrame, decodeServerMessage, encodeClientMessage, encodeMediaFrame } from '../../shared/wire';
import { decodeShellServerMessage, encodeShellMessage, type ShellServerMessage } from '../../shared/shell-protocol';

declare global {
  interface Window {
    vouch?: VouchApi;
  }
}

export type ConnectionState = 'connecting' | 'connected' | 'failed';

/** The browser shell's own channel: another window asking to be let in (shell-protocol.ts). */
export interface ShellControl {
  onMessage(listener: (m: ShellServerMessage) => void): () => void;
  answerAdmission(requestId: number, allow: boolean): void;
}

export interface ApiConnection {
  api: VouchApi;
  shell: 'electron' | 'browser';
  ready: Promise<void>;
  /** Only in the browser shell. */
  control?: ShellControl;
}

export function connectWebSocket(url: string): ApiConnection {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const eventListeners = new Set<(e: ApiEvent) => void>();
  const frameListeners = new Set<(f: MediaFrame) => void>();
  const shellListeners = new Set<(m: ShellServerMessage) => void>();
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
    const text = String(msg.data);
    const m = decodeServerMessage(text);
    if (!m.ok) {
      const shellMessage = decodeShellServerMessage(text);
      if (shellMessage) for (const l of shellListeners) l(shellMessage);
      return;
    }
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
  const control: ShellControl = {
    onMessage(listener) {
      shellListeners.add(listener);
      return () => void shellListeners.delete(listener);
    },
    answerAdmission(requestId, allow) {
      if (ws.readyState === WebSocket.OPEN) ws.send(encodeShellMessage({ kind: 'shell', type: 'admission-answer', requestId, allow }));
    },
  };
  return { api, shell: 'browser', ready, control };
}

export function connect(): ApiConnection {
  if (window.vouch) return { api: window.vouch, shell: 'electron', ready: Promise.resolve() };
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api${query}`;
  return connectWebSocket(wsUrl);
}
