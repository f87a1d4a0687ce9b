import { exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import firing from '../fixtures/alertmanager/firing.json'
import { bearerRequest, DEV_SECRETS, standardWebhookRequest } from '../helpers/signed-request'
import { replayRecord, watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('POST /webhooks/:source, when the queue cannot take the events', () => {
  it('answers 503 when the queue refuses, remembering nothing, so a retry is accepted', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const payload = { ...firing, groupKey: `{}:{run="${crypto.randomUUID()}"}` }
    queue.failNext()

    const refused = await exports.default.fetch(
      bearerRequest('alertmanager', payload, DEV_SECRETS.alertmanager),
    )
    const retried = await exports.default.fetch(
      bearerRequest('alertmanager', payload, DEV_SECRETS.alertmanager),
    )

    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('5')
    expect(await refused.json()).toMatchObject({ error: 'queue_unavailable' })
    const accepted = (await retried.json()) as { id: string }
    expect(retried.status).toBe(202)
    expect(await replayRecord('alertmanager', accepted.id)).not.toBeNull()
  })

  it('answers 413, not 503, when an event would be over the queue message limit', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const open = {
      type: 'ticket.open',
      thread: `big-${crypto.randomUUID()}`,
      subject: 'Too many fields',
      content: 'See fields',
      fields: { TextField_1: 'x'.repeat(200_000) },
    }
    const [template] = firing.alerts
    const alerts = Array.from({ length: 2_000 }, (_, n) => ({
      ...template,
      labels: { ...template?.labels, instance: `host-${n}:9100` },
      fingerprint: `${n}`.padStart(16, '0'),
    }))
    const group = { ...firing, groupKey: `{}:{run="${crypto.randomUUID()}"}`, alerts }

    const id = `msg_${crypto.randomUUID()}`
    const webhook = await exports.default.fetch(await standardWebhookRequest(open, { id }))
    const alert = await exports.default.fetch(
      bearerRequest('alertmanager', group, DEV_SECRETS.alertmanager),
    )

    for (const response of [webhook, alert]) {
      expect(response.status).toBe(413)
      expect(await response.json()).toEqual({
        error: 'payload_too_large',
        message: expect.stringMatching(/^the event is \d+ bytes as a queue message, over the/),
      })
    }
    expect(queue.messages()).toEqual([])
    expect(await replayRecord('events', id)).toBeNull()
  })
})
