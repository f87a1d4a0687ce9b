import { Webhook } from 'standardwebhooks'
import { beforeAll, describe, it } from 'vitest'
import { attemptDelivery, retryDelayMs, RETRY_DELAYS_MS } from '../../src/outbound/webhook-attempt'
import {
  messageForAction,
  signOutbound,
  ticketCreatedMessage,
  ticketRepliedMessage,
  ticketStatusChangedMessage,
} from '../../src/outbound/webhook-out'
import type { AgentReply } from '../../src/outbound/watch-replies'
import { createSimInstance, simControl, simUrl } from '../helpers/sim'

const REPLY_SECRET = 'whsec_LWNM5nSJBfEA2EeizrQ4LTEIdHxspwSY'
const NEXT_SECRET = 'whsec_bmV3IHJlcGx5IGtleSwgMzIgYnl0ZXMgbG9uZy4uLg=='
const AT = new Date('2026-11-30T10:00:05.000Z')
const REPLY: AgentReply = {
  id: 12,
  content: '<p>Fixed, sorry for the wait.</p>',
  contentFormat: 'html',
  createdAt: '2026-11-30T18:00:05.000+08:00',
  authorName: 'Tom',
  attachments: [],
}
const ref = { thread: 'chat-4711', ticketId: 848 }

let receiver: string
beforeAll(async () => {
  const sim = await createSimInstance()
  receiver = `${simUrl()}/_sim/instances/${sim.id}/_sim/receiver`
})

interface Received {
  id: string
  verified: boolean
  duplicate: boolean
  status: number
  type: string
  payload: unknown
}
async function received(endpoint: string): Promise<Received[]> {
  return (await simControl<{ messages: Received[] }>(receiver, `/${endpoint}/messages`)).messages
}

describe('outbound Standard Webhooks', () => {
  it('signs so the standardwebhooks library verifies the body', async ({ expect }) => {
    const message = ticketRepliedMessage(ref, REPLY, AT)

    const headers = await signOutbound(message, [REPLY_SECRET], Date.now())

    expect(new Webhook(REPLY_SECRET).verify(message.body, headers)).toEqual({
      type: 'ticket.replied',
      timestamp: '2026-11-30T10:00:05.000Z',
      data: {
        thread: 'chat-4711',
        ticket: { id: 848 },
        reply: {
          id: 12,
          content: '<p>Fixed, sorry for the wait.</p>',
          content_format: 'html',
          author: { name: 'Tom' },
          created_at: '2026-11-30T18:00:05.000+08:00',
          attachments: [],
        },
      },
    })
  })

  it('signs with every secret while the receiver rotates', async ({ expect }) => {
    const message = ticketCreatedMessage({ ...ref, ticketNumber: '#848' }, AT)

    const headers = await signOutbound(message, [REPLY_SECRET, NEXT_SECRET], Date.now())

    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2)
    expect(new Webhook(NEXT_SECRET).verify(message.body, headers)).toMatchObject({
      data: { ticket: { id: 848, number: '#848' } },
    })
    expect(() =>
      new Webhook('whsec_' + btoa('some other key')).verify(message.body, headers),
    ).toThrow()
  })

  it('derives webhook-id from the ticket and the reply, the same on every poll', ({ expect }) => {
    const again = ticketRepliedMessage(ref, { ...REPLY }, new Date())
    const status = (seq: number) =>
      ticketStatusChangedMessage({ ...ref, from: 'open', to: 'resolved', seq }, AT).id

    expect(ticketRepliedMessage(ref, REPLY, AT).id).toBe('udesk_ticket_848_reply_12')
    expect(again.id).toBe('udesk_ticket_848_reply_12')
    expect(ticketRepliedMessage(ref, { ...REPLY, id: -77 }, AT).id).toBe(
      'udesk_ticket_848_reply_h77',
    )
    expect([status(1), status(2)]).toEqual([
      'udesk_ticket_848_status_1',
      'udesk_ticket_848_status_2',
    ])
    expect(ticketCreatedMessage({ ...ref, ticketNumber: '#848' }, AT).id).toBe(
      'udesk_ticket_848_created',
    )
  })

  it('delivers to a receiver that verifies it, and sends a retry with the same id', async ({
    expect,
  }) => {
    const message = ticketStatusChangedMessage({ ...ref, from: 'open', to: 'resolved', seq: 1 }, AT)
    const send = () =>
      attemptDelivery({
        url: `${receiver}/events`,
        message,
        secrets: [REPLY_SECRET],
        nowMs: Date.now(),
      })

    const outcomes = [await send(), await send()]

    expect(outcomes).toEqual([
      { kind: 'delivered', status: 204 },
      { kind: 'delivered', status: 204 },
    ])
    expect((await received('events')).map((r) => [r.id, r.type, r.verified, r.duplicate])).toEqual([
      ['udesk_ticket_848_status_1', 'ticket.status_changed', true, false],
      ['udesk_ticket_848_status_1', 'ticket.status_changed', true, true],
    ])
  })

  it('fails on 5xx, redirects and a refused signature, and sees 410 as gone', async ({
    expect,
  }) => {
    const message = ticketCreatedMessage({ ...ref, ticketNumber: '#848' }, AT)
    for (const status of [503, 307, 410]) {
      await simControl(receiver, '/faulty/faults', { json: { status } })
    }
    const send = (secrets: string[]) =>
      attemptDelivery({ url: `${receiver}/faulty`, message, secrets, nowMs: Date.now() })

    const outcomes = [
      await send([REPLY_SECRET]),
      await send([REPLY_SECRET]),
      await send([REPLY_SECRET]),
    ]
    const wrongKey = await send([NEXT_SECRET])

    expect(outcomes).toEqual([
      { kind: 'failed', status: 503, error: 'http_503' },
      { kind: 'failed', status: 307, error: 'http_307' },
      { kind: 'gone', status: 410 },
    ])
    expect(wrongKey).toEqual({ kind: 'failed', status: 401, error: 'http_401' })
  })

  it("turns a watch's reply and status actions into ticket.replied and ticket.status_changed", ({
    expect,
  }) => {
    const reply = messageForAction(
      { type: 'send_reply', ticketId: 848, reply: REPLY },
      'chat-4711',
      AT,
    )
    const status = messageForAction(
      { type: 'send_status', ticketId: 848, from: 'open', to: 'solving', seq: 3 },
      'chat-4711',
      AT,
    )

    expect(reply).toEqual(ticketRepliedMessage(ref, REPLY, AT))
    expect([status.id, status.type]).toEqual(['udesk_ticket_848_status_3', 'ticket.status_changed'])
    expect(JSON.parse(status.body).data).toEqual({
      thread: 'chat-4711',
      ticket: { id: 848 },
      status: { from: 'open', to: 'solving' },
    })
  })

  it("retries on Svix's schedule, a longer Retry-After first, then gives up", ({ expect }) => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((failures) => retryDelayMs(failures))

    expect(delays).toEqual([...RETRY_DELAYS_MS, undefined])
    expect(retryDelayMs(1, 60_000)).toBe(60_000)
    expect(retryDelayMs(2, 60_000)).toBe(5 * 60_000)
    expect(retryDelayMs(1, 7 * 24 * 3600_000)).toBe(10 * 3600_000)
  })
})
