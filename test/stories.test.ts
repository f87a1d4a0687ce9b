import { env, exports } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import { createUdeskClient, type Ticket } from '../src/udesk/client'
import firing from './fixtures/alertmanager/firing.json'
import resolved from './fixtures/alertmanager/resolved.json'
import message from './fixtures/slack/message.json'
import threadReply from './fixtures/slack/thread-reply.json'
import {
  bearerRequest,
  DEV_SECRETS,
  formPost,
  slackRequest,
  standardWebhookRequest,
} from './helpers/signed-request'
import { defaultSim, DEV_UDESK, simCalls } from './helpers/sim'

/**
 * Issue 4's "Done when" stories: requests through the worker, the queue consumer delivering
 * them, and the outcome read back from the simulator through the signed Udesk API.
 */
const udesk = createUdeskClient({ baseUrl: env.UDESK_BASE_URL, credentials: DEV_UDESK })
const settle = { timeout: 15_000, interval: 100 }

async function ticketsWhere(match: (ticket: Ticket) => boolean): Promise<Ticket[]> {
  const found: Ticket[] = []
  for await (const ticket of udesk.listTickets({ perPage: 100 }))
    if (match(ticket)) found.push(ticket)
  return found
}

async function replies(ticketId: number) {
  const all = []
  for await (const reply of udesk.listReplies(ticketId)) all.push(reply)
  return all
}

async function send(request: Request | Promise<Request>) {
  const response = await exports.default.fetch(await request)
  return { status: response.status, body: response.status === 303 ? null : await response.json() }
}

