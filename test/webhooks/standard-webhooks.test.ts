import { exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import {
  DEV_SECRETS,
  nowSeconds,
  standardWebhookRequest,
  standardWebhookSignature,
} from '../helpers/signed-request'
import { rememberedRecord, watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

const NEW_SECRET = 'whsec_bmV3IGV2ZW50cyBrZXksIDMyIGJ5dGVzIGxvbmcuLi4='

function openPayload(thread = `chat-${crypto.randomUUID()}`) {
  return {
    type: 'ticket.open',
    thread,
    subject: 'Cannot log in',
    content: 'The reset link says it expired.',
    customer: { email: `visitor-${thread}@example.com`, name: 'Visitor' },
    priority: 'high',
    tags: ['chat'],
  }
}

describe('POST /webhooks/events (Standard Webhooks)', () => {
  it('queues ticket.open, ticket.reply and ticket.resolve on one thread', async ({ expect }) => {
    const queue = watchQueue()
    const thread = `chat-${crypto.randomUUID()}`
    const payloads = [
      openPayload(thread),
      { type: 'ticket.reply', thread, content: 'It still fails on mobile.' },
      { type: 'ticket.resolve', thread, content: 'Fixed by resetting the account.' },
    ]

    const answers = []
    for (const [n, payload] of payloads.entries()) {
      const id = `msg_${thread}_${n}`
      const response = await exports.default.fetch(await standardWebhookRequest(payload, { id }))
      answers.push([response.status, await response.json()])
    }

    expect(answers).toEqual(
      [0, 1, 2].map((n) => [202, { status: 'accepted', id: `msg_${thread}_${n}` }]),
    )
    expect(queue.messages().map((m) => [m.event.type, m.event.thread, m.event.id])).toEqual([
      ['open', thread, `events:msg_${thread}_0:0`],
      ['reply', thread, `events:msg_${thread}_1:0`],
      ['resolve', thread, `events:msg_${thread}_2:0`],
    ])
    expect(queue.messages()[0]?.event).toMatchObject({
      customer: { email: `visitor-${thread}@example.com` },
      ticket: { priority: 'high', tags: ['events', 'chat'] },
    })
  })

  it('answers a redelivery of the same webhook-id as a duplicate', async ({ expect }) => {
    const id = `msg_${crypto.randomUUID()}`
    const payload = openPayload()
    await exports.default.fetch(await standardWebhookRequest(payload, { id }))
    const queue = watchQueue()

    const again = await exports.default.fetch(await standardWebhookRequest(payload, { id }))

    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ status: 'duplicate' })
    expect(queue.messages()).toEqual([])
  })

  it('accepts any listed signature and any configured secret while keys rotate', async ({
    expect,
  }) => {
    const payload = openPayload()
    const id = `msg_${crypto.randomUUID()}`
    const ts = nowSeconds()
    const body = JSON.stringify(payload)
    const both = [
      await standardWebhookSignature(NEW_SECRET, id, ts, body),
      await standardWebhookSignature(DEV_SECRETS.events, id, ts, body),
    ].join(' ')

    const oldKeyOnly = await exports.default.fetch(
      await standardWebhookRequest(openPayload(), { source: 'events-rotating' }),
    )
    const newKeyOnly = await exports.default.fetch(
      await standardWebhookRequest(openPayload(), {
        source: 'events-rotating',
        secret: NEW_SECRET,
      }),
    )
    const twoSignatures = await exports.default.fetch(
      await standardWebhookRequest(payload, {
        id,
        timestamp: ts,
        headers: { 'webhook-signature': both },
      }),
    )

    expect([oldKeyOnly.status, newKeyOnly.status, twoSignatures.status]).toEqual([202, 202, 202])
    expect(await rememberedRecord('events', id)).toMatchObject({ eventIds: [`events:${id}:0`] })
  })

  it('refuses a wrong key, a stale or future timestamp and missing headers with 401', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const payload = openPayload()

    const requests = [
      await standardWebhookRequest(payload, { secret: NEW_SECRET }),
      await standardWebhookRequest(payload, { timestamp: nowSeconds() - 600 }),
      await standardWebhookRequest(payload, { timestamp: nowSeconds() + 600 }),
      await standardWebhookRequest(payload, { headers: { 'webhook-signature': '' } }),
      await standardWebhookRequest(payload, { headers: { 'webhook-id': 'msg_swapped' } }),
    ]

    for (const request of requests) {
      const response = await exports.default.fetch(request)

      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ error: 'unauthorized' })
    }
    expect(queue.messages()).toEqual([])
  })

  it("answers a schema violation with zod's issues and without echoing the body", async ({
    expect,
  }) => {
    const marker = `private-note-${crypto.randomUUID()}`
    const payload = { type: 'ticket.open', thread: 't-1', content: marker, priority: 'asap' }

    const response = await exports.default.fetch(await standardWebhookRequest(payload))

    const text = await response.text()
    expect(response.status).toBe(400)
    expect(JSON.parse(text)).toMatchObject({
      error: 'invalid_payload',
      issues: [
        { path: ['subject'], code: 'invalid_type' },
        { path: ['priority'], code: 'invalid_value' },
      ],
    })
    expect(text).not.toContain(marker)
    expect(text).not.toContain('asap')
  })
})
