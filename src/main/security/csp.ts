// The renderer's Content-Security-Policy, one definition for both shells. No inline script, no
// eval, no remote code; media and images only from the app itself or blob:. The browser shell
// adds its own WebSocket origin to connect-src; Electron connects to nothing.
// 'wasm-unsafe-eval' lets the renderer compile WebAssembly, and nothing else (CSP Level 3: no
// eval, no Function, no inline script): libopus's module, bundled with the app, decodes Opus
// with in-band FEC and PLC (renderer/media/libopus-module.ts, issue 24).

export function contentSecurityPolicy(options: { connectSrc?: string[] } = {}): string {
  const connect = ["'self'", ...(options.connectSrc ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
