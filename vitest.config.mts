import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

/** The simulator that tests talk to (started by test/helpers/global-setup.ts, in Node). */
export const SIM_TEST_PORT = 18788

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          UDESK_BASE_URL: `http://127.0.0.1:${SIM_TEST_PORT}/open_api_v1`,
          UDESK_API_TOKEN: 'dev-udesk-token',
          UDESK_MAX_REQUESTS_PER_MINUTE: '6000',
          UDESK_TIMEOUT_MS: '2000',
          ADMIN_TOKEN: 'dev-admin-token',
          SLACK_SIGNING_SECRET: 'dev-slack-signing-secret',
          ALERTMANAGER_TOKEN: 'dev-alertmanager-token',
          GRAFANA_TOKEN: 'dev-grafana-token',
          EVENTS_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
          SIM_URL: `http://127.0.0.1:${SIM_TEST_PORT}`,
        },
        queueConsumers: {
          'udesk-bridge-deliveries': { maxBatchTimeout: 0.05 },
          'udesk-bridge-dead-letters': { maxBatchTimeout: 0.05 },
        },
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**'],
    globalSetup: ['./test/helpers/global-setup.ts'],
  },
})
