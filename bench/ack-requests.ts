import { createHmac, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'
import { DEV } from '../test/e2e/harness'

/**
 * The acknowledgment matrix's requests, one builder per source kind, signed as each vendor
 * signs them (Node's crypto, synchronous: autocannon builds each request in its loop). Every
 * call returns a new delivery (fresh ids, groups, message timestamps, client addresses), so the
 * bridge accepts each one instead of answering `duplicate`; the same request stream goes to the
 * bare worker as its baseline.
 */
export type AckRequest = {
  method: 'POST'
  path: string
  headers: Record<string, string>
  body: string | Buffer
}

export type AckCase = {
  name: string
  /** What the bridge answers each request with (the bare worker always answers 202). */
  status: number
  /** The n-th request of a run (n counts from 0 within the run). */
  request: (n: number) => AckRequest
  /** Sent once to the bridge before measuring (the first delivery of what is then replayed). */
  prime?: () => AckRequest
}

/** The bench's grafana source signs with Grafana's HMAC; the development config has none. */
export const BENCH_SOURCES = {
  contact: { kind: 'form', honeypot: '_gotcha', allowedOrigins: ['*'] },
  slack: { kind: 'slack', secret: 'SLACK_SIGNING_SECRET' },
  alertmanager: {
    kind: 'alertmanager',
    secret: 'ALERTMANAGER_TOKEN',
    auth: [{ type: 'bearer' }, { type: 'basic', username: 'alertmanager' }],
  },
  grafana: { kind: 'grafana', secret: 'GRAFANA_TOKEN', auth: [{ type: 'grafana-hmac' }] },
  events: { kind: 'webhook', secret: 'EVENTS_WEBHOOK_SECRET' },
}

const fixture = (path: string) =>
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/fixtures', path), 'utf8')) as Record<
    string,
    unknown
  >
const alertmanagerFiring = fixture('alertmanager/firing.json')
const grafanaFiring = fixture('grafana/firing.json')
const slackMessage = fixture('slack/message.json') as { event: Record<string, unknown> }

const json = { 'content-type': 'application/json' }
const seconds = () => String(Math.floor(Date.now() / 1000))
const run = randomUUID().slice(0, 8)

/** Standard Webhooks v1: base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, whsec_ key. */
export function signedEvent(id: string, body: string): AckRequest {
  const timestamp = seconds()
  const key = Buffer.from(DEV.eventsWebhookSecret.replace(/^whsec_/, ''), 'base64')
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${mac}`,
  }
  return { method: 'POST', path: '/webhooks/events', headers: { ...json, ...headers }, body }
}

export function ticketOpen(thread: string, n: number): string {
  return JSON.stringify({
    type: 'ticket.open',
    thread,
    subject: `Benchmark ticket ${n}`,
    content: 'A customer writes in: the order page keeps loading forever.',
    customer: { email: `bench-${n}@example.com`, name: 'Bench Customer' },
  })
}

/** Slack Events API: `v0=` hex HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function slackEvent(event: Record<string, unknown>, eventId: string): AckRequest {
  const body = JSON.stringify({ ...slackMessage, event, event_id: eventId })
  const timestamp = seconds()
  const mac = createHmac('sha256', DEV.slackSigningSecret)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex')
  const headers = { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${mac}` }
  return { method: 'POST', path: '/webhooks/slack', headers: { ...json, ...headers }, body }
}

/**
 * A person's channel message with its own `ts` (its identity, so each is a new delivery) and
 * the `client_msg_id` Slack's clients put on what people write (a second replay key).
 */
export function slackMessageAt(n: number, extra: Record<string, unknown> = {}): AckRequest {
  const ts = `${1_700_000_000 + n}.${run.slice(0, 6)}`
  const client_msg_id = `${run}-${n}`
  const event = { ...slackMessage.event, ts, event_ts: ts, client_msg_id, ...extra }
  return slackEvent(event, `Ev${run}${n}`)
}

function alertmanager(n: number, authorization: string): AckRequest {
  const body = JSON.stringify({ ...alertmanagerFiring, groupKey: `{}:{bench="${run}-${n}"}` })
  return {
    method: 'POST',
    path: '/webhooks/alertmanager',
    headers: { ...json, authorization },
    body,
  }
}

