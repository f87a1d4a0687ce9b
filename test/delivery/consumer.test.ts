import { env } from 'cloudflare:workers'
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runInDurableObject,
} from 'cloudflare:test'
import { describe, it, vi } from 'vitest'
import { loadConfig } from '../../src/config'
import { deadLetterId } from '../../src/delivery/dead-letters'
import { ledger } from '../../src/delivery/ledger'
import type { DeliveryMessage } from '../../src/delivery/message'
import { threadCoordinator } from '../../src/delivery/thread-coordinator'
import { ThreadStore } from '../../src/delivery/thread-store'
import worker from '../../src/index'
import type { TicketEvent } from '../../src/ticket-event'
import { consume, message, QUEUE } from './consume'
import { addFault, openEvent, replyEvent, ticketsTagged, uniqueTag } from './sim'

function storedLetter(body: DeliveryMessage) {
  return vi.waitFor(
    async () => {
      const letter = await ledger(env).getDeadLetter(await deadLetterId(body))
      if (!letter) throw new Error('not in the ledger yet')
      return letter
    },
    { timeout: 5_000 },
  )
}

describe('the deliveries consumer', () => {
  it('acks an open and its reply from one batch, applied in order', async ({ expect }) => {
    const thread = uniqueTag('batch')
    const t0 = Date.now()
    const open = openEvent(
      { thread, id: `${thread}:open`, receivedAt: t0 },
      { customer: { email: `${thread}@c.example` } },
    )
    const reply = replyEvent({ thread, id: `${thread}:r1`, receivedAt: t0 + 1 }, 'One more thing')

    const result = await consume(message(reply), message(open))

    expect(result.explicitAcks.sort()).toEqual([`m-${open.id}`, `m-${reply.id}`].sort())
    expect(result.retryMessages).toEqual([])
    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.replies.map((r) => r.content.split('<br>')[0])).toEqual(['One more thing'])
  })

  it('retries a message Udesk failed with 503, after a backoff delay', async ({ expect }) => {
    const thread = uniqueTag('503')
    const open = openEvent({ thread, id: `${thread}:open` })
    await addFault({ path: '/tickets', match: thread, fault: { kind: 'http', status: 503 } })

    const result = await consume(message(open, 3))

    expect(result.explicitAcks).toEqual([])
    expect(result.retryMessages).toEqual([{ msgId: `m-${open.id}` }])
    // The event's first failure (the queue's attempt count is not the event's): full jitter
    // under DELIVERY_RETRY_BASE_SECONDS, at least a second.
    expect(result.delaySeconds).toHaveLength(1)
    expect(result.delaySeconds[0]).toBeGreaterThanOrEqual(1)
    expect(result.delaySeconds[0]).toBeLessThanOrEqual(2)
  })

  it('dead-letters a Udesk refusal at once, with its reason, and acks it', async ({ expect }) => {
    const thread = uniqueTag('refused')
    const open = openEvent({ thread, id: `${thread}:open` })
    await addFault({
      path: '/tickets',
      match: thread,
      fault: { kind: 'code', code: 2000, message: 'Sorry, ticket subject cannot be empty' },
    })

    const result = await consume(message(open))

    expect(result.explicitAcks).toEqual([`m-${open.id}`])
    const letter = await storedLetter(message(open).body)
    expect(letter).toMatchObject({
      reason: 'udesk_rejected',
      attempts: 1,
      event: open,
      deliveryId: `wh_${open.id}`,
      lastError:
        'POST /tickets: udesk_code: http 200: code 2000: Sorry, ticket subject cannot be empty',
    })
  })

  it('dead-letters an event at its DELIVERY_MAX_ATTEMPTS-th failure', async ({ expect }) => {
    const thread = uniqueTag('exhausted')
    const email = `${thread}@customer.example`
    const open = openEvent({ thread, id: `${thread}:open` }, { customer: { email } })
    const maxAttempts = loadConfig(env).DELIVERY_MAX_ATTEMPTS
    const lastError = 'GET /customers/get_customer: http_status: http 502'
    // One failed attempt short of the limit, the last backoff over.
    await runInDurableObject(threadCoordinator(env, 'events', thread), (_, state) =>
      new ThreadStore(state.storage).putInbox({
        event: open,
        deliveryId: `wh_${open.id}`,
        owned: false,
        attempts: maxAttempts - 1,
        nextAt: Date.now() - 1,
        addedAt: Date.now() - 3_600_000,
        lastError,
      }),
    )
    // A failed look-up created nothing (a failed create might have: create-in-doubt.test.ts).
    await addFault({
      path: '/customers/get_customer',
      match: email,
      fault: { kind: 'http', status: 502 },
    })

    const result = await consume(message(open, maxAttempts + 2))

    expect(result.explicitAcks).toEqual([`m-${open.id}`])
    expect(result.retryMessages).toEqual([])
    expect(await storedLetter(message(open).body)).toMatchObject({
      reason: 'max_attempts',
      attempts: maxAttempts,
      lastError,
    })
  })

  it('acks a reply that waits in its thread for the ticket', async ({ expect }) => {
    const thread = uniqueTag('early')

    const result = await consume(message(replyEvent({ thread, id: `${thread}:r1` }, 'Hi')))

    expect(result.explicitAcks).toEqual([`m-${thread}:r1`])
  })

  it('stores a message the platform dead-lettered by itself as exhausted_platform_retries', async ({
    expect,
  }) => {
    const thread = uniqueTag('platform')
    const body: DeliveryMessage = {
      event: openEvent({ thread, id: `${thread}:open` }),
      deliveryId: 'wh_platform',
    }
    const batch = createMessageBatch('udesk-bridge-dead-letters', [
      { id: 'dl-1', timestamp: new Date(), attempts: 1, body },
    ])
    const ctx = createExecutionContext()

    await worker.queue(batch as MessageBatch<DeliveryMessage>, env)
    const result = await getQueueResult(batch, ctx)

    expect(result.explicitAcks).toEqual(['dl-1'])
    expect(await storedLetter(body)).toMatchObject({
      reason: 'exhausted_platform_retries',
      event: body.event,
    })
  })
  it('dead-letters a message it cannot read, raw and with what is wrong, instead of dropping it', async ({
    expect,
  }) => {
    const thread = uniqueTag('garbled')
    // An accepted event whose envelope lost its type on the way (a writer's bug).
    const { type: _, ...untyped } = openEvent({ thread, id: `${thread}:open` })
    const body = { event: untyped, deliveryId: `wh_${thread}` }
    const batch = createMessageBatch<unknown>(QUEUE, [
      { id: `m-${thread}`, timestamp: new Date(), attempts: 1, body },
    ])
    const ctx = createExecutionContext()

    await worker.queue(batch as MessageBatch<DeliveryMessage>, env)
    const result = await getQueueResult(batch, ctx)

    expect(result.explicitAcks).toEqual([`m-${thread}`])
    const letter = await vi.waitFor(
      async () => {
        const { items } = await ledger(env).listDeadLetters(1000)
        const found = items.find((l) => 'raw' in l && l.raw.includes(thread))
        if (!found) throw new Error('not in the ledger yet')
        return found
      },
      { timeout: 5_000 },
    )
    expect(letter).toMatchObject({ reason: 'unreadable_message', attempts: 1 })
    expect(JSON.parse((letter as { raw: string }).raw)).toEqual(body)
    expect((letter as { issues: string[] }).issues).toEqual([
      expect.stringMatching(/^event\.type: /),
    ])
  })

  // Last: a 429 pauses the account's bucket for the rest of this file.
  it('honours Retry-After from a 429', async ({ expect }) => {
    const thread = uniqueTag('429')
    await addFault({
      path: '/tickets',
      match: thread,
      fault: { kind: 'http', status: 429, retryAfter: 90 },
    })

    const result = await consume(message(openEvent({ thread, id: `${thread}:open` })))

    expect(result.retryMessages).toEqual([{ msgId: `m-${thread}:open` }])
    expect(result.delaySeconds).toEqual([90])
  })
})
