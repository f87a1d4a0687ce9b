import { env, exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import { formPost, standardWebhookRequest } from '../helpers/signed-request'
import { visitor } from './form-requests'
import { recentDeliveries } from '../../src/inbound/recent-deliveries'
import { ticketsMentioning } from './alert-tickets'
import { rememberedRecord, watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

/** The replay keys the route reads and writes in BRIDGE_KV, from here on. */
function watchReplayKeys() {
  const get = vi.spyOn(env.BRIDGE_KV, 'get')
  const put = vi.spyOn(env.BRIDGE_KV, 'put')
  const replayKeys = (calls: unknown[][]) =>
    calls.map(([key]) => String(key)).filter((key) => key.startsWith('replay:'))
  return { read: () => replayKeys(get.mock.calls), written: () => replayKeys(put.mock.calls) }
}

const open = (thread: string) => ({
  type: 'ticket.open',
  thread,
  subject: 'Cannot log in',
  content: 'The reset link has expired.',
})

describe('POST /webhooks/:source, the acknowledgment path', () => {
  it('answers a redelivery to the same isolate duplicate from memory, with no KV read', async ({
    expect,
  }) => {
    const id = `msg_${crypto.randomUUID()}`
    const payload = open(`ack-${id}`)
    const first = await exports.default.fetch(await standardWebhookRequest(payload, { id }))
    const kv = watchReplayKeys()
    const queue = watchQueue()

    const again = await exports.default.fetch(await standardWebhookRequest(payload, { id }))

    expect(first.status).toBe(202)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ status: 'duplicate' })
    expect(kv.read()).toEqual([])
    expect(queue.messages()).toEqual([])
    // The queue consumer writes the record to KV, for redeliveries to other isolates.
    expect(await rememberedRecord('events', id)).toMatchObject({ eventIds: [`events:${id}:0`] })
  })

  it('writes no KV on the way to the answer: the queue send is the one write a sender waits for', async ({
    expect,
  }) => {
    const id = `msg_${crypto.randomUUID()}`
    const kv = watchReplayKeys()
    const queue = watchQueue()

    const response = await exports.default.fetch(
      await standardWebhookRequest(open(`ack-${id}`), { id }),
    )

    expect(response.status).toBe(202)
    expect(kv.read()).toEqual([`replay:events:${id}`])
    expect(queue.sent()).toEqual([
      expect.objectContaining({
        deliveryId: id,
        remember: expect.objectContaining({ kind: 'delivery', keys: [`replay:events:${id}`] }),
      }),
    ])
    // Only the consumer, once it took the message, writes the key.
    expect(await rememberedRecord('events', id)).toMatchObject({ eventIds: [`events:${id}:0`] })
    expect(kv.written()).toEqual([`replay:events:${id}`])
  })

  it('opens one ticket when a redelivery reaches another isolate, before or after the consumer wrote its key', async ({
    expect,
  }) => {
    const id = `msg_${crypto.randomUUID()}`
    const payload = { ...open(`ack-${id}`), content: `Cannot log in (${id})` }
    // Another isolate: nothing of this delivery in its memory, only what KV holds.
    vi.spyOn(recentDeliveries, 'has').mockReturnValue(false)

    const first = await exports.default.fetch(await standardWebhookRequest(payload, { id }))
    const early = await exports.default.fetch(await standardWebhookRequest(payload, { id }))
    await rememberedRecord('events', id)
    const late = await exports.default.fetch(await standardWebhookRequest(payload, { id }))

    expect(first.status).toBe(202)
    // Within the consumer's first second KV does not name the delivery yet: queued again.
    expect([200, 202]).toContain(early.status)
    expect(late.status).toBe(200)
    expect(await late.json()).toEqual({ status: 'duplicate' })
    const tickets = await vi.waitFor(
      async () => {
        const found = await ticketsMentioning(id)
        if (found.length === 0) throw new Error('no ticket yet')
        return found
      },
      { timeout: 10_000, interval: 100 },
    )
    await new Promise((resolve) => setTimeout(resolve, 1_500)) // a second ticket would show
    expect(await ticketsMentioning(id)).toHaveLength(1)
    expect(tickets).toHaveLength(1)
  })

  it('neither looks up nor remembers a form post without an id of its own: none can repeat it', async ({
    expect,
  }) => {
    const kv = watchReplayKeys()
    const queue = watchQueue()

    const response = await exports.default.fetch(
      formPost('contact', { email: visitor(), message: 'Please call me back.' }),
    )

    expect(response.status).toBe(303)
    expect(queue.messages()).toHaveLength(1)
    expect(kv.read()).toEqual([])
    expect(kv.written()).toEqual([])
  })

  it('still remembers a form post that names its submission, so a resubmission is a duplicate', async ({
    expect,
  }) => {
    const id = `form-${crypto.randomUUID()}`
    const fields = { email: visitor(), message: 'Please call me back.', _submission_id: id }
    const queue = watchQueue()

    const first = await exports.default.fetch(formPost('contact', fields))
    const again = await exports.default.fetch(formPost('contact', fields))

    expect([first.status, again.status]).toEqual([303, 303])
    expect(queue.messages()).toHaveLength(1)
    expect(await rememberedRecord('contact', id)).toMatchObject({ eventIds: [`contact:${id}:0`] })
  })
})
