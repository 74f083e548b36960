// Lint: typescript-eslint recommended + the layer allowlist of ARCHITECTURE.md (eslint-rules/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layerPlugin from './eslint-rules/layer-allowlist.js';

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
    // Every import and global of a file under src/ is on its layer's allowlist
    // (eslint-rules/layers.js): the import directions renderer -> shared <- main -> crypto, the
    // purity of src/crypto (tests included) and the Electron shell's monopoly on 'electron'.
    files: ['src/**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { vouch: layerPlugin },
    rules: { 'vouch/layer-allowlist': 'error' },
  },
);
