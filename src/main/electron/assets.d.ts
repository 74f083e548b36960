// electron-vite's `?asset` imports in the main process: the file is copied into out/ (so it is in
// the packaged app.asar) and the import is its path at run time.
/// <reference types="electron-vite/node" />
