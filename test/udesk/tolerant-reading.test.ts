import { textToHtml } from '../../src/content/html'
import { describe, it } from 'vitest'
import { createUdeskClient, UdeskError, type UdeskFetch } from '../../src/udesk/client'
import { MAX_EXPORT_ANSWER_BYTES } from '../../src/udesk/filters'

// Udesk's own example answers (the ticket API reference's "Return" sections, trimmed to one
// item) and the variants a PHP back end produces: nulls, numbers as strings, arrays for strings.

const BASE_URL = 'https://acme.udesk.test/open_api_v1'
const CREDENTIALS = { email: 'admin@example.com', token: 'dev-udesk-token' }

function clientAnswering(...bodies: unknown[]) {
  const nonces: string[] = []
  const fetch: UdeskFetch = async (url) => {
    nonces.push(new URL(url).searchParams.get('nonce') ?? '')
    const body = bodies[Math.min(nonces.length - 1, bodies.length - 1)]
    return Response.json(body)
  }
  return {
    client: createUdeskClient({ baseUrl: BASE_URL, credentials: CREDENTIALS, fetch }),
    nonces,
  }
}

async function failure(promise: Promise<unknown>): Promise<UdeskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof UdeskError)) throw new Error(`expected a UdeskError, got ${error}`)
  return error
}

const listedTicket = {
  id: 1,
  field_num: '#638',
  subject: "Is Jane's Beauty Products authentic?",
  content: 'Yes! We guarantee that all goods sold are 100% authentic.',
  content_type: 'html',
  user_id: 1,
  user_name: 'Lucy',
  user_email: 'lucy_customer@qq.com',
  user_cellphone: '14923491300',
  organization_id: null,
  assignee_id: 2,
  assignee_avatar: null,
  priority: 'High',
  status: 'Open',
  status_en: 'open',
  satisfaction: null,
  custom_fields: {},
  tags: '',
  followers: [],
  im_sub_session_id: 125,
  attachments: [{ name: 'Attachment 1', url: 'https://qn-public.udesk.cn/file-1511169203.txt' }],
  created_at: '2017-07-10T15:45:34.000+08:00',
  replied_by: 'alalla',
}
const ticketList = (ticket: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({
  code: 1000,
  message: 'success',
  contents: [{ ticket }],
  meta: { current_page: 1, total_pages: 1, total_count: 1, ...meta },
})

const reply = {
  content: 'Replies and replies',
  content_format: 'html',
  created_at: '2017-09-25T16:37:30.486+08:00',
  function_type: 'internal',
  cc: '1032750611@qq.com,2633233452@qq.com',
  author: { id: 13, user_type: 'agent', email: 'agent11@udesk.cn', avatar: '' },
  attachments: [{ url: 'https://qn-public.udesk.cn/file', file_name: 'File 1', file_size: 1222 }],
}
const replyList = (item: Record<string, unknown>) => ({
  code: 1000,
  replies: [item],
  meta: { current_page: 1, total_pages: 1, total_count: 1 },
})

describe('reading the ticket list', () => {
  it("takes Udesk's own example answer", async ({ expect }) => {
    const { client } = clientAnswering(ticketList(listedTicket))

    const page = await client.listTicketsPage({ page: 1 })

    expect(page.items[0]).toMatchObject({ id: 1, content: listedTicket.content, custom_fields: {} })
  })

  it('takes nulls, ids and counts as strings, and arrays where the reference shows strings', async ({
    expect,
  }) => {
    const variant = {
      ...listedTicket,
      id: '42',
      field_num: 848,
      content: null,
      user_cellphone: ['13900000000', '13900000001'],
      tags: ['vip', 'web'],
      custom_fields: [],
      followers: null,
      attachments: null,
      satisfaction: { id: 3, name: 'Satisfied' },
    }
    const { client } = clientAnswering(ticketList(variant, { total_pages: '3', total_count: null }))

    const page = await client.listTicketsPage({ page: 1 })

    expect(page.items[0]).toMatchObject({
      id: 42,
      content: null,
      custom_fields: {},
      tags: ['vip', 'web'],
    })
    expect(page.meta).toMatchObject({ total_pages: 3 })
  })

  it('fails permanently, naming the endpoint and the field, when a ticket id is no id', async ({
    expect,
  }) => {
    const { client } = clientAnswering(ticketList({ ...listedTicket, id: { value: 1 } }))

    const error = await failure(client.listTicketsPage({ page: 1 }))

    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false })
    expect(error.message).toContain('GET /tickets')
    expect(error.message).toContain('field contents.0.ticket.id')
  })
})

describe('reading replies', () => {
  it("takes Udesk's own example answer and its variants", async ({ expect }) => {
    const variant = { ...reply, id: '7', cc: ['a@example.com'], author: null, attachments: 'none' }
    const { client } = clientAnswering(replyList(reply), replyList(variant))

    const [example, varied] = [
      await client.listRepliesPage(1, { page: 1 }),
      await client.listRepliesPage(1, { page: 1 }),
    ]

    expect(example.items[0]).toMatchObject({ content: 'Replies and replies' })
    expect(varied.items[0]).toMatchObject({ id: 7, content: 'Replies and replies' })
  })

  it('fails permanently naming the field when a reply content is an object', async ({ expect }) => {
    const { client } = clientAnswering(replyList({ ...reply, content: { html: '<p>x</p>' } }))

    const error = await failure(client.listRepliesPage(1, { page: 1 }))

    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false })
    expect(error.message).toContain('GET /tickets/:id/replies')
    expect(error.message).toContain('field replies.0.content')
  })
})

