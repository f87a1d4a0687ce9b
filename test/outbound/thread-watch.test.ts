import { env, exports } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import { replayLetter } from '../../src/console/letters'
import { ledger } from '../../src/delivery/ledger'
import { page, signIn } from '../console/helpers'
import { standardWebhookRequest } from '../helpers/signed-request'
import { simControl, simUrl } from '../helpers/sim'
import {
  agent,
  bridgePosts,
  bridgePostsAtLeast,
  ring,
  slackControl,
  slackConversation,
} from '../helpers/two-way'

describe('two-way watch of a Slack thread', () => {
  it('acknowledges the ticket in the thread once it is created', async ({ expect }) => {
    const { response, channel, ts, ticketId, ticketNumber } = await slackConversation()

    const posts = await bridgePostsAtLeast(channel, ts, 1, 5_000)

    expect(response.status).toBe(202)
    expect(posts).toEqual([`Ticket #${ticketNumber} opened`])
  })

  it('posts a public agent reply after the doorbell rings, and never an internal note', async ({
    expect,
  }) => {
    const { channel, ts, ticketId, ticketNumber } = await slackConversation()
    await agent(ticketId, 'reply', { visibility: 'internal', content: 'plan B customer' })
    await agent(ticketId, 'reply', { visibility: 'public', content: 'Fixed, sorry & thanks' })

    const rung = await ring(ticketId)
    const posts = await bridgePostsAtLeast(channel, ts, 2)

    expect(rung.status).toBe(202)
    expect(posts).toEqual([`Ticket #${ticketNumber} opened`, 'Fixed, sorry &amp; thanks'])
  })

  it('posts a reply of megabytes (a pasted log) cut to its parts, and keeps watching', async ({
    expect,
  }) => {
    const { channel, ts, ticketId } = await slackConversation()
    const log = 'line of a pasted log, long enough to add up\n'.repeat(60_000)
    await agent(ticketId, 'reply', { visibility: 'public', content: `See the log:\n${log}` })

    const rung = await ring(ticketId)
    const posts = await bridgePostsAtLeast(channel, ts, 2)

    expect(rung.status).toBe(202)
    expect(posts[1]).toMatch(/^See the log:\n/)
    expect(posts.length).toBeLessThanOrEqual(5)
  })

  it('dead-letters not_in_channel with its reason, and delivers it when replayed', async ({
    expect,
  }) => {
    const { channel, ts, ticketId, ticketNumber, watch } = await slackConversation()
    await vi.waitFor(
      async () => {
        if ((await bridgePosts(channel, ts)).length === 0) throw new Error('no acknowledgement')
      },
      { timeout: 5_000 },
    )
    await simControl(slackControl(), '/faults', { json: { channel, error: 'not_in_channel' } })
    await agent(ticketId, 'reply', { visibility: 'public', content: 'Are you there?' })

    await ring(ticketId)
    const letter = await vi.waitFor(
      async () => {
        const { items } = await ledger(env).summarizeDeadLetters({ limit: 100 })
        const mine = items.find((l) => l.thread === `${channel}:${ts}`)
        if (!mine) throw new Error('no dead letter yet')
        return mine
      },
      { timeout: 8_000 },
    )
    const paused = (await watch.view())!
    const replayed = await replayLetter(env, letter.id)
    const posts = await bridgePostsAtLeast(channel, ts, 2)

    expect(letter).toMatchObject({
      reason: 'outbound_permanent',
      lastError: 'slack: not_in_channel',
      source: 'slack',
      type: 'outbound:send_reply',
    })
    expect(paused.watch.phase).toBe('paused')
    expect(paused.outbox.paused).toBe(true)
    expect(replayed).toEqual({ replayed: 1 })
    expect(posts).toEqual([`Ticket #${ticketNumber} opened`, 'Are you there?'])
    expect((await watch.view())!.watch.phase).toBe('watching')
  })
})

describe('the Threads page', () => {
  it('queues at most 10 answers while Slack holds it back; the rest wait in Udesk, in order', async ({
    expect,
  }) => {
    const { channel, ts, ticketId, watch } = await slackConversation()
    await bridgePostsAtLeast(channel, ts, 1, 5_000)
    const rateLimited = { channel, method: 'chat.postMessage', retryAfter: 3, times: 1 }
    await simControl(slackControl(), '/faults', { json: rateLimited })
    const steps = Array.from({ length: 12 }, (_, n) => `Step ${n + 1} of the fix`)
    for (const content of steps) await agent(ticketId, 'reply', { visibility: 'public', content })

    await ring(ticketId)
    const queued = await vi.waitFor(
      async () => {
        const items = (await watch.view())?.outbox.items.length ?? 0
        if (items === 0) throw new Error('nothing queued yet')
        return items
      },
      { timeout: 8_000 },
    )
    const posts = await bridgePostsAtLeast(channel, ts, 13, 20_000)

    expect(queued).toBe(10)
    expect(posts.slice(1)).toEqual(steps)
  }, 30_000)

  it('shows the thread’s watch and what waits to go out', async ({ expect }) => {
    const { channel, ts } = await slackConversation()
    const query = new URLSearchParams({ source: 'slack', thread: `${channel}:${ts}` })

    const html = await (await page(`/admin/threads?${query}`, await signIn())).text()

    expect(html).toContain('<h2>Two-way</h2>')
    expect(html).toContain('polled for agent replies and status')
  })
})

describe('two-way for a webhook source with a reply URL', () => {
  it('sends ticket.created, signed, to the reply URL', async ({ expect }) => {
    const thread = `chat-${crypto.randomUUID()}`
    const payload = {
      type: 'ticket.open',
      thread,
      subject: 'Chat: cannot log in',
      content: 'Hello, I cannot log in',
      customer: { email: 'ana@example.com', name: 'Ana' },
    }

    const response = await exports.default.fetch(await standardWebhookRequest(payload))
    const received = await vi.waitFor(
      async () => {
        const { messages } = await simControl<{
          messages: { verified: boolean; type: string; payload: { data: { thread: string } } }[]
        }>(`${simUrl()}/_sim/receiver`, '/events/messages')
        const mine = messages.filter((m) => m.payload?.data?.thread === thread)
        if (mine.length === 0) throw new Error('nothing received yet')
        return mine
      },
      { timeout: 5_000 },
    )

    expect(response.status).toBe(202)
    expect(received).toMatchObject([{ verified: true, type: 'ticket.created' }])
  })
})
