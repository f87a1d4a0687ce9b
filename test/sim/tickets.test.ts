import { beforeAll, describe, it } from 'vitest'
import {
  type SimInstanceInfo,
  createSimCustomer,
  createSimInstance,
  simState,
  udeskJson,
} from '../helpers/sim'

let sim: SimInstanceInfo

beforeAll(async () => {
  sim = await createSimInstance()
})

const call = (method: string, path: string, body?: unknown) =>
  udeskJson(sim.baseUrl, method, path, body)

async function ticketNum(id: number): Promise<string> {
  const { ticket } = await call('GET', `/tickets/detail?id=${id}`)
  return (ticket as { field_num: string }).field_num
}

async function ticket(fields: Record<string, unknown> = {}) {
  const answer = await call('POST', '/tickets', {
    ticket: { subject: 'Printer jam', content: 'Paper stuck', ...fields },
  })
  return answer.ticket_id as number
}

describe('tickets', () => {
  it('opens a ticket for an existing customer and finds it by its URL-encoded number', async ({
    expect,
  }) => {
    await createSimCustomer(sim, 'rita@example.com', { cellphones: [[null, '+15550101']] })
    const id = await ticket({
      type: 'cellphone',
      type_content: '+15550101',
      priority: '高',
      tags: 'vip, jam',
    })
    const num = await ticketNum(id)

    const byNum = await call('GET', `/tickets/detail?num=${encodeURIComponent(num)}`)

    expect(byNum).toMatchObject({
      code: 1000,
      ticket: {
        id,
        user_email: 'rita@example.com',
        priority: '高',
        status: '开启',
        status_en: 'open',
        tags: 'vip,jam',
      },
    })
  })

  it("refuses a customer that does not exist, with the reference's message", async ({ expect }) => {
    const answer = await call('POST', '/tickets', {
      ticket: { subject: 'Who?', content: 'x', type: 'email', type_content: 'nobody@example.com' },
    })

    expect(answer).toEqual({
      code: 2000,
      message: 'Sorry, no such customer. Please create a customer first',
    })
  })

  it('validates subject, content, priority names and status ids', async ({ expect }) => {
    const cases = [
      [{ content: 'x' }, 'Sorry, ticket subject cannot be empty'],
      [{ subject: 'x' }, 'Sorry, ticket description cannot be empty'],
      [{ subject: 'x', content: 'x', priority: 'urgent' }, 'Priority error'],
      [{ subject: 'x', content: 'x', status_id: 5 }, 'Status error'],
    ] as const
    const messages = []
    for (const [fields] of cases)
      messages.push((await call('POST', '/tickets', { ticket: fields })).message)

    expect(messages).toEqual(cases.map(([, message]) => message))
    expect(
      await call('POST', '/tickets', { ticket: { subject: 'a'.repeat(256), content: 'x' } }),
    ).toMatchObject({ code: 2000 })
    expect(await call('POST', '/tickets', {})).toEqual({
      code: 2000,
      message: 'Sorry, the object ticket cannot be empty',
    })
  })

  it('records a change log for an update and answers with the update shape', async ({ expect }) => {
    const id = await ticket({ priority: '低' })

    const answer = await call('PUT', `/tickets/${id}`, {
      ticket: { status_id: 2, priority_id: 1, tags: 'done' },
    })
    const logs = await call('GET', `/tickets/${id}/change_logs`)

    expect(answer).toMatchObject({
      code: 1000,
      ticket: { id, status_id: 2, status_en: 'resolved', tags: [{ name: 'done' }] },
    })
    expect(logs.change_logs).toEqual([
      expect.objectContaining({
        changes: [
          expect.objectContaining({ field: 'status_id', old_value: '开启', new_value: '已解决' }),
          expect.objectContaining({ field: 'priority_id', old_value: '低', new_value: '紧急' }),
          expect.objectContaining({ field: 'tags', old_value: '', new_value: 'done' }),
        ],
      }),
    ])
  })

  it('applies the customer_id_type / customer_id_value rules of update (40001-40003)', async ({
    expect,
  }) => {
    const id = await ticket()
    const owner = await createSimCustomer(sim, 'owner@example.com')
    const put = (extra: Record<string, unknown>) =>
      call('PUT', `/tickets/${id}`, { ticket: { subject: 'Moved' }, ...extra })

    expect(await put({ customer_id_type: 'email' })).toMatchObject({ code: 40001 })
    expect(await put({ customer_id_type: 'passport', customer_id_value: 'X1' })).toMatchObject({
      code: 40002,
    })
    expect(
      await put({ customer_id_type: 'email', customer_id_value: 'ghost@example.com' }),
    ).toMatchObject({
      code: 40003,
      message: 'No customer found based on customer_id_type and customer_id_value',
    })
    expect(
      await put({ customer_id_type: 'customer_id', customer_id_value: String(owner) }),
    ).toMatchObject({
      code: 1000,
      ticket: { customer_id: owner, subject: 'Moved' },
    })
  })

  it('clamps replies pages to at least 20 items', async ({ expect }) => {
    await createSimCustomer(sim, 'chatty@example.com')
    const id = await ticket({ type: 'email', type_content: 'chatty@example.com' })
    for (let i = 1; i <= 21; i++) {
      await call('POST', '/tickets/customer_reply', {
        id,
        content_type: 'text',
        new_reply: `Reply ${i}`,
      })
    }

    const page = await call('GET', `/tickets/${id}/replies?per_page=5`)

    expect((page.replies as unknown[]).length).toBe(20)
    expect(page.meta).toEqual({ current_page: 1, total_pages: 2, total_count: 21 })
  })

  it('refuses a customer reply on a ticket without customer', async ({ expect }) => {
    const id = await ticket()

    const answer = await call('POST', '/tickets/customer_reply', {
      id,
      content_type: 'html',
      new_reply: '<p>hi</p>',
    })

    expect(answer).toEqual({
      code: 2000,
      message: 'Sorry, the customer of the ticket does not exist',
    })
  })

  it('deletes a ticket by number', async ({ expect }) => {
    const id = await ticket({ subject: 'Delete me' })
    const num = await ticketNum(id)

    const answer = await call('DELETE', `/tickets/destroy_ticket?num=${encodeURIComponent(num)}`)

    expect(answer).toEqual({ code: 1000, message: 'success' })
    expect(await call('GET', `/tickets/detail?id=${id}`)).toEqual({
      code: 2000,
      message: 'Sorry, the resource does not exist',
    })
    expect((await simState(sim.controlUrl)).tickets.map((x) => x.id)).not.toContain(id)
  })

  it('takes one satisfaction survey per ticket', async ({ expect }) => {
    const id = await ticket()

    const invalid = await call('PUT', '/tickets/take_survey', { ticket_id: id, vote_number: 0 })
    const first = await call('PUT', '/tickets/take_survey', {
      ticket_id: id,
      vote_number: 1,
      vote_desc: 'Great',
    })
    const second = await call('PUT', '/tickets/take_survey', { ticket_id: id, vote_number: 2 })

    expect(invalid).toEqual({ code: 20573, message: 'vote_number is not a positive integer' })
    expect(first).toEqual({ code: 1000, message: 'success' })
    expect(second).toEqual({ code: 20576, message: 'The ticket has been evaluated' })
  })
})
