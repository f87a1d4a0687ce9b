import { env, exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import { BRIDGE_URL, formPost } from '../helpers/signed-request'
import { jsonPost, multipartPost, unique, visitor } from './form-requests'
import { MAX_CARRIED_FILE_BYTES } from '../../src/inbound/attachments'
import type { TicketEvent } from '../../src/ticket-event'
import { ticketsMentioning, ticketWith } from './alert-tickets'
import { replayRecord, watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])

describe('POST /webhooks/contact (form)', () => {
  it('sends a browser on to the built-in thank-you page (303) and queues an open event', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const email = visitor()

    const response = await exports.default.fetch(
      formPost('contact', { name: 'Jane Doe', email, message: 'Please call me back.' }),
    )

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${BRIDGE_URL}/webhooks/contact/thanks`)
    expect(queue.messages()).toMatchObject([
      {
        event: {
          type: 'open',
          source: 'contact',
          subject: 'Website contact form',
          customer: { email, name: 'Jane Doe' },
          content: `Please call me back.\n\n---\nFrom: Jane Doe <${email}>`,
        },
      },
    ])
  })

  it('serves the built-in thank-you page as accessible HTML', async ({ expect }) => {
    const response = await exports.default.fetch(`${BRIDGE_URL}/webhooks/contact/thanks`)

    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    const html = await response.text()
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<h1>Thank you</h1>')
  })

  it('answers a script (JSON) with 202 and the submission id it chose', async ({ expect }) => {
    const queue = watchQueue()

    const response = await exports.default.fetch(
      jsonPost('contact', { email: visitor(), message: 'Hello', newsletter: true }),
    )

    const body = (await response.json()) as { id: string }
    expect(response.status).toBe(202)
    expect(body).toEqual({ status: 'accepted', id: expect.any(String) })
    expect(queue.messages()[0]).toMatchObject({
      deliveryId: body.id,
      event: {
        id: `contact:${body.id}:0`,
        thread: body.id,
        content: expect.stringContaining('newsletter: true'),
      },
    })
  })

  it('treats a resubmitted _submission_id or Idempotency-Key as a duplicate', async ({
    expect,
  }) => {
    const fields = { email: visitor(), message: 'Twice?', _submission_id: `sub-${unique()}` }
    const key = `idem-${unique()}`
    await exports.default.fetch(jsonPost('contact', fields))
    await exports.default.fetch(
      jsonPost('contact', { email: visitor() }, { 'idempotency-key': key }),
    )
    const queue = watchQueue()

    const byField = await exports.default.fetch(jsonPost('contact', fields))
    const byHeader = await exports.default.fetch(
      jsonPost('contact', { email: visitor() }, { 'idempotency-key': key }),
    )
    const byBrowser = await exports.default.fetch(formPost('contact', fields))

    expect(await byField.json()).toEqual({ status: 'duplicate' })
    expect(await byHeader.json()).toEqual({ status: 'duplicate' })
    expect(byBrowser.status).toBe(303)
    expect(queue.messages()).toEqual([])
  })

  it('answers a filled honeypot exactly like a success and queues nothing', async ({ expect }) => {
    const queue = watchQueue()
    const id = `sub-${unique()}`
    const fields = { email: 'bot@spam.example', message: 'Buy now', _submission_id: id }

    const bot = await exports.default.fetch(jsonPost('contact', { ...fields, _gotcha: 'x' }))
    const botBrowser = await exports.default.fetch(formPost('contact', { ...fields, _gotcha: 'x' }))

    expect(bot.status).toBe(202)
    expect(await bot.json()).toEqual({ status: 'accepted', id })
    expect(botBrowser.status).toBe(303)
    expect(queue.messages()).toEqual([])
    expect(await replayRecord('contact', id)).toBeNull()
  })

  it('validates a post with the honeypot filled like any other, so a 400 does not reveal the trap', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const fields = { email: 'bot-at-spam.example', message: 'Buy now' }

    const bot = await exports.default.fetch(jsonPost('contact', { ...fields, _gotcha: 'x' }))
    const person = await exports.default.fetch(jsonPost('contact', fields))

    expect(bot.status).toBe(400)
    expect(await bot.json()).toEqual(await person.json())
    expect(queue.messages()).toEqual([])
  })

  it('refuses a missing or invalid email with 400 naming the field, not its value', async ({
    expect,
  }) => {
    const missing = await exports.default.fetch(jsonPost('contact', { message: 'hi' }))
    const invalid = await exports.default.fetch(
      jsonPost('contact', { email: 'jane-at-example', message: 'hi' }),
    )

    expect(missing.status).toBe(400)
    expect(await missing.json()).toMatchObject({ issues: [{ path: ['email'] }] })
    const text = await invalid.text()
    expect(invalid.status).toBe(400)
    expect(JSON.parse(text)).toMatchObject({
      error: 'invalid_payload',
      issues: [{ path: ['email'] }],
    })
    expect(text).not.toContain('jane-at-example')
  })

  it('carries small files in the queue message, writing no KV before the answer, onto the ticket', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const put = vi.spyOn(env.BRIDGE_KV, 'put')
    const tag = `files-${unique()}`
    const form = new FormData()
    form.set('email', visitor())
    form.set('message', `Screenshot attached (${tag})`)
    form.append('files', new File([PNG_BYTES], 'C:\\Users\\jane\\error.png', { type: 'image/png' }))
    form.append('files', new File(['line 1\nline 2\n'], 'app.log', { type: 'text/plain' }))
    form.append('empty', new File([], ''))

    const response = await exports.default.fetch(multipartPost('contact', form))
    // Only its own files count: the consumer, delivering earlier posts, writes other keys.
    const writtenBeforeAnswer = put.mock.calls
      .map(([key]) => key)
      .filter((key) => key.startsWith('attachment:'))

    expect(response.status).toBe(202)
    expect(writtenBeforeAnswer).toEqual([])
    const [sent] = queue.sent() as { event: TicketEvent; files: { key: string; data: string }[] }[]
    const attachments = sent?.event.type === 'open' ? (sent.event.attachments ?? []) : []
    expect(attachments).toEqual([
      {
        key: `attachment:${sent?.event.id}:0`,
        name: 'error.png',
        size: 12,
        contentType: 'image/png',
      },
      {
        key: `attachment:${sent?.event.id}:1`,
        name: 'app.log',
        size: 14,
        contentType: 'text/plain',
      },
    ])
    expect(sent?.files.map((f) => [f.key, atob(f.data)])).toEqual([
      [attachments[0]?.key, String.fromCharCode(...PNG_BYTES)],
      [attachments[1]?.key, 'line 1\nline 2\n'],
    ])
    // The consumer stores them in KV, delivery uploads them and clears KV.
    const ticket = await ticketWith(tag, 2)
    expect(ticket.attachments.map((a) => a.name)).toEqual(['error.png', 'app.log'])
    await vi.waitFor(async () => expect(await env.BRIDGE_KV.get(attachments[0]!.key)).toBeNull())
  })

  it(
    'retries the message when the consumer cannot store its files, and delivers them then',
    {
      timeout: 20_000,
    },
    async ({ expect }) => {
      const tag = `kv-down-${unique()}`
      const original = env.BRIDGE_KV.put.bind(env.BRIDGE_KV)
      let failed = false
      const put = vi.spyOn(env.BRIDGE_KV, 'put').mockImplementation((key, ...rest) => {
        if (failed || !key.startsWith('attachment:')) return original(key, ...rest)
        failed = true
        return Promise.reject(new Error('KV PUT failed: 503'))
      })
      const form = new FormData()
      form.set('email', visitor())
      form.set('message', `Screenshot attached (${tag})`)
      form.append('files', new File([PNG_BYTES], 'error.png', { type: 'image/png' }))

      const response = await exports.default.fetch(multipartPost('contact', form))

      expect(response.status).toBe(202)
      const ticket = await ticketWith(tag, 1)
      expect(ticket.attachments.map((a) => a.name)).toEqual(['error.png'])
      const attempts = put.mock.calls.filter(([key]) => key.startsWith('attachment:'))
      expect(attempts.length).toBeGreaterThanOrEqual(2)
      expect(await ticketsMentioning(tag)).toHaveLength(1)
    },
  )

  it('writes files too large to ride in the message to KV before the answer, onto the ticket', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const tag = `big-file-${unique()}`
    const bytes = new Uint8Array(MAX_CARRIED_FILE_BYTES + 1).fill(65)
    const form = new FormData()
    form.set('email', visitor())
    form.set('message', `Full log attached (${tag})`)
    form.append('files', new File([bytes], 'full.log', { type: 'text/plain' }))

    const response = await exports.default.fetch(multipartPost('contact', form))

    expect(response.status).toBe(202)
    const [sent] = queue.sent() as { event: TicketEvent; files?: unknown }[]
    expect(sent?.files).toBeUndefined()
    const [ref] = sent?.event.type === 'open' ? (sent.event.attachments ?? []) : []
    const stored = await env.BRIDGE_KV.getWithMetadata(ref!.key, 'arrayBuffer')
    expect(stored.value?.byteLength).toBe(MAX_CARRIED_FILE_BYTES + 1)
    expect(stored.metadata).toEqual({
      name: 'full.log',
      size: bytes.byteLength,
      contentType: 'text/plain',
    })
    const ticket = await ticketWith(tag, 1)
    expect(ticket.attachments.map((a) => a.name)).toEqual(['full.log'])
  })

  it('writes a small file to KV before the answer when a long message leaves its queue message no room', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const tag = `long-message-${unique()}`
    const bytes = new Uint8Array(MAX_CARRIED_FILE_BYTES).fill(66)
    const form = new FormData()
    form.set('email', visitor())
    form.set(
      'message',
      `Full log attached (${tag})\n${'The export stops at row 40,000. '.repeat(2_000)}`,
    )
    form.append('files', new File([bytes], 'export.log', { type: 'text/plain' }))

    const response = await exports.default.fetch(multipartPost('contact', form))

    expect(response.status).toBe(202)
    const [sent] = queue.sent() as { event: TicketEvent; files?: unknown }[]
    expect(sent?.files).toBeUndefined()
    expect(new TextEncoder().encode(JSON.stringify(sent)).byteLength).toBeLessThan(120_000)
    const [ref] = sent?.event.type === 'open' ? (sent.event.attachments ?? []) : []
    const stored = await env.BRIDGE_KV.get(ref!.key, 'arrayBuffer')
    expect(stored?.byteLength).toBe(MAX_CARRIED_FILE_BYTES)
    const ticket = await ticketWith(tag, 1)
    expect(ticket.attachments.map((a) => a.name)).toEqual(['export.log'])
  })

  it("refuses more files than Udesk takes, and a file over Udesk's 20 MB", async ({ expect }) => {
    const queue = watchQueue()
    const many = new FormData()
    many.set('email', visitor())
    for (let n = 0; n < 11; n++) many.append('files', new File([`file ${n}`], `f${n}.txt`))
    const big = new FormData()
    big.set('email', visitor())
    big.append('files', new File([new Uint8Array(20 * 1024 * 1024 + 1)], 'dump.bin'))

    const tooMany = await exports.default.fetch(multipartPost('contact', many))
    const tooBig = await exports.default.fetch(multipartPost('contact-large', big))

    expect(tooMany.status).toBe(413)
    expect(await tooMany.json()).toMatchObject({
      error: 'payload_too_large',
      message: 'at most 10 files can be attached',
    })
    expect(tooBig.status).toBe(413)
    expect(await tooBig.json()).toMatchObject({ message: 'each file can be at most 20 MB' })
    expect(queue.messages()).toEqual([])
  })
})
