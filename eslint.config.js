// Lint: typescript-eslint recommended + the import directions of ARCHITECTURE.md
// (renderer -> shared <- main -> crypto) and the purity of src/crypto (tests included).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'net', 'dgram', 'tls', 'crypto', 'child_process', 'worker_threads', 'http', 'https', 'url', 'util', 'events', 'stream', 'buffer', 'process'];

function restrict(patterns, message) {
  return { 'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }] };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'e2e/artifacts/', 'test-results/', 'playwright-report/', 'bench/.build/', 'test/interop/.build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', Buffer: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/crypto/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...['window', 'document', 'navigator', 'process', 'Buffer', 'require', '__dirname', '__filename', 'localStorage', 'fetch', 'WebSocket'].map((name) => ({ name, message: 'src/crypto is pure TypeScript: no Node, Electron or DOM globals.' }))],
    },
  },
  {
    files: ['src/crypto/**/*.ts'],
    rules: restrict([...nodeBuiltins, 'electron', 'ws', 'react', 'react-dom', 'zustand', '**/main/**', '**/renderer/**', '**/preload/**', '**/shared/**', '../main/*', '../renderer/*'], 'src/crypto is pure TypeScript: no Node, Electron or DOM imports, and it imports nothing from other layers (ARCHITECTURE.md).'),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict([...nodeBuiltins, 'electron', 'ws', 'react', 'react-dom', 'zustand', '**/main/**', '**/renderer/**', '**/preload/**', '**/crypto/**'], 'src/shared runs anywhere: it imports nothing from main, renderer, preload or crypto.'),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: restrict([...nodeBuiltins, 'electron', 'ws', '**/main/**', '**/preload/**', '**/crypto/**'], 'The renderer reaches only src/shared (renderer -> shared); it never touches sockets, keys or Node.'),
  },
  {
    files: ['src/main/**/*.ts'],
    rules: restrict(['**/renderer/**', '**/preload/**'], 'main imports shared and crypto, never renderer or preload.'),
  },
  {
    files: ['src/main/core/**/*.ts', 'src/main/sip/**/*.ts', 'src/main/sdp/**/*.ts', 'src/main/call/**/*.ts', 'src/main/media/**/*.ts', 'src/main/store/**/*.ts', 'src/main/cli.ts', 'src/main/browser-shell/**/*.ts'],
    rules: restrict(['electron', '**/renderer/**', '**/preload/**'], 'Only the Electron shell (src/main/index.ts) imports electron: AppCore and the other front ends run without it.'),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(['**/main/**', '**/renderer/**', '**/crypto/**'], 'The preload exposes the typed API from src/shared and nothing more.'),
  },
);