describe('issue 4 stories', () => {
  it("Alertmanager's example fires twice (one ticket), resolves, then fires again (reopened)", async ({
    expect,
  }) => {
    const receiver = `story-${crypto.randomUUID()}`
    const fire = { ...firing, receiver }
    const alert = (payload: unknown) =>
      bearerRequest('alertmanager', payload, DEV_SECRETS.alertmanager)
    const ours = (t: Ticket) => (t.content ?? '').includes(`Alertmanager receiver: ${receiver}`)

    expect(await send(alert(fire))).toMatchObject({ status: 202 })
    expect(await send(alert(fire))).toEqual({ status: 200, body: { status: 'duplicate' } })
    const ticket = await vi.waitFor(async () => {
      const found = await ticketsWhere(ours)
      expect(found).toHaveLength(1)
      return found[0]!
    }, settle)

    expect(await send(alert({ ...resolved, receiver }))).toMatchObject({ status: 202 })
    await vi.waitFor(async () => {
      expect((await udesk.getTicket({ id: ticket.id })).status_en).toBe('resolved')
      const notes = (await replies(ticket.id)).filter((r) => r.function_type === 'internal')
      expect(notes.map((n) => n.content)).toEqual([expect.stringContaining('RESOLVED')])
    }, settle)

    const refire = {
      ...fire,
      alerts: fire.alerts.map((a) => ({ ...a, startsAt: '2024-05-14T10:05:00Z' })),
    }
    expect(await send(alert(refire))).toMatchObject({ status: 202 })
    await vi.waitFor(async () => {
      expect((await udesk.getTicket({ id: ticket.id })).status_en).toBe('open')
      const notes = (await replies(ticket.id)).filter((r) => r.function_type === 'internal')
      expect(notes).toHaveLength(2)
      expect(notes[1]?.content).toContain('FIRING')
    }, settle)
    expect(await ticketsWhere(ours)).toHaveLength(1)
  })

  it('a Slack message and two threaded replies make one ticket with two customer replies', async ({
    expect,
  }) => {
    const run = crypto.randomUUID().slice(0, 8)
    const channel = `CSTORY${run}`
    const user = `USTORY${run}`
    const ts = `1715680000.${run}`
    const top = {
      ...message,
      event_id: `EvTop${run}`,
      event: { ...message.event, channel, user, ts, text: `Checkout is broken (${run})` },
    }
    const reply = (n: number) => ({
      ...threadReply,
      event_id: `EvReply${n}${run}`,
      event: {
        ...threadReply.event,
        channel,
        user,
        thread_ts: ts,
        ts: `1715680100.${n}${run}`,
        text: `Reply ${n} (${run})`,
      },
    })

    expect(await send(slackRequest(top))).toMatchObject({ status: 202 })
    const ticket = await vi.waitFor(async () => {
      const found = await ticketsWhere((t) => t.subject === `Checkout is broken (${run})`)
      expect(found).toHaveLength(1)
      return found[0]!
    }, settle)
    expect(await send(slackRequest(reply(1)))).toMatchObject({ status: 202 })
    expect(await send(slackRequest(reply(2)))).toMatchObject({ status: 202 })
    const retry = slackRequest(reply(2), {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    })
    expect(await send(retry)).toEqual({ status: 200, body: { status: 'duplicate' } })

    await vi.waitFor(async () => {
      const customerReplies = (await replies(ticket.id)).filter(
        (r) => (r.author as { user_type?: string } | null)?.user_type === 'customer',
      )
      expect(customerReplies.map((r) => r.content)).toEqual([
        expect.stringContaining(`Reply 1 (${run})`),
        expect.stringContaining(`Reply 2 (${run})`),
      ])
    }, settle)
    const customer = await udesk.getCustomer({
      type: 'customer_token',
      content: `slack:T061EG9R6:${user}`,
    })
    expect(customer?.id).toBe(ticket.user_id)
  })

  it('a browser form post gets 303 and a ticket; the same person again reuses the customer', async ({
    expect,
  }) => {
    const email = `story-${crypto.randomUUID().slice(0, 8)}@example.com`
    const since = (await simCalls(defaultSim().controlUrl)).at(-1)?.seq ?? 0
    const post = (message: string) => formPost('contact', { name: 'Story Visitor', email, message })

    const first = await exports.default.fetch(post('First question'))
    expect(first.status).toBe(303)
    await vi.waitFor(async () => {
      expect(await ticketsWhere((t) => t.user_email === email)).toHaveLength(1)
    }, settle)
    const second = await exports.default.fetch(post('Second question'))
    expect(second.status).toBe(303)

    const tickets = await vi.waitFor(async () => {
      const found = await ticketsWhere((t) => t.user_email === email)
      expect(found).toHaveLength(2)
      return found
    }, settle)
    const customer = await udesk.getCustomer({ type: 'email', content: email })
    expect(tickets.map((t) => t.user_id)).toEqual([customer?.id, customer?.id])
    const creates = (await simCalls(defaultSim().controlUrl, since)).filter(
      (c) =>
        c.method === 'POST' && c.path === '/customers' && JSON.stringify(c.body).includes(email),
    )
    expect(creates).toHaveLength(1)
  })

  it('Standard-Webhooks open, reply and resolve on one thread make one resolved ticket', async ({
    expect,
  }) => {
    const thread = `story-${crypto.randomUUID()}`
    const email = `${thread}@example.com`
    const events = [
      {
        type: 'ticket.open',
        thread,
        subject: `Widget chat ${thread}`,
        content: 'Hi, my order is late.',
        customer: { email, name: 'Chat Visitor' },
      },
      { type: 'ticket.reply', thread, content: 'Order number 4711.' },
      { type: 'ticket.resolve', thread },
    ]

    for (const event of events) {
      expect(await send(standardWebhookRequest(event))).toMatchObject({ status: 202 })
    }

    await vi.waitFor(async () => {
      const found = await ticketsWhere((t) => t.subject === `Widget chat ${thread}`)
      expect(found).toHaveLength(1)
      expect(found[0]?.status_en).toBe('resolved')
      const all = await replies(found[0]!.id)
      expect(
        all
          .filter((r) => (r.author as { user_type?: string } | null)?.user_type === 'customer')
          .map((r) => r.content),
      ).toEqual([expect.stringContaining('Order number 4711.')])
    }, settle)
  })
})
