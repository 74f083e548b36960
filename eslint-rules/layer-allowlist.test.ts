// The layer lint itself, run through ESLint's Node API with the repo's own eslint.config.js on
// fixture sources placed (virtually) at paths in each layer: the holes the old denylist had
// must fail, and each layer's ordinary imports and globals must pass.
import { describe, it, expect, beforeAll } from 'vitest';
import { ESLint, type Linter } from 'eslint';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const RULE = 'vouch/layer-allowlist';
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repo, overrideConfigFile: fileURLToPath(new URL('../eslint.config.js', import.meta.url)) });
});

async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
  const fatal = result.messages.filter((m) => m.fatal || m.ruleId === null);
  expect(fatal, `${filePath} must parse and not be ignored`).toEqual([]);
  return result.messages.filter((m) => m.ruleId === RULE);
}

interface Fixture {
  what: string;
  file: string;
  code: string;
  /** A piece of the message the lint must give (names the culprit). */
  says?: string;
}

const mustFail: Fixture[] = [
  { what: "electron in src/main/security (old hole)", file: 'src/main/security/csp.ts', code: "import { app } from 'electron';\nexport const a = app;", says: "'electron'" },
  { what: 'werift-rtp in src/crypto (old hole)', file: 'src/crypto/srtp/x.ts', code: "import { RtpPacket } from 'werift-rtp';\nexport const p = RtpPacket;", says: "'werift-rtp'" },
  { what: 'tsx/esm/api in src/crypto (old hole)', file: 'src/crypto/x.ts', code: "import { register } from 'tsx/esm/api';\nexport const r = register;", says: "'tsx/esm/api'" },
  { what: 'globalThis.crypto in src/crypto (old hole)', file: 'src/crypto/zrtp/x.ts', code: 'export const c = globalThis.crypto;', says: 'globalThis.crypto' },
  { what: "globalThis['crypto'] in src/crypto", file: 'src/crypto/zrtp/x.ts', code: "export const c = globalThis['crypto'];", says: 'globalThis.crypto' },
  { what: 'globalThis handed around in src/crypto', file: 'src/crypto/zrtp/x.ts', code: 'const g = globalThis;\nexport const c = g;', says: 'globalThis' },
  { what: 'self in src/crypto (old hole)', file: 'src/crypto/x.ts', code: 'export const s = self;', says: "'self'" },
  { what: 'window in src/shared (old hole)', file: 'src/shared/x.ts', code: "export const w = typeof window === 'undefined' ? 0 : 1;", says: "'window'" },
  { what: 'node:fs in the renderer', file: 'src/renderer/state/x.ts', code: "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;", says: "'node:fs'" },
  { what: 'the renderer importing main', file: 'src/renderer/state/x.ts', code: "import { AppCore } from '../../main/core/app-core';\nexport const a = AppCore;", says: 'src/main' },
  { what: 'the renderer importing main as a type', file: 'src/renderer/state/x.ts', code: "export type A = import('../../main/core/app-core').AppCore;", says: 'src/main' },
  { what: 'process in the renderer', file: 'src/renderer/App.tsx', code: 'export const e = process.env.HOME;', says: "'process'" },
  { what: 'Web Crypto in the renderer (it holds no keys)', file: 'src/renderer/media/x.ts', code: 'export const k = crypto.subtle;', says: "'crypto'" },
  { what: 'an unknown package in the renderer', file: 'src/renderer/App.tsx', code: "import { debounce } from 'lodash';\nexport const d = debounce;", says: "'lodash'" },
  { what: 'node:crypto in a src/crypto test (purity covers tests)', file: 'src/crypto/srtp/x.test.ts', code: "import { createHmac } from 'node:crypto';\nexport const h = createHmac;", says: "'node:crypto'" },
  { what: 'Buffer in src/crypto', file: 'src/crypto/srtp/x.ts', code: 'export const b = Buffer.alloc(4);', says: "'Buffer'" },
  { what: 'process in a src/crypto test', file: 'src/crypto/srtp/x.test.ts', code: 'export const e = process.env.CI;', says: "'process'" },
  { what: 'a dynamic node import in src/crypto', file: 'src/crypto/x.ts', code: "export const fs = () => import('node:fs');", says: "'node:fs'" },
  { what: 'src/crypto importing src/shared', file: 'src/crypto/zrtp/x.ts', code: "import { PROTOCOL_VERSION } from '../../shared/api';\nexport const v = PROTOCOL_VERSION;", says: 'src/shared' },
  { what: 'src/shared importing src/main', file: 'src/shared/x.ts', code: "export * from '../main/options';", says: 'src/main' },
  { what: 'main re-exporting from the renderer', file: 'src/main/core/x.ts', code: "export { useStore } from '../../renderer/state/store';", says: 'src/renderer' },
  { what: 'electron (type only) in AppCore', file: 'src/main/core/x.ts', code: "import type { BrowserWindow } from 'electron';\nexport type W = BrowserWindow;", says: "'electron'" },
  { what: 'electron in a main test', file: 'src/main/electron/x.test.ts', code: "import { app } from 'electron';\nexport const a = app;", says: "'electron'" },
  { what: 'a bare Node builtin in main', file: 'src/main/sip/x.ts', code: "import { Socket } from 'net';\nexport const s = Socket;", says: "'node:net'" },
  { what: 'werift-rtp outside the media tests', file: 'src/main/media/rtp/header.ts', code: "import { RtpPacket } from 'werift-rtp';\nexport const p = RtpPacket;", says: "'werift-rtp'" },
  { what: 'tsx/esm/api through createRequire outside the worker host', file: 'src/main/media/x.ts', code: "import { createRequire } from 'node:module';\nconst req = createRequire(import.meta.url);\nexport const t = req.resolve('tsx/esm/api');", says: "'tsx/esm/api'" },
  { what: 'a computed module specifier', file: 'src/main/x.ts', code: 'export const load = (name: string) => import(name);', says: 'string literal' },
  { what: 'electron beyond contextBridge/ipcRenderer in the preload', file: 'src/preload/index.ts', code: "import { shell } from 'electron';\nexport const s = shell;", says: 'shell' },
  { what: 'all of electron in the preload', file: 'src/preload/index.ts', code: "import * as electron from 'electron';\nexport const e = electron;", says: 'whole module' },
  { what: 'window in the audio worklet', file: 'src/renderer/media/audio-worklet.ts', code: 'export const w = window;', says: "'window'" },
  { what: 'a file under src/ in no layer', file: 'src/tools/x.ts', code: 'export const x = 1;', says: 'no layer' },
];

