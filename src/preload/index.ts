// Sandboxed preload (emitted as CommonJS: a sandboxed preload cannot be an ES module). It exposes
// the typed API of src/shared/api.ts as `window.vouch`, nothing more.

import { contextBridge, ipcRenderer } from 'electron';
import type { ApiEvent, CommandArgs, CommandName, CommandResult, MediaFrame, Response, VouchApi } from '../shared/api';
import { VouchApiError } from '../shared/api';
import { decodeMediaFrame, encodeClientMessage, encodeMediaFrame } from '../shared/wire';
import { IPC } from '../shared/ipc-channels';

let nextId = 1;

const api: VouchApi = {
  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    const res = (await ipcRenderer.invoke(IPC.request, encodeClientMessage({ kind: 'request', id: nextId++, command, args }))) as Response<C>;
    if (!res.ok) throw new VouchApiError(res.error);
    return res.result;
  },
  onEvent(listener: (event: ApiEvent) => void) {
    const handler = (_e: unknown, event: ApiEvent) => listener(event);
    ipcRenderer.on(IPC.event, handler);
    return () => void ipcRenderer.removeListener(IPC.event, handler);
  },
  sendMediaFrame(frame: MediaFrame) {
    ipcRenderer.send(IPC.frameToMain, encodeMediaFrame(frame));
  },
  onMediaFrame(listener: (frame: MediaFrame) => void) {
    const handler = (_e: unknown, data: Uint8Array) => {
      const f = decodeMediaFrame(data);
      if (f.ok) listener(f.value);
    };
    ipcRenderer.on(IPC.frameToRenderer, handler);
    return () => void ipcRenderer.removeListener(IPC.frameToRenderer, handler);
  },
};

contextBridge.exposeInMainWorld('vouch', api);
