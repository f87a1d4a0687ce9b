import { beforeAll, describe, it } from 'vitest'
import type { UdeskError, UpdateTicketInput } from '../../src/udesk/client'
import {
  clientFor,
  customerWithEmail,
  freshSim,
  rejection,
  simTicket,
  unique,
  type FreshSim,
} from './fresh-sim'
import { textToHtml } from '../../src/content/html'

let sim: FreshSim
let udesk: ReturnType<typeof clientFor>

beforeAll(async () => {
  sim = await freshSim()
  udesk = clientFor(sim)
})

describe('updateTicket', () => {
  it('resolves a ticket, raising its priority and retagging it', async ({ expect }) => {
    const subject = unique('Checkout times out')
    const { ticketId } = await udesk.createTicket({ subject, content: textToHtml('x') })

    const updated = await udesk.updateTicket(ticketId, {
      subject,
      statusId: 2,
      priority: 'high',
      tags: ['checkout', 'resolved-by-deploy'],
    })

    expect(updated).toMatchObject({ id: ticketId, status_id: 2, status_en: 'resolved' })
    expect((updated.tags as { name: string }[] | undefined)?.map((t) => t.name)).toEqual([
      'checkout',
      'resolved-by-deploy',
    ])
    expect(await simTicket(sim, ticketId)).toMatchObject({
      status_en: 'resolved',
      priority: '高',
      tags: 'checkout,resolved-by-deploy',
    })
  })

  it('attaches the customer found by an identifier', async ({ expect }) => {
    const customer = await customerWithEmail(udesk)
    const { ticketId } = await udesk.createTicket({
      subject: unique('orphan'),
      content: textToHtml('x'),
    })

    const updated = await udesk.updateTicket(
      ticketId,
      { subject: 'Now with a customer' },
      { type: 'email', value: customer.email },
    )

    expect(updated.customer_id).toBe(customer.id)
    expect(await simTicket(sim, ticketId)).toMatchObject({ user_id: customer.id })
  })

  it('reports the customer identifier errors 40001, 40002 and 40003', async ({ expect }) => {
    const { ticketId } = await udesk.createTicket({
      subject: unique('ids'),
      content: textToHtml('x'),
    })
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

describe('updateTicket refusals', () => {
  it.for<[UpdateTicketInput, string]>([
    [{ subject: '' }, 'Title is required'],
    [{ statusId: 9 }, 'Status is incorrect'],
    [{ templateId: 424242 }, 'Validation failed: Template "tickettemplate" does not exist'],
    [{ agentId: 424242 }, 'Unable to find agent'],
    [{ agentGroupId: 424242 }, 'The responsible group for the ticket owner is incorrect.'],
  ])('passes on the refusal of %o with its detail: %s', async ([change, detail], { expect }) => {
    const { ticketId } = await udesk.createTicket({
      subject: unique('refused'),
      content: textToHtml('x'),
    })

    const error = await rejection(udesk.updateTicket(ticketId, change))

    expect(error).toMatchObject({
      kind: 'udesk_code',
      udeskCode: 2000,
      udeskMessage: 'Unknown error',
      udeskDetail: detail,
    })
    expect((error as UdeskError).message).toContain(detail)
  })
})
