// The Electron window's security settings, kept apart from the 'electron' import so a unit test
// can check them without the Electron binary. ARCHITECTURE.md: contextIsolation, sandbox, no
// nodeIntegration, strict CSP, navigation and new windows blocked.

export { IPC } from '../../shared/ipc-channels';

export function browserWindowOptions(preloadPath: string) {
  return {
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: 'Vouch',
    show: false,
    backgroundColor: '#101418',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
    },
  } as const;
}

/** Permissions the renderer may get: camera and microphone for calls, nothing else. */
export function isPermissionAllowed(permission: string, mediaTypes: readonly string[] = []): boolean {
  if (permission !== 'media') return false;
  return mediaTypes.every((t) => t === 'audio' || t === 'video');
}

/** IPC is answered only for the app's own page (file:// of the built renderer, or the dev server). */
export function isTrustedSender(frameUrl: string, rendererUrl: string): boolean {
  try {
    const got = new URL(frameUrl);
    const want = new URL(rendererUrl);
    if (want.protocol === 'file:') return got.protocol === 'file:' && got.pathname === want.pathname;
    return got.origin === want.origin;
  } catch {
    return false;
  }
}
