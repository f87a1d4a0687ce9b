import { beforeAll, describe, it } from 'vitest'
import { UdeskError } from '../../src/udesk/client'
import {
  clientFor,
  freshSim,
  rejection,
  simState,
  simTicket,
  unique,
  type FreshSim,
} from './fresh-sim'

let sim: FreshSim
let udesk: ReturnType<typeof clientFor>

beforeAll(async () => {
  sim = await freshSim()
  udesk = clientFor(sim)
})

async function customerWithEmail() {
  const email = `${unique('ada')}@example.com`
  const { id } = await udesk.createCustomer({ email, nickName: 'Ada Lovelace' })
  return { id, email }
}

describe('createTicket', () => {
  it('opens a ticket for a known customer with priority, tags and custom fields', async ({
    expect,
  }) => {
    const customer = await customerWithEmail()

    const { ticketId } = await udesk.createTicket({
      subject: 'Invoice 2026-0412 charged twice',
      content: '<p>My card was charged twice for the April invoice.</p>',
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
      content: 'free space below 5%',
    })

    expect(await simTicket(sim, ticketId)).toMatchObject({ user_id: null, priority: '标准' })
  })

  it('fails permanently when Udesk knows no such customer (code 2000)', async ({ expect }) => {
    const error = await rejection(
      udesk.createTicket({
        subject: 'Where is my order?',
        content: 'Order 77 has not arrived.',
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
    const error = await rejection(udesk.createTicket({ subject: '', content: 'body' }))

    expect(error).toMatchObject({
      udeskCode: 2000,
      udeskMessage: 'Sorry, ticket subject cannot be empty',
    })
  })

  it('passes on Udesk refusing a follower that is no agent (code 2005)', async ({ expect }) => {
    const error = await rejection(
      udesk.createTicket({ subject: 'Follow me', content: 'body', followerIds: [9999] }),
    )

    expect(error).toMatchObject({ udeskCode: 2005, udeskMessage: 'No such resource found' })
  })
})

describe('getTicket', () => {
  it('finds a ticket by id and by its number', async ({ expect }) => {
    const { ticketId } = await udesk.createTicket({ subject: unique('lookup'), content: 'x' })

    const byId = await udesk.getTicket({ id: ticketId })
    const byNum = await udesk.getTicket({ num: byId.field_num })

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

describe('updateTicket', () => {
  it('resolves a ticket, raising its priority and retagging it', async ({ expect }) => {
    const subject = unique('Checkout times out')
    const { ticketId } = await udesk.createTicket({ subject, content: 'x' })

    const updated = await udesk.updateTicket(ticketId, {
      subject,
      statusId: 2,
      priority: 'high',
      tags: ['checkout', 'resolved-by-deploy'],
    })

    expect(updated).toMatchObject({ id: ticketId, status_id: 2, status_en: 'resolved' })
    expect(updated.tags?.map((t) => t.name)).toEqual(['checkout', 'resolved-by-deploy'])
    expect(await simTicket(sim, ticketId)).toMatchObject({
      status_en: 'resolved',
      priority: '高',
      tags: 'checkout,resolved-by-deploy',
    })
  })

  it('attaches the customer found by an identifier', async ({ expect }) => {
    const customer = await customerWithEmail()
    const { ticketId } = await udesk.createTicket({ subject: unique('orphan'), content: 'x' })

    const updated = await udesk.updateTicket(
      ticketId,
      { subject: 'Now with a customer' },
      { type: 'email', value: customer.email },
    )

    expect(updated.customer_id).toBe(customer.id)
    expect(await simTicket(sim, ticketId)).toMatchObject({ user_id: customer.id })
  })

  it('reports the customer identifier errors 40001, 40002 and 40003', async ({ expect }) => {
    const { ticketId } = await udesk.createTicket({ subject: unique('ids'), content: 'x' })
    const update = (type: string, value: string) =>
      rejection(udesk.updateTicket(ticketId, { subject: 'ids' }, { type, value }))

    const errors = [
      await update('email', ''),
      await update('nickname', 'ada'),
      await update('email', `${unique('ghost')}@example.com`),
    ]

    expect(errors.map((e) => (e as UdeskError).udeskCode)).toEqual([40001, 40002, 40003])
    expect(errors.map((e) => (e as UdeskError).udeskMessage)).toEqual([
      'Identifier type and value must exist simultaneously or be empty simultaneously',
      'Unsupported customer_id_type',
      'No customer found based on customer_id_type and customer_id_value',
    ])
  })

  it('fails with code 2005 for a ticket id that does not exist', async ({ expect }) => {
    const error = await rejection(udesk.updateTicket(987654, { subject: 'gone', statusId: 2 }))

    expect(error).toMatchObject({ endpoint: 'PUT /tickets/:id', udeskCode: 2005 })
  })
})

describe('deleteTicket', () => {
  it('deletes by id and by number', async ({ expect }) => {
    const first = await udesk.createTicket({ subject: unique('spam'), content: 'x' })
    const second = await udesk.createTicket({ subject: unique('spam'), content: 'x' })
    const secondNum = (await udesk.getTicket({ id: second.ticketId })).field_num

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
