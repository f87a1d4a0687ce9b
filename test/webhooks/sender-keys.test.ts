import { afterEach, describe, it, vi } from 'vitest'
import firing from '../fixtures/alertmanager/firing.json'
import grafanaFiring from '../fixtures/grafana/firing.json'
import legacy from '../fixtures/grafana/legacy-alerting.json'
import message from '../fixtures/slack/message.json'
import {
  bearerRequest,
  DEV_SECRETS,
  post,
  slackRequest,
  standardWebhookRequest,
} from '../helpers/signed-request'
import { send, settledTicket } from './alert-tickets'
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

/**
 * Sender-chosen strings that name properties of every plain object. Looked up in config they
 * once gave a 500 (which Alertmanager retries forever) or a bogus custom field; now they are
 * plain data for every source. (`__proto__` as a JSON key is dropped by the schema.)
 */
const KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty']
const labelsOf = (value: string) =>
  JSON.parse(`{${KEYS.map((k) => `"${k}":"${value}"`).join(',')}}`) as Record<string, string>

describe('sender-chosen keys never index a plain object', { timeout: 30_000 }, () => {
  for (const severity of KEYS) {
    it(`Alertmanager: a severity named ${severity} takes the source default priority`, async ({
      expect,
    }) => {
      const name = `Keys-${crypto.randomUUID().slice(0, 8)}`
      const alerts = firing.alerts.map((a) => ({
        ...a,
        labels: { ...labelsOf('x'), ...a.labels, alertname: name, severity },
      }))
      const payload = { ...firing, groupKey: `{}:{k="${name}"}`, commonLabels: {}, alerts }

      const response = await send(
        bearerRequest('alertmanager-clusters', payload, DEV_SECRETS.alertmanager),
      )

      expect(response.status).toBe(202)
      const ticket = await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
      expect(ticket.priority).toBe('标准')
    })
  }

  it('Grafana and Grafana legacy: such severities and labels are accepted', async ({ expect }) => {
    const alerts = grafanaFiring.alerts.map((a) => ({
      ...a,
      labels: { ...a.labels, ...labelsOf('y'), severity: 'constructor' },
    }))
    const unified = { ...grafanaFiring, groupKey: `{}:{run="${crypto.randomUUID()}"}`, alerts }
    const old = { ...legacy, ruleId: 99_001, tags: { ...labelsOf('z'), severity: 'toString' } }

    const answers = [
      await send(bearerRequest('grafana', unified, DEV_SECRETS.grafana)),
      await send(bearerRequest('grafana', old, DEV_SECRETS.grafana)),
    ]

    expect(answers.map((a) => a.status)).toEqual([202, 202])
  })

  it('forms: fields named constructor or toString are extras, never custom fields', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const body = new URLSearchParams({
      email: 'jane@example.com',
      message: 'Hi',
      constructor: 'c',
      toString: 't',
    })

    const response = await send(
      post('contact-strict', body.toString(), {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://www.example.com',
      }),
    )

    expect(response.status).toBe(202)
    const [sent] = queue.messages()
    expect(sent?.event.type === 'open' && sent.event.ticket?.fields).toBeFalsy()
    expect(sent?.event.type === 'open' && sent.event.content).toContain('constructor: c')
  })

  it('Slack: a channel named constructor is no mapped channel', async ({ expect }) => {
    const queue = watchQueue()
    const event = { ...message.event, channel: 'constructor', ts: `${Date.now() / 1000}` }
    const payload = { ...message, event_id: `Ev${crypto.randomUUID()}`, event }

    const response = await send(
      slackRequest(payload, { source: 'slack-shared', secret: 'new-slack-signing-secret' }),
    )

    expect(response.status).toBe(202)
    const [sent] = queue.messages()
    expect(sent?.event.type === 'open' && sent.event.customer).toEqual({
      token: 'slack:T061EG9R6:U2147483697',
    })
  })

  it('webhook: custom fields named constructor or toString are plain fields', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const open = {
      type: 'ticket.open',
      thread: `keys-${crypto.randomUUID()}`,
      subject: 'Fields named like Object properties',
      content: 'See fields',
      fields: { constructor: 'c', toString: 't' },
    }

    const response = await send(standardWebhookRequest(open))

    expect(response.status).toBe(202)
    const [sent] = queue.messages()
    expect(sent?.event.type === 'open' && sent.event.ticket?.fields).toEqual({
      constructor: 'c',
      toString: 't',
    })
  })
})
