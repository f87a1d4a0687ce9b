import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { unstable_readConfig } from 'wrangler'
import { defineConfig } from 'vitest/config'
import { startTestSimulator } from './test/helpers/global-setup'

/**
 * The simulator that tests talk to, in Node, on a port the kernel picks: a taken port never
 * fails `npm test`. It is started here because the Worker bindings below need its URL;
 * test/helpers/global-setup.ts closes it when the run ends.
 */
const SIM_URL = (await startTestSimulator()).url

/** Cloudflare's documented Turnstile test secret keys (the simulator's siteverify honours them). */
const TURNSTILE_TEST_SECRETS = {
  TURNSTILE_PASS_SECRET: '1x0000000000000000000000000000000AA',
  TURNSTILE_FAIL_SECRET: '2x0000000000000000000000000000000AA',
  TURNSTILE_SPENT_SECRET: '3x0000000000000000000000000000000AA',
}

/** The edge worker's config (wrangler.toml); the core's (wrangler.core.toml) is the base below. */
const EDGE = unstable_readConfig({ config: './wrangler.toml' })

/**
 * The edge's bindings the core has not, for the combined entry (src/index.ts): the form rate
 * limiter. (Its CORE service binding is not needed: the combined entry serves both sides.)
 */
type RateLimit = { name: string; simple: { limit: number; period: number } }
const EDGE_RATELIMITS = Object.fromEntries(
  (EDGE.ratelimits as RateLimit[]).map(({ name, simple }) => [name, { simple }]),
)

/**
 * wrangler.toml's five sources plus variants the inbound tests need (Turnstile, strict origins,
 * custom field map, small and large body limits, secrets mid-rotation, alert auth modes).
 */
const TEST_SOURCES = {
  ...(EDGE.vars.SOURCES as object),
  'contact-turnstile': { kind: 'form', turnstileSecret: 'TURNSTILE_PASS_SECRET' },
  'contact-turnstile-fails': { kind: 'form', turnstileSecret: 'TURNSTILE_FAIL_SECRET' },
  'contact-turnstile-spent': { kind: 'form', turnstileSecret: 'TURNSTILE_SPENT_SECRET' },
  'contact-strict': {
    kind: 'form',
    allowedOrigins: ['https://www.example.com'],
    thankYouUrl: 'https://www.example.com/thanks',
    subject: 'Sales enquiry',
    fieldMap: { company: 'TextField_1' },
    maxBodyBytes: 4096,
    ticket: { tags: ['sales'], priority: 'high' },
  },
  'contact-large': { kind: 'form', maxBodyBytes: 30 * 1024 * 1024 },
  'contact-formspree': {
    kind: 'form',
    allowedOrigins: ['https://www.example.com'],
    allowedRedirects: ['https://www.example.com'],
  },
  'slack-shared': {
    kind: 'slack',
    secret: 'SLACK_ROTATING_SECRETS',
    channels: { C0SHARED01: { customerEmail: 'ops@client.example.com' } },
  },
  'events-rotating': { kind: 'webhook', secret: 'EVENTS_ROTATING_SECRETS' },
  'slack-workspace': {
    kind: 'slack',
    secret: 'SLACK_SIGNING_SECRET',
    workspaceUrl: 'https://acme.slack.com',
  },
  'alertmanager-scheme': {
    kind: 'alertmanager',
    secret: 'ALERTMANAGER_TOKEN',
    auth: { type: 'authorization', scheme: 'Token' },
  },
  'alertmanager-clusters': {
    kind: 'alertmanager',
    secret: 'ALERTMANAGER_TOKEN',
    threadBy: ['externalURL'],
    ticket: { priority: 'medium' },
  },
  'grafana-hmac': {
    kind: 'grafana',
    secret: 'GRAFANA_HMAC_SECRETS',
    auth: { type: 'grafana-hmac' },
  },
  'grafana-hmac-body': {
    kind: 'grafana',
    secret: 'GRAFANA_HMAC_SECRETS',
    auth: { type: 'grafana-hmac', timestampHeader: '' },
  },
}

export default defineConfig({
  plugins: [
    // The unit tests run both workers' routes in one (src/index.ts, built from the same modules
    // as src/edge.ts and src/core.ts) on the core's bindings plus the edge's own; the split
    // itself runs in test/e2e (split.test.ts).
    cloudflareTest({
      main: './src/index.ts',
      wrangler: { configPath: './wrangler.core.toml' },
      miniflare: {
        ratelimits: EDGE_RATELIMITS,
        bindings: {
          UDESK_BASE_URL: `${SIM_URL}/open_api_v1`,
          UDESK_API_TOKEN: 'dev-udesk-token',
          UDESK_MAX_REQUESTS_PER_MINUTE: '6000',
          UDESK_TIMEOUT_MS: '2000',
          ADMIN_TOKEN: 'dev-admin-token',
          SLACK_SIGNING_SECRET: 'dev-slack-signing-secret',
          ALERTMANAGER_TOKEN: 'dev-alertmanager-token',
          GRAFANA_TOKEN: 'dev-grafana-token',
          EVENTS_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
          SIM_URL,
          TURNSTILE_VERIFY_URL: `${SIM_URL}/turnstile/v0/siteverify`,
          ...TURNSTILE_TEST_SECRETS,
          SLACK_ROTATING_SECRETS: 'new-slack-signing-secret dev-slack-signing-secret',
          GRAFANA_HMAC_SECRETS: 'new-grafana-hmac-secret dev-grafana-hmac-secret',
          EVENTS_ROTATING_SECRETS:
            'whsec_bmV3IGV2ZW50cyBrZXksIDMyIGJ5dGVzIGxvbmcuLi4= whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
          SOURCES: TEST_SOURCES,
          // Two-way, as under npm start: the simulator's Slack double and webhook receiver.
          SLACK_BOT_TOKEN: 'xoxb-dev-slack-bot-token',
          SLACK_API_URL: `${SIM_URL}/slack/api`,
          UDESK_HOOK_TOKEN: 'dev-udesk-hook-token',
          EVENTS_REPLY_SECRET: 'whsec_LWNM5nSJBfEA2EeizrQ4LTEIdHxspwSY',
          EVENTS_REPLY_URL: `${SIM_URL}/_sim/receiver/events`,
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
