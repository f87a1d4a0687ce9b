import { afterAll, beforeAll, describe, it, vi } from 'vitest'
import { startBridge, type Bridge } from './harness'
import { deadLetterOf, FAST_WATCH, twoWay, WAIT } from './two-way-helpers'

interface Received {
  id: string | null
  verified: boolean
  reason: string | null
  status: number
  type: string | null
  payload: { type: string; data: { thread: string; [key: string]: unknown } }
}

/**
 * Issue 14's webhook story: a chat widget behind the `events` source gets the agent's answers
 * and status back at its reply URL (the simulator's receiver), as Standard Webhooks whose
 * signatures the receiver checks with the `standardwebhooks` library.
 */
describe('two-way with a webhook source', () => {
  let bridge: Bridge
  let api: ReturnType<typeof twoWay>

  beforeAll(async () => {
    bridge = await startBridge({ bindings: FAST_WATCH })
    api = twoWay(bridge)
  })

  afterAll(async () => {
    await bridge?.stop()
  })

  const received = async (thread: string) =>
    (await api.control<{ messages: Received[] }>('/_sim/receiver/events/messages')).messages.filter(
      (m) => m.payload?.data?.thread === thread,
    )

  /** Waits until the receiver accepted `count` messages of the thread; answers all of them. */
  const receivedAtLeast = (thread: string, count: number) =>
    vi.waitFor(async () => {
      const all = await received(thread)
      if (all.filter((m) => m.status === 204).length < count) throw new Error('not yet')
      return all
    }, WAIT)

  async function chatOpens(thread: string) {
    const response = await api.postEvent({
      type: 'ticket.open',
      thread,
      subject: `Chat ${thread}`,
      content: 'I cannot log in',
      customer: { email: `${thread}@customer.example`, name: 'Ana' },
    })
    const ticketId = await api.ticketAbout(`Chat ${thread}`)
    return { response, ticketId }
  }

  it('sends ticket.created, then the public reply and the status, each signed and once', async ({
    expect,
  }) => {
    const { response, ticketId } = await chatOpens('chat-1')
    await receivedAtLeast('chat-1', 1)

    await api.agentReply(ticketId, 'internal', 'note for agents only')
    await api.agentReply(ticketId, 'public', 'Try <b>now</b>')
    await receivedAtLeast('chat-1', 2)
    await api.agentStatus(ticketId, 2)
    const all = await receivedAtLeast('chat-1', 3)

    expect(response.status).toBe(202)
    expect(all.map((m) => [m.type, m.verified, m.reason])).toEqual([
      ['ticket.created', true, null],
      ['ticket.replied', true, null],
      ['ticket.status_changed', true, null],
    ])
    expect(all.map((m) => m.id)).toEqual([
      `udesk_ticket_${ticketId}_created`,
      expect.stringMatching(new RegExp(`^udesk_ticket_${ticketId}_reply_\\d+$`)),
      `udesk_ticket_${ticketId}_status_1`,
    ])
    expect(all[0]!.payload.data).toEqual({
      thread: 'chat-1',
      ticket: { id: ticketId, number: await api.numberOf(ticketId) },
    })
    expect(all[1]!.payload.data).toMatchObject({
      reply: { content: '<p>Try &lt;b&gt;now&lt;/b&gt;</p>', author: { name: 'Tom' } },
    })
    expect(all[2]!.payload.data).toMatchObject({ status: { from: 'open', to: 'resolved' } })
    expect(JSON.stringify(all)).not.toContain('note for agents only')
  })

  it('retries a failed delivery with the same webhook-id, keeping the order', async ({
    expect,
  }) => {
    const { ticketId } = await chatOpens('chat-2')
    await receivedAtLeast('chat-2', 1)
    await api.control('/_sim/receiver/events/faults', { json: { status: 503 } })

    await api.agentReply(ticketId, 'public', 'first')
    await api.agentReply(ticketId, 'public', 'second')
    const all = await receivedAtLeast('chat-2', 3)

    const replies = all.filter((m) => m.type === 'ticket.replied')
    expect(replies.map((m) => m.status)).toEqual([503, 204, 204])
    expect(replies[0]!.id).toBe(replies[1]!.id)
    const texts = replies.slice(1).map((m) => (m.payload.data.reply as { content: string }).content)
    expect(texts).toEqual(['<p>first</p>', '<p>second</p>'])
  })

  it('a 410 disables the reply URL for every thread until a replay, then both deliver', async ({
    expect,
  }) => {
    const { ticketId } = await chatOpens('chat-3')
    await receivedAtLeast('chat-3', 1)
    await api.control('/_sim/receiver/events/faults', { json: { status: 410 } })

    await api.agentReply(ticketId, 'public', 'still there?')
    const gone = await deadLetterOf(api, 'chat-3')
    await chatOpens('chat-4')
    const disabled = await deadLetterOf(api, 'chat-4')
    const before = await received('chat-4')
    const replayed = await api.admin('/admin/dead-letters/replay', 'POST')
    const third = await receivedAtLeast('chat-3', 2)
    const fourth = await receivedAtLeast('chat-4', 1)

    expect(gone).toMatchObject({ reason: 'outbound_permanent', lastError: 'webhook: http_410' })
    expect(disabled).toMatchObject({
      reason: 'outbound_permanent',
      lastError: 'webhook: endpoint_disabled_after_410',
    })
    expect(before).toEqual([])
    expect(replayed).toEqual({ replayed: 2 })
    expect(third.map((m) => [m.type, m.status])).toEqual([
      ['ticket.created', 204],
      ['ticket.replied', 410],
      ['ticket.replied', 204],
    ])
    expect(fourth.map((m) => [m.type, m.status])).toEqual([['ticket.created', 204]])
  })
})
