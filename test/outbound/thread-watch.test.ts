import { env, exports } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import message from '../fixtures/slack/message.json'
import { replayLetter } from '../../src/console/letters'
import { ledger } from '../../src/delivery/ledger'
import { threadWatch } from '../../src/outbound/thread-watch'
import { slackRequest, standardWebhookRequest } from '../helpers/signed-request'
import { simControl, simUrl } from '../helpers/sim'
import type { SlackSimMessage } from '../helpers/slack-sim'

/** The default simulator instance's Slack double: what SLACK_API_URL points at in tests. */
const slackControl = () => `${simUrl()}/_sim/slack`
const HOOK = 'http://bridge.test/udesk/hook/dev-udesk-hook-token'

async function threadMessages(channel: string, ts: string): Promise<SlackSimMessage[]> {
  const { channels } = await simControl<{
    channels: { id: string; threads: { ts: string; messages: SlackSimMessage[] }[] }[]
  }>(slackControl(), '/channels')
  const thread = channels.find((c) => c.id === channel)?.threads.find((t) => t.ts === ts)
  return thread?.messages ?? []
}

/** A customer's top-level Slack message in a channel of this test's own, sent to the bridge. */
async function slackConversation() {
  const n = crypto.randomUUID().slice(0, 8).toUpperCase()
  const channel = `C${n}`
  const { ts } = await simControl<{ ts: string }>(slackControl(), '/messages', {
    json: { channel, user: 'U2147483697', text: 'Our invoices page shows a 500' },
  })
  const payload = {
    ...message,
    event_id: `Ev${n}`,
    event: { ...message.event, channel, ts, event_ts: ts },
  }
  const response = await exports.default.fetch(await slackRequest(payload))
  const watch = threadWatch(env, { source: 'slack', thread: `${channel}:${ts}` })
  const ticketId = await vi.waitFor(
    async () => {
      const record = await watch.view()
      if (!record) throw new Error('not watched yet')
      return record.watch.ticketId
    },
    { timeout: 5_000 },
  )
  return { response, channel, ts, watch, ticketId }
}

function agent(ticketId: number, action: 'reply' | 'status', fields: Record<string, string>) {
  const url = `${simUrl()}/_sim/inbox/tickets/${ticketId}/${action}`
  return fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' })
}

const ring = (ticketId: number, token = 'dev-udesk-hook-token') =>
  exports.default.fetch(
    new Request(`http://bridge.test/udesk/hook/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket_id: ticketId }),
    }),
  )

const bridgePosts = async (channel: string, ts: string) =>
  (await threadMessages(channel, ts)).filter((m) => m.bot_id).map((m) => m.text)

describe('two-way watch of a Slack thread', () => {
  it('acknowledges the ticket in the thread once it is created', async ({ expect }) => {
    const { response, channel, ts, ticketId } = await slackConversation()

    const posts = await vi.waitFor(
      async () => {
        const found = await bridgePosts(channel, ts)
        if (found.length === 0) throw new Error('no acknowledgement yet')
        return found
      },
      { timeout: 5_000 },
    )

    expect(response.status).toBe(202)
    expect(posts).toEqual([`Ticket #${ticketId} opened`])
  })

  it('posts a public agent reply after the doorbell rings, and never an internal note', async ({
    expect,
  }) => {
    const { channel, ts, ticketId } = await slackConversation()
    await agent(ticketId, 'reply', { visibility: 'internal', content: 'plan B customer' })
    await agent(ticketId, 'reply', { visibility: 'public', content: 'Fixed, sorry & thanks' })

    const rung = await ring(ticketId)
    const posts = await vi.waitFor(
      async () => {
        const found = await bridgePosts(channel, ts)
        if (found.length < 2) throw new Error('no reply yet')
        return found
      },
      { timeout: 8_000 },
    )

    expect(rung.status).toBe(202)
    expect(posts).toEqual([`Ticket #${ticketId} opened`, 'Fixed, sorry &amp; thanks'])
  })

  it('dead-letters not_in_channel with its reason, and delivers it when replayed', async ({
    expect,
  }) => {
    const { channel, ts, ticketId, watch } = await slackConversation()
    await vi.waitFor(async () => {
      if ((await bridgePosts(channel, ts)).length === 0) throw new Error('no acknowledgement')
    })
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
    const posts = await vi.waitFor(
      async () => {
        const found = await bridgePosts(channel, ts)
        if (found.length < 2) throw new Error('not delivered after the replay')
        return found
      },
      { timeout: 8_000 },
    )

    expect(letter).toMatchObject({
      reason: 'outbound_permanent',
      lastError: 'slack: not_in_channel',
      source: 'slack',
      type: 'outbound:send_reply',
    })
    expect(paused.watch.phase).toBe('paused')
    expect(paused.outbox.paused).toBe(true)
    expect(replayed).toEqual({ replayed: 1 })
    expect(posts).toEqual([`Ticket #${ticketId} opened`, 'Are you there?'])
    expect((await watch.view())!.watch.phase).toBe('watching')
  })
})

describe('POST /udesk/hook/:token', () => {
  it('answers a wrong token as an unknown route and changes nothing', async ({ expect }) => {
    const { ticketId, watch } = await slackConversation()
    const before = await watch.view()

    const response = await ring(ticketId, 'not-the-token')

    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'not_found', message: 'no such route' })
    expect((await watch.view())?.watch.nextPollAt).toBe(before?.watch.nextPollAt)
  })

  it('brings the next poll to now for a watched ticket, from a form body too', async ({
    expect,
  }) => {
    const { ticketId, watch } = await slackConversation()

    const response = await exports.default.fetch(
      new Request(HOOK, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `ticket_id=${ticketId}`,
      }),
    )

    expect(response.status).toBe(202)
    await vi.waitFor(async () => {
      const record = await watch.view()
      if (record?.watch.lastPollAt === null) throw new Error('not polled yet')
    })
  })

  it('refuses a body without a ticket id, and ignores a ticket nobody watches', async ({
    expect,
  }) => {
    const post = (body: string) =>
      exports.default.fetch(
        new Request(HOOK, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }),
      )

    const bad = await post('{"ticket":"#12"}')
    const unknown = await post('{"ticket_id": 987654321}')

    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: 'invalid_payload' })
    expect(unknown.status).toBe(200)
    expect(await unknown.json()).toEqual({ status: 'ignored' })
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
