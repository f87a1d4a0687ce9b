import { env, exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import appMention from '../fixtures/slack/app-mention.json'
import message from '../fixtures/slack/message.json'
import threadReply from '../fixtures/slack/thread-reply.json'
import { slackRequest } from '../helpers/signed-request'
import { repliesOf, settle, ticketsWhere } from '../helpers/udesk-reader'
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Slack's example message in a channel of this test's own, with its own words. */
function slackMessage(text: string) {
  const n = crypto.randomUUID().slice(0, 8)
  return {
    ...message,
    event_id: `Ev${n}`,
    event: { ...message.event, channel: `CS${n.toUpperCase()}`, ts: `1700000100.${n}`, text },
  }
}

async function send(request: Promise<Request>) {
  const response = await exports.default.fetch(await request)
  return { status: response.status, body: await response.json() }
}

async function oneTicket(subject: string) {
  return vi.waitFor(async () => {
    const found = await ticketsWhere((t) => t.subject === subject)
    if (found.length !== 1) throw new Error(`${found.length} tickets named ${subject}`)
    return found[0]!
  }, settle)
}

describe('Slack as Slack really delivers', () => {
  it('answers the same message under a new event_id as a duplicate and adds nothing', async ({
    expect,
  }) => {
    const first = slackMessage(`Printer offline ${crypto.randomUUID()}`)
    const again = { ...first, event_id: `${first.event_id}x` }
    const queue = watchQueue()

    const answers = [await send(slackRequest(first)), await send(slackRequest(again))]

    expect(answers[1]).toEqual({ status: 200, body: { status: 'duplicate' } })
    expect(queue.messages().map((m) => m.event.type)).toEqual(['open'])
    const ticket = await oneTicket(first.event.text)
    expect(await repliesOf(ticket.id)).toEqual([])
  })

  it('opens one ticket for a message delivered both as message and as app_mention', async ({
    expect,
  }) => {
    const text = `<@U0LAN0Z89> the export job failed ${crypto.randomUUID()}`
    const asMessage = slackMessage(text)
    const asMention = {
      ...appMention,
      event_id: `${asMessage.event_id}m`,
      event: {
        ...appMention.event,
        channel: asMessage.event.channel,
        ts: asMessage.event.ts,
        text,
      },
    }
    const queue = watchQueue()

    const answers = [await send(slackRequest(asMention)), await send(slackRequest(asMessage))]

    expect(answers.map((a) => a.status)).toEqual([202, 200])
    expect(queue.messages()).toHaveLength(1)
    expect(queue.messages()[0]?.event).toMatchObject({ type: 'open', format: 'slack' })
  })

  it('answers one message Slack delivers again under another ts, with its client_msg_id, as a duplicate', async ({
    expect,
  }) => {
    // Slack has delivered one person's message twice as `message` events, ~20 s apart, each
    // with its own ts and the same client_msg_id (typeclaw/typeclaw#49).
    const first = slackMessage(`Refund request ${crypto.randomUUID()}`)
    const clientMsgId = crypto.randomUUID()
    const sent = { ...first, event: { ...first.event, client_msg_id: clientMsgId } }
    const phantom = {
      ...sent,
      event_id: `${sent.event_id}p`,
      event: { ...sent.event, ts: `${sent.event.ts}9`, event_ts: `${sent.event.ts}9` },
    }
    const queue = watchQueue()

    const answers = [await send(slackRequest(sent)), await send(slackRequest(phantom))]

    expect(answers.map((a) => a.status)).toEqual([202, 200])
    expect(queue.messages()).toHaveLength(1)
    const ticket = await oneTicket(sent.event.text)
    expect(await repliesOf(ticket.id)).toEqual([])
  })

  it("reads a message's two replay keys, its identity and client_msg_id, in one KV request", async ({
    expect,
  }) => {
    // Another isolate accepted the first delivery: its key is in KV, not in this one's memory.
    const accepted = slackMessage(`Password reset ${crypto.randomUUID()}`)
    const clientMsgId = crypto.randomUUID()
    const team = accepted.team_id
    await env.BRIDGE_KV.put(`replay:slack:${team}:client:${clientMsgId}`, '{}')
    const phantom = {
      ...accepted,
      event: { ...accepted.event, ts: `${accepted.event.ts}9`, client_msg_id: clientMsgId },
    }
    const get = vi.spyOn(env.BRIDGE_KV, 'get')
    const queue = watchQueue()

    const answer = await send(slackRequest(phantom))

    expect(answer).toEqual({ status: 200, body: { status: 'duplicate' } })
    expect(queue.messages()).toEqual([])
    expect(get.mock.calls.map(([keys]) => keys)).toEqual([
      [
        `replay:slack:${team}:${phantom.event.channel}:${phantom.event.ts}`,
        `replay:slack:${team}:client:${clientMsgId}`,
      ],
    ])
  })

  it('opens a ticket for an app_mention alone (a workspace subscribed only to mentions)', async ({
    expect,
  }) => {
    const n = crypto.randomUUID().slice(0, 8)
    const mention = {
      ...appMention,
      event_id: `Ev${n}`,
      event: { ...appMention.event, channel: `CM${n.toUpperCase()}`, client_msg_id: n },
    }

    const answer = await send(slackRequest(mention))

    expect(answer.status).toBe(202)
    const ticket = await oneTicket('@U0LAN0Z89 is it everything a river should be?')
    expect(ticket.content).toContain('@U0LAN0Z89 is it everything a river should be?')
  })

  it('renders Slack markup as readable, linked text in the ticket', async ({ expect }) => {
    const marker = crypto.randomUUID().slice(0, 8)
    const text = `See <https://status.example.com/i/42|the status page> ${marker}\nmail <mailto:ops@example.com|ops> <!here>`

    await send(slackRequest(slackMessage(text)))

    const ticket = await oneTicket(`See the status page ${marker}`)
    expect(ticket.content).toContain(
      `See <a href="https://status.example.com/i/42" rel="noopener noreferrer">the status page</a> ${marker}<br>\n` +
        'mail <a href="mailto:ops@example.com" rel="noopener noreferrer">ops (ops@example.com)</a> @here',
    )
  })
})

describe('a reply under a thread the bridge never saw', () => {
  function reply(channel: string, threadTs: string, n: number, text: string) {
    return {
      ...threadReply,
      event_id: `EvR${n}${channel}`,
      event: { ...threadReply.event, channel, thread_ts: threadTs, ts: `1700000200.${n}`, text },
    }
  }

  it('opens a ticket from the reply, and later replies in that thread go to it', async ({
    expect,
  }) => {
    const channel = `CO${crypto.randomUUID().slice(0, 8).toUpperCase()}`
    const subject = `Still no invoices ${channel}`

    const first = await send(slackRequest(reply(channel, '1700000000.000001', 1, subject)))
    const ticket = await oneTicket(subject)
    await send(slackRequest(reply(channel, '1700000000.000001', 2, 'And now the PDF fails too')))

    expect(first.status).toBe(202)
    expect(ticket.content).toContain('Continues an earlier Slack thread')
    expect(ticket.content).toContain(subject)
    await vi.waitFor(async () => {
      const replies = await repliesOf(ticket.id)
      expect(replies.map((r) => r.content?.split('<br>')[0])).toEqual(['And now the PDF fails too'])
    }, settle)
  })

  it("links the thread's permalink when a workspace URL is configured", async ({ expect }) => {
    const channel = `CP${crypto.randomUUID().slice(0, 8).toUpperCase()}`
    const subject = `Reply under a bot's message ${channel}`

    await send(
      slackRequest(reply(channel, '1700000000.000002', 1, subject), { source: 'slack-workspace' }),
    )

    const ticket = await oneTicket(subject)
    expect(ticket.content).toContain(
      `<a href="https://acme.slack.com/archives/${channel}/p1700000000000002" rel="noopener noreferrer">open the thread in Slack</a>`,
    )
  })
})
