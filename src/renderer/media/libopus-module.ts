// libopus as WebAssembly for the renderer's Opus receiver (opus-receiver.ts): the module file the
// npm package @evan/opus ships (wasm/opus.wasm, libopus BSD-3-Clause, bindings MIT), inlined into
// the bundle by Vite, so nothing is fetched (the renderer has no fetch, eslint-rules/layers.js).
// Compiling it needs 'wasm-unsafe-eval' in the CSP's script-src (src/main/security/csp.ts): it
// allows WebAssembly compilation only, not eval or inline script.
import moduleDataUrl from '@evan/opus/wasm/opus.wasm?inline';
import { LIBOPUS_IMPORTS, type LibopusExports } from '../../shared/audio/libopus';

let loading: Promise<LibopusExports> | null = null;

/** The one libopus instance of this window (compiled asynchronously: Chromium refuses a large synchronous compile on the main thread). */
export function loadLibopus(): Promise<LibopusExports> {
  loading ??= WebAssembly.instantiate(dataUrlBytes(moduleDataUrl), LIBOPUS_IMPORTS).then((r) => r.instance.exports as unknown as LibopusExports);
  loading.catch(() => {
    loading = null; // let a later call try again
  });
  return loading;
}

/** The bytes of a base64 data: URL. */
function dataUrlBytes(url: string): Uint8Array<ArrayBuffer> {
  const text = atob(url.slice(url.indexOf(',') + 1));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