/** Grafana's `hmacConfig`: hex HMAC-SHA256 of `{timestamp}:{body}`, Unix seconds. */
function grafanaSigned(n: number): AckRequest {
  const body = JSON.stringify({ ...grafanaFiring, groupKey: `{}:{bench="${run}-${n}"}` })
  const timestamp = seconds()
  const mac = createHmac('sha256', DEV.grafanaToken).update(`${timestamp}:${body}`).digest('hex')
  const headers = {
    'x-grafana-alerting-signature': mac,
    'x-grafana-alerting-signature-timestamp': timestamp,
  }
  return { method: 'POST', path: '/webhooks/grafana', headers: { ...json, ...headers }, body }
}

/** Each post from its own client address, so the per-client form limit stays out of the way. */
function clientAddress(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

const urlencoded = new URLSearchParams({
  name: 'Ada Bench',
  email: 'ada@example.com',
  message: 'Please call me back about my order.',
}).toString()

/** A multipart form with a 16 KiB text file, as a browser's FormData posts it. */
function multipartBody(): { body: Buffer; contentType: string } {
  const boundary = `----bench${run}`
  const part = (headers: string, content: string) =>
    `--${boundary}\r\n${headers}\r\n\r\n${content}\r\n`
  const field = (name: string, value: string) =>
    part(`Content-Disposition: form-data; name="${name}"`, value)
  const file = part(
    'Content-Disposition: form-data; name="attachment"; filename="order.txt"\r\n' +
      'Content-Type: text/plain',
    'order line\n'.repeat(1490),
  )
  const text =
    field('name', 'Ada Bench') +
    field('email', 'ada@example.com') +
    field('message', 'The attached order never arrived.') +
    file +
    `--${boundary}--\r\n`
  return { body: Buffer.from(text), contentType: `multipart/form-data; boundary=${boundary}` }
}
const multipart = multipartBody()

function form(n: number, body: string | Buffer, contentType: string): AckRequest {
  const headers = {
    'content-type': contentType,
    accept: 'application/json',
    'cf-connecting-ip': clientAddress(n),
  }
  return { method: 'POST', path: '/webhooks/contact', headers, body }
}

const basic = `Basic ${Buffer.from(`alertmanager:${DEV.alertmanagerToken}`).toString('base64')}`
/** One delivery sent again and again, signed anew each time as a sender's retry is. */
const replayed = () => signedEvent(`msg_bench_${run}_replay`, ticketOpen(`bench-${run}-replay`, -1))

/**
 * The matrix: one row per source kind, then the duplicate path and a refusal; `only` keeps the
 * cases whose name contains one of its words (`BENCH_CASES=slack,duplicate`).
 */
export function ackCases(only?: string[]): AckCase[] {
  const cases: AckCase[] = [
    {
      name: 'Standard Webhooks, signed ticket.open',
      status: 202,
      request: (n) => signedEvent(`msg_${run}_${n}`, ticketOpen(`bench-${run}-${n}`, n)),
    },
    { name: 'Slack, signed event_callback message', status: 202, request: slackMessageAt },
    {
      name: 'Alertmanager, bearer',
      status: 202,
      request: (n) => alertmanager(n, `Bearer ${DEV.alertmanagerToken}`),
    },
    { name: 'Alertmanager, basic', status: 202, request: (n) => alertmanager(n, basic) },
    { name: 'Grafana, HMAC-signed', status: 202, request: grafanaSigned },
    {
      name: 'form, urlencoded',
      status: 202,
      request: (n) => form(n, urlencoded, 'application/x-www-form-urlencoded'),
    },
    {
      name: 'form, multipart with a 16 KiB file',
      status: 202,
      request: (n) => form(n, multipart.body, multipart.contentType),
    },
    {
      name: 'duplicate: replayed Standard Webhooks delivery',
      status: 200,
      prime: replayed,
      request: replayed,
    },
    {
      name: 'refusal: bad signature (401)',
      status: 401,
      request: (n) => {
        const signed = signedEvent(`msg_${run}_bad_${n}`, ticketOpen(`bench-${run}-bad`, n))
        return { ...signed, headers: { ...signed.headers, 'webhook-signature': 'v1,AAAA' } }
      },
    },
  ]
  return only ? cases.filter((c) => only.some((word) => c.name.includes(word))) : cases
}
