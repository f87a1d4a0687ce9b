import { env } from 'cloudflare:workers'
import { beforeAll, describe, it } from 'vitest'
import type { Target } from '../../src/outbound/deliver-item'
import { deliverUnlessGone, ENDPOINT_DISABLED } from '../../src/outbound/endpoint-gone'
import type { OutboxItem } from '../../src/outbound/outbox'
import { createSimInstance, simControl, simUrl } from '../helpers/sim'

const REPLY_SECRET = 'whsec_LWNM5nSJBfEA2EeizrQ4LTEIdHxspwSY'

let receiver: string
beforeAll(async () => {
  const sim = await createSimInstance()
  receiver = `${simUrl()}/_sim/instances/${sim.id}/_sim/receiver`
})

/** The acknowledgement of ticket 848, as a thread's queue holds it. */
const item = (): OutboxItem => ({
  id: 'created',
  action: { type: 'send_created', ticketId: 848, ticketNumber: '848' },
  steps: 0,
  failures: 0,
  uncertain: false,
})

const webhookTarget = (url: string): Target => ({
  kind: 'webhook',
  thread: 'chat-4711',
  url,
  secrets: [REPLY_SECRET],
  stored: undefined,
  keep: () => undefined,
})

describe('a reply URL that answered 410 Gone', () => {
  it('stays disabled for its source, and a new reply URL is tried at once', async ({ expect }) => {
    const source = `events-${crypto.randomUUID().slice(0, 8)}`
    await simControl(receiver, '/old-endpoint/faults', { json: { status: 410 } })

    const gone = await deliverUnlessGone(
      env.BRIDGE_KV,
      source,
      item(),
      webhookTarget(`${receiver}/old-endpoint`),
    )
    const still = await deliverUnlessGone(
      env.BRIDGE_KV,
      source,
      item(),
      webhookTarget(`${receiver}/old-endpoint`),
    )
    const moved = await deliverUnlessGone(
      env.BRIDGE_KV,
      source,
      item(),
      webhookTarget(`${receiver}/new-endpoint`),
    )

    expect(gone).toMatchObject({ ok: false, kind: 'permanent', error: 'http_410' })
    expect(still).toMatchObject({ ok: false, kind: 'permanent', error: ENDPOINT_DISABLED })
    expect(moved).toEqual({ ok: true })
    const { messages } = await simControl<{ messages: { type: string }[] }>(
      receiver,
      '/new-endpoint/messages',
    )
    expect(messages.map((m) => m.type)).toEqual(['ticket.created'])
  })
})
