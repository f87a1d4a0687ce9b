import { beforeAll, describe, it } from 'vitest'
import {
  clientFor,
  collect,
  freshSim,
  rejection,
  simTicket,
  unique,
  type FreshSim,
} from './fresh-sim'
import { html, textToHtml } from '../../src/content/html'

/** The simulated account's administrator, the agent whose email signs the calls. */
const ADMIN_AGENT_ID = 1

let sim: FreshSim
let udesk: ReturnType<typeof clientFor>

beforeAll(async () => {
  sim = await freshSim()
  udesk = clientFor(sim)
})

async function ticketOfNewCustomer() {
  const email = `${unique('grace')}@example.com`
  await udesk.createCustomer({ email, nickName: 'Grace Hopper' })
  const customer = { type: 'email' as const, content: email }
  return udesk.createTicket({
    subject: unique('Printer on fire'),
    content: textToHtml('x'),
    customer,
  })
}

describe('agentReply', () => {
  it('adds an internal note in an agent’s name', async ({ expect }) => {
    const { ticketId } = await udesk.createTicket({
      subject: unique('Alert'),
      content: textToHtml('x'),
    })

    const reply = await udesk.agentReply({
      id: ticketId,
      content: textToHtml('Alert resolved at 10:42 UTC'),
      functionType: 'internal',
      agentId: ADMIN_AGENT_ID,
    })

    expect(reply).toMatchObject({
      content: 'Alert resolved at 10:42 UTC',
      function_type: 'internal',
    })
    expect(reply.author).toMatchObject({ id: ADMIN_AGENT_ID, user_type: 'agent' })
    expect((await simTicket(sim, ticketId))?.replies).toMatchObject([
      { content: 'Alert resolved at 10:42 UTC', function_type: 'internal' },
    ])
  })

  it('replies externally by ticket number, as the client’s default agent', async ({ expect }) => {
    const { ticketId } = await ticketOfNewCustomer()
    const num = (await udesk.getTicket({ id: ticketId })).field_num as string
    const asAdmin = clientFor(sim, { agentId: ADMIN_AGENT_ID })

    const reply = await asAdmin.agentReply({
      num,
      content: html`<p>We are on it.</p>`,
      functionType: 'external',
    })

    expect(reply).toMatchObject({ function_type: 'external', author: { id: ADMIN_AGENT_ID } })
  })

  it('passes on Udesk requiring an agent id', async ({ expect }) => {
    const { ticketId } = await udesk.createTicket({
      subject: unique('no agent'),
      content: textToHtml('x'),
    })

    const error = await rejection(
      udesk.agentReply({ id: ticketId, content: textToHtml('note'), functionType: 'internal' }),
    )

    expect(error).toMatchObject({
      endpoint: 'POST /tickets/agent_reply',
      udeskCode: 2000,
      udeskMessage: 'Sorry, customer service id is required and cannot be empty',
    })
  })
})

describe('customerReply', () => {
  it('adds the customer’s follow-up as an external reply', async ({ expect }) => {
    const { ticketId } = await ticketOfNewCustomer()

    const reply = await udesk.customerReply({
      id: ticketId,
      content: textToHtml('It is still on fire.'),
      contentType: 'text',
    })

    expect(reply).toMatchObject({
      content: 'It is still on fire.',
      content_format: 'text',
      function_type: 'external',
      author: { user_type: 'customer' },
    })
    expect((await simTicket(sim, ticketId))?.replies).toMatchObject([
      { content: 'It is still on fire.', author: { user_type: 'customer' } },
    ])
  })

  it('fails on a ticket that has no customer', async ({ expect }) => {
    const { ticketId } = await udesk.createTicket({
      subject: unique('anon'),
      content: textToHtml('x'),
    })

    const error = await rejection(
      udesk.customerReply({ id: ticketId, content: textToHtml('hello'), contentType: 'html' }),
    )

    expect(error).toMatchObject({
      udeskCode: 2000,
      udeskMessage: 'Sorry, the customer of the ticket does not exist',
      retryable: false,
    })
  })

  it('fails on empty content', async ({ expect }) => {
    const { ticketId } = await ticketOfNewCustomer()

    const error = await rejection(
      udesk.customerReply({ id: ticketId, content: textToHtml(''), contentType: 'text' }),
    )

    expect(error).toMatchObject({
      udeskCode: 2000,
      udeskMessage: 'Sorry, reply content new_reply is required and cannot be empty',
    })
  })
})

describe('listReplies and listChangeLogs', () => {
  // 105 of each: enough to see Udesk clamp per_page up to 20 and down to 100.
  const COUNT = 105
  let ticketId: number

  beforeAll(async () => {
    ;({ ticketId } = await ticketOfNewCustomer())
    const subject = unique('busy ticket')
    for (let i = 0; i < COUNT; i += 1) {
      await udesk.customerReply({
        id: ticketId,
        content: textToHtml(`follow-up ${i}`),
        contentType: 'text',
      })
      await udesk.updateTicket(ticketId, { subject, tags: [`round-${i}`] })
    }
  })

  it('answers at least 20 replies a page even when asked for fewer', async ({ expect }) => {
    const page = await udesk.listRepliesPage(ticketId, { perPage: 5 })

    expect(page.items).toHaveLength(20)
    expect(page.meta).toEqual({ current_page: 1, total_pages: 6, total_count: COUNT })
  })

  it('answers at most 100 replies a page', async ({ expect }) => {
    const page = await udesk.listRepliesPage(ticketId, { perPage: 1000 })

    expect(page.items).toHaveLength(100)
  })

  it('reads every reply in order', async ({ expect }) => {
    const replies = await collect(udesk.listReplies(ticketId))

    expect(replies.map((r) => r.content)).toEqual(
      Array.from({ length: COUNT }, (_, i) => `follow-up ${i}`),
    )
  })

  it('clamps change log pages to 20..100 and reads them all', async ({ expect }) => {
    const small = await udesk.listChangeLogsPage(ticketId, { perPage: 1 })
    const large = await udesk.listChangeLogsPage(ticketId, { perPage: 500 })
    const all = await collect(udesk.listChangeLogs(ticketId, { perPage: 100 }))

    expect(small.items).toHaveLength(20)
    expect(large.items).toHaveLength(100)
    expect(all.length).toBeGreaterThanOrEqual(COUNT)
    expect(
      all.flatMap((log) => (log.changes as { field: string }[]).map((c) => c.field)),
    ).toContain('tags')
  })
})
