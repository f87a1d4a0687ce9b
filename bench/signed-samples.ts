import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'
import { DEV } from '../test/e2e/harness'

/** One request as a sender sends it to a bench source, signed with the development secrets. */
export interface SignedSample {
  name: string
  /** Source name in the bench's SOURCES. */
  source: string
  headers: [string, string][]
  /** The body, base64. */
  body: string
  /** What `JSON.parse` parses as the baseline: the body, or for forms the same fields as JSON. */
  baselineJson: string
}

const fixture = (path: string) => readFile(join(PROJECT_ROOT, 'test/fixtures', path), 'utf8')
const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64')
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data)
/** About 1 KB of a customer's words, to bring each body to the size the goal names. */
const WORDS = 'The order page keeps loading and the tracking link shows nothing at all. '.repeat(11)

/** Standard Webhooks, Slack, Alertmanager bearer and basic, Grafana HMAC, and both forms. */
export async function signedSamples(nowS = Math.floor(Date.now() / 1000)): Promise<SignedSample[]> {
  const json = (name: string, source: string, body: string, headers: [string, string][]) => ({
    name,
    source,
    headers: [['content-type', 'application/json'], ...headers] as [string, string][],
    body: base64(body),
    baselineJson: body,
  })
  const event = JSON.stringify({
    type: 'ticket.open',
    thread: 'order-1234',
    subject: 'Where is my order?',
    content: WORDS,
    customer: { email: 'customer@example.com', name: 'Example Customer' },
  })
  const eventKey = Buffer.from(DEV.eventsWebhookSecret.replace(/^whsec_/, ''), 'base64')
  const slackMessage = JSON.parse(await fixture('slack/message.json'))
  slackMessage.event.text = WORDS
  const slack = JSON.stringify(slackMessage)
  const firing = await fixture('alertmanager/firing.json')
  const grafana = await fixture('grafana/firing.json')
  const basic = base64(`alertmanager:${DEV.alertmanagerToken}`)
  return [
    json('webhook: Standard Webhooks', 'events', event, [
      ['webhook-id', 'msg_bench'],
      ['webhook-timestamp', String(nowS)],
      ['webhook-signature', `v1,${hmac(eventKey, `msg_bench.${nowS}.${event}`).digest('base64')}`],
    ]),
    json('slack: v0 signature', 'slack', slack, [
      ['x-slack-request-timestamp', String(nowS)],
      [
        'x-slack-signature',
        `v0=${hmac(DEV.slackSigningSecret, `v0:${nowS}:${slack}`).digest('hex')}`,
      ],
    ]),
    json('alertmanager: bearer', 'alertmanager', firing, [
      ['authorization', `Bearer ${DEV.alertmanagerToken}`],
    ]),
    json('alertmanager: basic', 'alertmanager', firing, [['authorization', `Basic ${basic}`]]),
    json('grafana: HMAC', 'grafana', grafana, [
      ['x-grafana-alerting-signature', hmac(DEV.grafanaToken, `${nowS}:${grafana}`).digest('hex')],
      ['x-grafana-alerting-signature-timestamp', String(nowS)],
    ]),
    ...formSamples(),
  ]
}

function formSamples(): SignedSample[] {
  const fields = {
    email: 'visitor@example.com',
    name: 'Website Visitor',
    subject: 'Question about my order',
    message: WORDS,
  }
  const boundary = '----bench-boundary-7MA4YWxkTrZu0gW'
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  )
  const file =
    `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="receipt.txt"\r\n` +
    `Content-Type: text/plain\r\n\r\n${'Receipt line. '.repeat(16)}\r\n`
  const multipart = `${parts.join('')}${file}--${boundary}--\r\n`
  return [
    {
      name: 'form: urlencoded',
      source: 'contact',
      headers: [['content-type', 'application/x-www-form-urlencoded']],
      body: base64(new URLSearchParams(fields).toString()),
      baselineJson: JSON.stringify(fields),
    },
    {
      name: 'form: multipart with a file',
      source: 'contact',
      headers: [['content-type', `multipart/form-data; boundary=${boundary}`]],
      body: base64(multipart),
      baselineJson: JSON.stringify(fields),
    },
  ]
}
