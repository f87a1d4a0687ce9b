import { createHmac, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'
import { DEV } from '../test/e2e/harness'

export type HttpCase = {
  name: string
  status: number
  send: (n: number) => Promise<Response>
  /** Run once before measuring (e.g. the first delivery of what is then replayed). */
  prime?: () => Promise<unknown>
}

const run = randomUUID().slice(0, 8)
const firing = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'test/fixtures/alertmanager/firing.json'), 'utf8'),
) as Record<string, unknown>

/** Standard Webhooks v1 headers for one delivery, signed with the development secret. */
function signedEvent(id: string, body: string): RequestInit {
  const timestamp = String(Math.floor(Date.now() / 1000))
  const key = Buffer.from(DEV.eventsWebhookSecret.replace(/^whsec_/, ''), 'base64')
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${mac}`,
    },
    body,
  }
}

function ticketOpen(n: number): string {
  return JSON.stringify({
    type: 'ticket.open',
    thread: `bench-${run}-${n}`,
    subject: `Benchmark ticket ${n}`,
    content: 'A customer writes in: the order page keeps loading forever.',
    customer: { email: `bench-${n}@example.com`, name: 'Bench Customer' },
  })
}

export function httpCases(bridgeUrl: string) {
  const replayed = signedEvent(`msg_bench_${run}_replay`, ticketOpen(-1))
  const resentForm: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      email: 'bench@example.com',
      message: 'Please call me back about my order.',
      _submission_id: `bench-${run}-form`,
    }).toString(),
  }
  const baseline: HttpCase = {
    name: 'GET /healthz',
    status: 200,
    send: () => fetch(`${bridgeUrl}/healthz`),
  }
  const subjects: HttpCase[] = [
    {
      name: 'POST /webhooks/events, signed ticket.open (202)',
      status: 202,
      send: (n) =>
        fetch(`${bridgeUrl}/webhooks/events`, signedEvent(`msg_bench_${run}_${n}`, ticketOpen(n))),
    },
    {
      name: 'POST /webhooks/events, replayed delivery (200 duplicate)',
      status: 200,
      prime: () => fetch(`${bridgeUrl}/webhooks/events`, replayed),
      send: () => fetch(`${bridgeUrl}/webhooks/events`, replayed),
    },
    {
      // An anonymous duplicate writes no shared state: no stats object on its path at all.
      name: 'POST /webhooks/contact, re-sent form (200 duplicate, no stats write)',
      status: 200,
      prime: () => fetch(`${bridgeUrl}/webhooks/contact`, resentForm),
      send: () => fetch(`${bridgeUrl}/webhooks/contact`, resentForm),
    },
    {
      name: 'POST /webhooks/alertmanager, bearer, new group (202)',
      status: 202,
      send: (n) =>
        fetch(`${bridgeUrl}/webhooks/alertmanager`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${DEV.alertmanagerToken}`,
          },
          body: JSON.stringify({ ...firing, groupKey: `{}:{bench="${run}-${n}"}` }),
        }),
    },
  ]
  return { baseline, subjects }
}
