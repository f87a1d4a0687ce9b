import { beforeAll, describe, it } from 'vitest'
import { UdeskError, type CreateTicketInput } from '../../src/udesk/client'
import {
  clientFor,
  customerWithEmail,
  freshSim,
  rejection,
  simState,
  simTicket,
  unique,
  type FreshSim,
} from './fresh-sim'
import { html, textToHtml } from '../../src/content/html'

let sim: FreshSim
let udesk: ReturnType<typeof clientFor>

beforeAll(async () => {
  sim = await freshSim()
  udesk = clientFor(sim)
})

describe('createTicket', () => {
  it('opens a ticket for a known customer with priority, tags and custom fields', async ({
    expect,
  }) => {
    const customer = await customerWithEmail(udesk)

    const { ticketId } = await udesk.createTicket({
      subject: 'Invoice 2026-0412 charged twice',
      content: html`<p>My card was charged twice for the April invoice.</p>`,
      customer: { type: 'email', content: customer.email },
      priority: 'urgent',
      tags: ['billing', 'refund'],
      fields: { TextField_1: 'INV-2026-0412', TextField_3: '2026-04-12' },
    })

    expect(await simTicket(sim, ticketId)).toMatchObject({
      subject: 'Invoice 2026-0412 charged twice',
      content: '<p>My card was charged twice for the April invoice.</p>',
      user_id: customer.id,
      priority: '紧急',
      status_en: 'open',
      tags: 'billing,refund',
      custom_fields: { TextField_1: 'INV-2026-0412', TextField_3: '2026-04-12' },
    })
  })

  it('opens a ticket without customer, at standard priority, when none is named', async ({
    expect,
  }) => {
    const { ticketId } = await udesk.createTicket({
      subject: 'Disk almost full on db-2',
      content: textToHtml('free space below 5%'),
    })

    expect(await simTicket(sim, ticketId)).toMatchObject({ user_id: null, priority: '标准' })
  })

  it('fails permanently when Udesk knows no such customer (code 2000)', async ({ expect }) => {
    const error = await rejection(
      udesk.createTicket({
        subject: 'Where is my order?',
        content: textToHtml('Order 77 has not arrived.'),
        customer: { type: 'email', content: `${unique('nobody')}@example.com` },
      }),
    )

    expect(error).toBeInstanceOf(UdeskError)
    expect(error).toMatchObject({
      kind: 'udesk_code',
      endpoint: 'POST /tickets',
      udeskCode: 2000,
      udeskMessage: 'Sorry, no such customer. Please create a customer first',
      retryable: false,
      outcomeUnknown: false,
    })
  })

  it('passes on Udesk refusing an empty subject', async ({ expect }) => {
    const error = await rejection(udesk.createTicket({ subject: '', content: textToHtml('body') }))

    expect(error).toMatchObject({
      udeskCode: 2000,
      udeskMessage: 'Sorry, ticket subject cannot be empty',
    })
  })

  it.for<[Partial<CreateTicketInput>, string]>([
    [{ content: textToHtml('') }, 'Sorry, ticket description cannot be empty'],
    [{ statusId: 9 }, 'Status error'],
    [{ assigneeEmail: 'not-an-email' }, 'Customer service email error'],
    [{ assigneeEmail: 'ghost@example.com' }, 'Customer service not found'],
    [{ agentGroupName: 'No such group' }, 'Customer group error, customer service group not found'],
    [{ creatorEmail: 'not-an-email' }, 'Customer creation email error'],
    [{ creatorEmail: 'ghost@example.com' }, 'Creator customer service not found'],
    [{ fields: { TextField_3: 'yesterday' } }, 'Time date format is incorrect'],
  ])('passes on the refusal of %o: %s', async ([change, message], { expect }) => {
    const error = await rejection(
      udesk.createTicket({ subject: unique('refused'), content: textToHtml('body'), ...change }),
    )

    expect(error).toMatchObject({ kind: 'udesk_code', udeskCode: 2000, udeskMessage: message })
  })

  it('passes on Udesk refusing a follower that is no agent (code 2005)', async ({ expect }) => {
    const error = await rejection(
      udesk.createTicket({
        subject: 'Follow me',
        content: textToHtml('body'),
        followerIds: [9999],
      }),
    )

    expect(error).toMatchObject({ udeskCode: 2005, udeskMessage: 'No such resource found' })
  })
})

describe('getTicket', () => {
  it('finds a ticket by id and by its number', async ({ expect }) => {
    const { ticketId } = await udesk.createTicket({
      subject: unique('lookup'),
      content: textToHtml('x'),
    })

    const byId = await udesk.getTicket({ id: ticketId })
    const byNum = await udesk.getTicket({ num: byId.field_num as string })

    expect(byId.field_num).toMatch(/^#\d+$/)
    expect(byNum).toEqual(byId)
    expect(byId).toMatchObject({ id: ticketId, status_en: 'open', priority: '标准' })
  })

  it('fails with code 2000 for a ticket that does not exist', async ({ expect }) => {
    const error = await rejection(udesk.getTicket({ id: 987654 }))

    expect(error).toMatchObject({
      endpoint: 'GET /tickets/detail',
      udeskCode: 2000,
      udeskMessage: 'Sorry, the resource does not exist',
    })
  })
})

describe('deleteTicket', () => {
  it('deletes by id and by number', async ({ expect }) => {
    const first = await udesk.createTicket({ subject: unique('spam'), content: textToHtml('x') })
    const second = await udesk.createTicket({ subject: unique('spam'), content: textToHtml('x') })
    const secondNum = (await udesk.getTicket({ id: second.ticketId })).field_num as string

    await udesk.deleteTicket({ id: first.ticketId })
    await udesk.deleteTicket({ num: secondNum })

    const ids = (await simState(sim)).tickets.map((t) => t.id)
    expect(ids).not.toContain(first.ticketId)
    expect(ids).not.toContain(second.ticketId)
  })

  it('fails with code 2000 for a number that names no ticket', async ({ expect }) => {
    const error = await rejection(udesk.deleteTicket({ num: '#99999999' }))

    expect(error).toMatchObject({
      endpoint: 'DELETE /tickets/destroy_ticket',
      udeskCode: 2000,
      udeskMessage: 'Sorry, the resource does not exist',
    })
  })
})
