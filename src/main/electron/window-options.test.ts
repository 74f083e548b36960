// The Electron shell checked statically (the Electron binary is not on every machine): window
// security options, CSP, permissions, IPC sender check, and that the built preload is CommonJS.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { browserWindowOptions, isPermissionAllowed, isTrustedSender } from './window-options';
import { contentSecurityPolicy } from '../security/csp';

describe('Electron shell security', () => {
  it('runs the renderer isolated, sandboxed and without Node', () => {
    const w = browserWindowOptions('/app/out/preload/index.cjs').webPreferences;
    expect(w).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
    expect(w.preload.endsWith('.cjs')).toBe(true);
  });

  it('has a strict CSP: no inline or eval script, nothing remote', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    // Scripts from the app only; WebAssembly may be compiled (libopus, issue 24), which allows no eval.
    expect(csp.split('; ')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|https?:|\*/);
    expect(csp).toContain("object-src 'none'");
    const html = readFileSync('src/renderer/index.html', 'utf8');
    expect(html).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(html).not.toMatch(/'unsafe-(inline|eval)'/);
  });

  it('grants camera and microphone only', () => {
    expect(isPermissionAllowed('media', ['audio', 'video'])).toBe(true);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'midi', 'display-capture']) expect(isPermissionAllowed(p)).toBe(false);
  });

  it('answers IPC only from the app page', () => {
    expect(isTrustedSender('file:///app/out/renderer/index.html', 'file:///app/out/renderer/index.html')).toBe(true);
    expect(isTrustedSender('file:///tmp/evil.html', 'file:///app/out/renderer/index.html')).toBe(false);
    expect(isTrustedSender('https://evil.example', 'http://127.0.0.1:5173')).toBe(false);
    expect(isTrustedSender('not a url', 'http://127.0.0.1:5173')).toBe(false);
  });

  it('emits the preload as CommonJS (a sandboxed preload cannot be an ES module)', () => {
    const built = 'out/preload/index.cjs';
    const config = readFileSync('electron.vite.config.ts', 'utf8');
    expect(config).toMatch(/preload:[\s\S]*format: 'cjs'/);
    if (existsSync(built)) {
      const code = readFileSync(built, 'utf8');
      expect(code).toMatch(/require\(["']electron["']\)/);
      expect(code).not.toMatch(/^\s*import\s/m);
      expect(code).not.toMatch(/^\s*export\s/m);
    }
  });
});
