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
    expect(retried.status).toBe(202)
    const redelivered = await exports.default.fetch(
      bearerRequest('alertmanager', payload, DEV_SECRETS.alertmanager),
    )
    expect(await redelivered.json()).toEqual({ status: 'duplicate' })
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

    const id = `msg_${crypto.randomUUID()}`
    const webhook = await exports.default.fetch(await standardWebhookRequest(open, { id }))

    expect(webhook.status).toBe(413)
    expect(await webhook.json()).toEqual({
      error: 'payload_too_large',
      message: expect.stringMatching(/^the event is \d+ bytes as a queue message, over the/),
    })
    expect(queue.messages()).toEqual([])
    expect(await replayRecord('events', id)).toBeNull()
  })
})
