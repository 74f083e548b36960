// Electron IPC channel names, shared by the preload and the Electron main process.
export const IPC = {
  request: 'vouch:request',
  event: 'vouch:event',
  frameToMain: 'vouch:frame-to-main',
  frameToRenderer: 'vouch:frame-to-renderer',
} as const;
