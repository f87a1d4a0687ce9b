import { defineConfig } from 'vitest/config'

/**
 * End-to-end tests (`npm run test:e2e`): real processes in Node — the simulator, the bridge
 * under wrangler's local runtime, Alertmanager, Chromium. One file at a time: each starts its
 * own servers, and the machine has two cores.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
})