const mustPass: Fixture[] = [
  {
    what: 'src/crypto: @noble, relative crypto imports, ECMAScript globals',
    file: 'src/crypto/zrtp/x.ts',
    code: "import { sha256 } from '@noble/hashes/sha2.js';\nimport { x25519 } from '@noble/curves/ed25519.js';\nimport { PacketBuffer } from '../packet-buffer';\nexport const f = (b: Uint8Array) => [sha256(b), x25519, PacketBuffer, Math.max(1, Number.MAX_SAFE_INTEGER), new DataView(new ArrayBuffer(4, { maxByteLength: 8 })), new Map<string, bigint>([['a', BigInt(1)]]), JSON.stringify({}), undefined, Symbol.iterator, new Error('x'), globalThis.Uint8Array];",
  },
  {
    what: 'a src/crypto test: vitest, fast-check, text encoding for RFC vectors',
    file: 'src/crypto/srtp/x.test.ts',
    code: "import { describe, it, expect } from 'vitest';\nimport fc from 'fast-check';\nimport { PacketBuffer } from '../packet-buffer';\ndescribe('x', () => it('y', () => expect([fc, PacketBuffer, new TextEncoder().encode('Jefe')]).toBeTruthy()));",
  },
  {
    what: 'src/shared: relative shared imports and ECMAScript globals',
    file: 'src/shared/x.ts',
    code: "import { encodeMediaFrame } from './wire';\nimport type { VouchApi } from './api';\nexport type A = VouchApi;\nexport const e = [encodeMediaFrame, new Int16Array(160), Math.round(1.5), Object.freeze({}), Promise.resolve(1)];",
  },
  {
    what: 'src/main: node:*, ws, @noble, shared, crypto, Node globals',
    file: 'src/main/sip/x.ts',
    code: "import { createSocket } from 'node:dgram';\nimport { readFile } from 'node:fs/promises';\nimport { WebSocketServer } from 'ws';\nimport { hmac } from '@noble/hashes/hmac.js';\nimport { decodeClientMessage } from '../../shared/wire';\nimport { PacketBuffer } from '../../crypto/packet-buffer';\nimport { AppCore } from '../core/app-core';\nexport const all = [createSocket, readFile, WebSocketServer, hmac, decodeClientMessage, PacketBuffer, AppCore, process.env.HOME, Buffer.alloc(1), setTimeout, setImmediate, console, performance.now(), new URL('file:///x'), new TextDecoder()];",
  },
  { what: 'the Electron entry imports electron', file: 'src/main/index.ts', code: "import { app, BrowserWindow } from 'electron';\nexport const e = [app, BrowserWindow];" },
  { what: 'src/main/electron/ imports electron', file: 'src/main/electron/x.ts', code: "import { session } from 'electron';\nexport const s = session;" },
  { what: 'the worker host resolves the tsx loader', file: 'src/main/media/host/worker-host.ts', code: "import { createRequire } from 'node:module';\nexport const t = createRequire(import.meta.url).resolve('tsx/esm/api');" },
  { what: 'a media test cross-checks with werift-rtp', file: 'src/main/media/rtp/x.test.ts', code: "import { it, expect } from 'vitest';\nimport { RtpPacket } from 'werift-rtp';\nit('x', () => expect(RtpPacket).toBeTruthy());" },
  {
    what: 'a main test: node:*, test/interop helpers, fetch',
    file: 'src/main/core/x.test.ts',
    code: "import { it, expect } from 'vitest';\nimport fc from 'fast-check';\nimport { mkdtempSync } from 'node:fs';\nimport { startVouchPeer } from '../../../test/interop/vouch-peer';\nit('x', async () => expect([fc, mkdtempSync, startVouchPeer, await fetch('http://127.0.0.1:1/').catch(() => 0)]).toBeTruthy());",
  },
  { what: 'the preload: contextBridge, ipcRenderer, shared', file: 'src/preload/index.ts', code: "import { contextBridge, ipcRenderer } from 'electron';\nimport { IPC_INVOKE } from '../shared/ipc-channels';\ncontextBridge.exposeInMainWorld('vouch', { ipcRenderer, IPC_INVOKE });" },
  {
    what: 'the renderer: react, react-dom, zustand, shared, assets, DOM and WebCodecs globals',
    file: 'src/renderer/media/x.tsx',
    code: "import { useState } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport { create } from 'zustand';\nimport { decodeMediaFrame } from '../../shared/wire';\nimport { useStore } from '../state/store';\nimport ringtone from '../../../assets/ringtone.wav';\nexport const all = [useState, createRoot, create, decodeMediaFrame, useStore, ringtone, window.innerWidth, document.body, navigator.mediaDevices, VideoEncoder, new AudioContext(), requestAnimationFrame, localStorage, new WebSocket('ws://127.0.0.1:1')];",
  },
  { what: 'a renderer test: vitest, react-dom/server', file: 'src/renderer/components/x.test.tsx', code: "import { it, expect } from 'vitest';\nimport { renderToStaticMarkup } from 'react-dom/server';\nit('x', () => expect(renderToStaticMarkup(<p>x</p>)).toContain('x'));" },
  { what: 'the audio worklet: its own global scope', file: 'src/renderer/media/audio-worklet.ts', code: "import { PlayoutRing } from './playout-ring';\nexport const r = () => [registerProcessor, sampleRate, currentTime, AudioWorkletProcessor, PlayoutRing, Math.round(1)];" },
  { what: 'type-only mention of a host type in src/crypto', file: 'src/crypto/x.ts', code: 'export type T = Window | typeof globalThis;' },
  { what: 'files outside src/ are not layered', file: 'test/interop/x.ts', code: "import { spawn } from 'node:child_process';\nimport { RtpPacket } from 'werift-rtp';\nexport const x = [spawn, RtpPacket, process.env];" },
];

describe('layer allowlist lint', () => {
  it.each(mustFail)('fails: $what', async ({ file, code, says }) => {
    const messages = await lint(file, code);
    expect(messages.length, `${file}: expected a layer-allowlist error`).toBeGreaterThan(0);
    expect(messages.map((m) => m.message).join('\n')).toContain(says);
  });

  it.each(mustPass)('passes: $what', async ({ file, code }) => {
    expect((await lint(file, code)).map((m) => `${m.line}:${m.column} ${m.message}`)).toEqual([]);
  });

  it('names the layer and what to do', async () => {
    const [message] = await lint('src/shared/x.ts', 'export const w = window;');
    expect(message.message).toContain('src/shared');
    expect(message.message).toContain('eslint-rules/layers.js');
  });
});