describe('reading writes and settings', () => {
  it('takes a created ticket id and a customer id sent as strings', async ({ expect }) => {
    const { client } = clientAnswering(
      { code: 1000, message: 'success', ticket_id: '1234' },
      { code: 1000, customer: { id: '88', email: null, cellphones: '13900000000', web_token: 5 } },
    )

    const created = await client.createTicket({ subject: 'a', content: textToHtml('b') })
    const customer = await client.getCustomer({ type: 'email', content: 'x@example.com' })

    expect(created).toEqual({ ticketId: 1234 })
    expect(customer).toMatchObject({ id: 88 })
  })

  it('takes custom fields whose options come back malformed', async ({ expect }) => {
    const field = { field_name: 'SelectField_1', field_label: 'Region', requirement: 'yes' }
    const { client } = clientAnswering({
      code: 1000,
      ticket_custom_fields: [{ ...field, options: 'North,South', permission: null }],
    })

    const fields = await client.listCustomFields()

    expect(fields.map((f) => f.field_name)).toEqual(['SelectField_1'])
  })
})

describe('refusals a fresh signature fixes', () => {
  const stale = { code: 2004, message: 'Sorry, the timestamp is invalid or expired' }
  const reused = { code: 2006, message: 'Sorry, the nonce has already been used' }

  it('signs again at once after a stale timestamp or a reused nonce', async ({ expect }) => {
    const { client, nonces } = clientAnswering(stale, reused, { code: 1000, ticket_id: 9 })

    const created = await client.createTicket({ subject: 'a', content: textToHtml('b') })

    expect(created).toEqual({ ticketId: 9 })
    expect(new Set(nonces).size).toBe(3)
  })

  it('reports a clock problem after two fresh signatures were refused too', async ({ expect }) => {
    const { client, nonces } = clientAnswering(stale)

    const error = await failure(client.createTicket({ subject: 'a', content: textToHtml('b') }))

    expect(nonces).toHaveLength(3)
    expect(error).toMatchObject({ kind: 'clock', retryable: true, outcomeUnknown: false })
    expect(error.message).toContain('clock')
  })
})

describe('reading the watch filter for the sweep (GET /tickets/export)', () => {
  // The sweep lists every unsolved ticket of the account, the bridge's and everyone else's:
  // a field it does not read must not fail the listing for every watch.
  const exportOf = (...tickets: Record<string, unknown>[]) => ({
    code: 1000,
    scroll_id: 'scroll-1',
    total: tickets.length,
    contents: tickets.map((ticket) => ({ ticket })),
  })

  it('lists a ticket whose unread fields have shapes the bridge does not expect', async ({
    expect,
  }) => {
    // PHP encodes an array with holes as an object; a subject or content may come as anything.
    const odd = {
      ...listedTicket,
      id: 2,
      subject: { zh: '发票' },
      content: ['<p>a</p>'],
      custom_fields: 'none',
      attachments: { 1: { name: 'a.png', url: 'https://qn-public.udesk.cn/a.png' } },
      agent_replied_at: '2026-11-30T10:00:00.000+08:00',
    }
    const { client } = clientAnswering(exportOf(listedTicket, odd))

    const batch = await client.exportBatch(4, undefined)

    expect(batch.items.map((t) => [t.id, t.status_en, t.agent_replied_at])).toEqual([
      [1, 'open', undefined],
      [2, 'open', '2026-11-30T10:00:00.000+08:00'],
    ])
    expect(batch.total).toBe(2)
  })

  it('fails permanently, naming the field, when a listed ticket id is no id', async ({
    expect,
  }) => {
    const { client } = clientAnswering(exportOf({ ...listedTicket, id: 'abc' }))

    const error = await failure(client.exportBatch(4, undefined))

    expect(error.retryable).toBe(false)
    expect(error.message).toContain('/tickets/export')
  })
})

describe('the size of an export answer', () => {
  // 1000 tickets a batch, each with its whole content: a worker holds 128 MB, and parsing an
  // answer takes a few times its size, so an answer past the bound is refused, not parsed.
  const MIB = 1024 * 1024

  function clientStreaming(bytes: number, declare: boolean) {
    let pulled = 0
    const chunk = new TextEncoder().encode(' '.repeat(MIB))
    const fetch: UdeskFetch = async () => {
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulled * MIB >= bytes) return controller.close()
          pulled += 1
          controller.enqueue(chunk)
        },
      })
      const headers = declare ? { 'content-length': String(bytes) } : undefined
      return new Response(body, { headers })
    }
    const client = createUdeskClient({ baseUrl: BASE_URL, credentials: CREDENTIALS, fetch })
    return { client, pulled: () => pulled }
  }

  it('refuses an answer whose declared length is past the bound, reading none of it', async ({
    expect,
  }) => {
    const { client, pulled } = clientStreaming(MAX_EXPORT_ANSWER_BYTES + MIB, true)

    const error = await failure(client.exportBatch(4, undefined))

    expect(error.retryable).toBe(false)
    expect(error.message).toBe(
      `Udesk GET /tickets/export answered more than ${MAX_EXPORT_ANSWER_BYTES} bytes, more than the bridge reads`,
    )
    expect(pulled()).toBeLessThanOrEqual(1)
  })

  it('stops reading an undeclared answer once it passes the bound', async ({ expect }) => {
    const { client, pulled } = clientStreaming(MAX_EXPORT_ANSWER_BYTES + 8 * MIB, false)

    const error = await failure(client.exportBatch(4, undefined))

    expect(error.retryable).toBe(false)
    expect(error.kind).toBe('invalid_response')
    expect(pulled()).toBeLessThanOrEqual(MAX_EXPORT_ANSWER_BYTES / MIB + 2)
  })
})
