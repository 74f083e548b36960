// electron-vite builds four things into out/: main (the Electron entry, the CLI, the browser
// shell and the media worker, each its own ESM entry), the sandboxed preload (CommonJS) and the
// renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Memory (issue 23): the media worker's noble crypto is bundled into worker.js (one script, dead
      // code shaken out) rather than loaded as ~40 modules from node_modules, and main's output is
      // compressed without renaming (names stay in stack traces): V8 keeps each script's source and
      // its compile data resident, so this is ~4 MB less idle RSS for the CLI (81 -> 77 MB).
      externalizeDeps: { exclude: ['@noble/ciphers', '@noble/curves', '@noble/hashes', '@noble/post-quantum'] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli-entry.ts'),
          browser: resolve('src/main/browser.ts'),
          worker: resolve('src/main/media/worker/worker.ts'),
        },
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks-[name]-[hash].js',
          minify: { compress: true, mangle: false, codegen: { removeWhitespace: true } },
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    // libopus's WebAssembly module is imported with ?inline (renderer/media/libopus-module.ts),
    // which Vite does only for files it counts as assets.
    assetsInclude: ['**/*.wasm'],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
