import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'
import { SourceConfigSchema, type SourceConfig } from '../src/config'
import { verifySlackSignature } from '../src/signatures/slack'
import { verifyStandardWebhook } from '../src/signatures/standard-webhooks'
import { ADAPTERS } from '../src/sources'
import { DEV } from '../test/e2e/harness'

export type CpuCase = {
  name: string
  /** What the baseline measures, when not `JSON.parse` of the same body. */
  baselineName?: string
  baseline: () => unknown
  run: () => Promise<unknown>
}

const encoder = new TextEncoder()
const fixture = (path: string) => readFile(join(PROJECT_ROOT, 'test/fixtures', path), 'utf8')

function context<K extends SourceConfig['kind']>(kind: K, options: Record<string, unknown> = {}) {
  const config = SourceConfigSchema.parse({ kind, ...options }) as Extract<
    SourceConfig,
    { kind: K }
  >
  return { source: kind, config, deliveryId: 'bench-delivery', receivedAt: Date.now() }
}

/** Verify + schema + adapter for the bodies each sender really sends. */
export async function cpuCases(): Promise<CpuCase[]> {
  const timestamp = String(Math.floor(Date.now() / 1000))
  const event = JSON.stringify({
    type: 'ticket.open',
    thread: 'order-1234',
    subject: 'Where is my order?',
    content: 'It has not arrived yet and the tracking page shows nothing.',
    customer: { email: 'customer@example.com', name: 'Example Customer' },
  })
  const eventBytes = encoder.encode(event)
  const eventKey = Buffer.from(DEV.eventsWebhookSecret.replace(/^whsec_/, ''), 'base64')
  const eventMac = createHmac('sha256', eventKey).update(`msg_1.${timestamp}.${event}`)
  const eventSignature = `v1,${eventMac.digest('base64')}`
  const slack = await fixture('slack/message.json')
  const slackBytes = encoder.encode(slack)
  const slackMac = createHmac('sha256', DEV.slackSigningSecret).update(`v0:${timestamp}:${slack}`)
  const slackSignature = `v0=${slackMac.digest('hex')}`
  const firing = await fixture('alertmanager/firing.json')
  const webhook = context('webhook', { secret: 'EVENTS_WEBHOOK_SECRET' })
  const slackSource = context('slack', { secret: 'SLACK_SIGNING_SECRET' })
  const alerts = context('alertmanager', { secret: 'ALERTMANAGER_TOKEN' })

  return [
    {
      name: 'webhook: Standard Webhooks verify + schema + adapter',
      baseline: () => JSON.parse(event),
      run: async () => {
        const verdict = await verifyStandardWebhook({
          secrets: [DEV.eventsWebhookSecret],
          id: 'msg_1',
          timestamp,
          signature: eventSignature,
          body: eventBytes,
          nowMs: Date.now(),
        })
        if (!verdict.ok) throw new Error(verdict.reason)
        return ADAPTERS.webhook.toEvents(ADAPTERS.webhook.schema.parse(JSON.parse(event)), webhook)
      },
    },
    {
      name: 'slack: v0 signature verify + schema + adapter',
      baseline: () => JSON.parse(slack),
      run: async () => {
        const verdict = await verifySlackSignature({
          secrets: [DEV.slackSigningSecret],
          timestamp,
          signature: slackSignature,
          body: slackBytes,
          nowMs: Date.now(),
        })
        if (!verdict.ok) throw new Error(verdict.reason)
        return ADAPTERS.slack.toEvents(ADAPTERS.slack.schema.parse(JSON.parse(slack)), slackSource)
      },
    },
    {
      // The bearer check uses workerd's crypto.subtle.timingSafeEqual, which Node lacks.
      name: 'alertmanager: schema + adapter (bearer check left out)',
      baseline: () => JSON.parse(firing),
      run: async () =>
        ADAPTERS.alertmanager.toEvents(
          ADAPTERS.alertmanager.schema.parse(JSON.parse(firing)),
          alerts,
        ),
    },
  ]
}
