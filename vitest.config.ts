import { defineConfig } from 'vitest/config';

// Unit and interop tests. Tests that start the media worker run its TypeScript source through the
// tsx loader (see src/main/media/host/worker-host.ts), so no build is needed before `vitest run`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts', 'eslint-rules/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // No retries: a test that needs one is a bug.
    retry: 0,
    maxWorkers: 2,
    reporters: process.env.VOUCH_TEST_JSON ? ['default', ['json', { outputFile: process.env.VOUCH_TEST_JSON }]] : ['default'],
  },
});
