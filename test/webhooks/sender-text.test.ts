import { exports } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { ticketWith, udesk } from '../helpers/udesk-reader'
import { post, standardWebhookRequest } from '../helpers/signed-request'
import { jsonPost, visitor } from './form-requests'

describe('a form message keeps its room in the ticket', () => {
  it('cuts a 100,000-character field name, not the message beside it', async ({ expect }) => {
    // Before: the name filled the content and the message became "xxxxxxx…[message cut: it
    // had 10 bytes, tickets keep 90,000]".
    const email = visitor()
    const fields = { email, ['n'.repeat(100_000)]: 'v', message: 'xxxxxxxxxx' }

    const response = await exports.default.fetch(jsonPost('contact', fields))

    expect(response.status).toBe(202)
    const ticket = await ticketWith(email)
    expect(ticket.content).toMatch(/^xxxxxxxxxx<br>\n/)
    expect(ticket.content).not.toContain('message cut')
    expect(ticket.content).toContain(`${'n'.repeat(99)}…: v`)
  })

  it('cuts the listed fields, with a note, when they and the message overflow', async ({
    expect,
  }) => {
    const email = visitor()
    const fields: Record<string, string> = { email, message: 'm'.repeat(80_000) }
    for (let n = 0; n < 5; n++) fields[`field${n}`] = 'f'.repeat(5_000)

    const response = await exports.default.fetch(jsonPost('contact', fields))

    expect(response.status).toBe(202)
    const ticket = await ticketWith(email)
    expect(ticket.content?.startsWith(`${'m'.repeat(80_000)}<br>\n`)).toBe(true)
    const content = ticket.content ?? ''
    expect(content.includes('message cut')).toBe(false)
    expect(content.match(/\[fields cut: [^\]]*\]/)?.[0]).toMatch(
      /^\[fields cut: they had 25,045 bytes, the message left room for [\d,]+\]$/,
    )
  })
})

describe('control and bidi characters do not reach Udesk', () => {
  it('drops NUL and BEL and shows U+202E in a form message; strips them from the name', async ({
    expect,
  }) => {
    // The reviewer's form: x%00y%07z%E2%80%AEevil was stored with NUL, BEL and U+202E.
    const email = visitor()
    const body = `email=${encodeURIComponent(email)}&name=Ada%E2%80%AE%C2%9B%07&message=x%00y%07z%E2%80%AEevil`

    const response = await exports.default.fetch(
      post('contact', body, { 'content-type': 'application/x-www-form-urlencoded' }),
    )

    expect(response.status).toBe(202)
    const ticket = await ticketWith(email)
    expect(ticket.content).toMatch(/^xyz\[U\+202E\]evil<br>\n/)
    expect(ticket.content).not.toMatch(/[\u0000-\u0008\u007f-\u009f\u202e]/)
    const customer = await udesk.getCustomer({ type: 'email', content: email })
    expect(customer?.nick_name).toBe('Ada')
  })

  it('does the same for a signed webhook subject and content', async ({ expect }) => {
    const thread = `bidi-${crypto.randomUUID()}`
    const open = {
      type: 'ticket.open',
      thread,
      subject: `invoice\u202Efdp.exe ${thread}\u0007`,
      content: `${thread}\u0000 \u2066a\u2069 \u200F\u001b[31m`,
    }

    expect((await exports.default.fetch(await standardWebhookRequest(open))).status).toBe(202)

    const ticket = await ticketWith(thread)
    expect(ticket.subject).toBe(`invoicefdp.exe ${thread}`)
    expect(ticket.content).toContain(`${thread} [U+2066]a[U+2069] [U+200F][31m`)
  })
})

describe("sender text in Udesk's plain fields", () => {
  it('keeps a form phone that is not a phone number out of the cellphone, escaped in content', async ({
    expect,
  }) => {
    // Before: 1<svg onload=alert(1)> became the customer's cellphone as sent.
    const email = visitor()
    const fields = { email, phone: '1<svg onload=alert(1)>', message: 'call me' }

    const response = await exports.default.fetch(jsonPost('contact', fields))

    expect(response.status).toBe(202)
    const ticket = await ticketWith(email)
    expect(ticket.content).toContain('Phone: 1&lt;svg onload=alert(1)&gt;')
    expect(ticket.user_cellphone ?? '').toBe('')
    const customer = await udesk.getCustomer({ type: 'email', content: email })
    expect(JSON.stringify(customer)).not.toContain('svg')
  })

  it('keeps a form phone shaped like one, extension included, as the cellphone', async ({
    expect,
  }) => {
    const email = visitor()
    const phone = `+1 (555) 01${Math.floor(Math.random() * 90 + 10)}-${Date.now() % 10_000} ext. 7`

    await exports.default.fetch(jsonPost('contact', { email, phone, message: 'hi' }))

    const ticket = await ticketWith(email)
    expect(ticket.user_cellphone).toBe(phone)
  })

  it('refuses a signed webhook whose customer phone is not a phone number', async ({ expect }) => {
    const open = {
      type: 'ticket.open',
      thread: `phone-${crypto.randomUUID()}`,
      subject: 'Phone',
      content: 'x',
      customer: { email: visitor(), phone: '1<svg onload=alert(1)>' },
    }

    const response = await exports.default.fetch(await standardWebhookRequest(open))

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      error: 'invalid_payload',
      issues: [{ path: ['customer', 'phone'] }],
    })
  })

  it('cleans signed-webhook tags and custom field values like names', async ({ expect }) => {
    const thread = `tags-${crypto.randomUUID()}`
    const open = {
      type: 'ticket.open',
      thread,
      subject: `Tags ${thread}`,
      content: thread,
      tags: ['<b>vip</b>', '\u0007'],
      fields: { TextField_1: '<img src=x onerror=alert(1)>\u202E' },
    }

    expect((await exports.default.fetch(await standardWebhookRequest(open))).status).toBe(202)

    const ticket = await ticketWith(thread)
    expect(ticket.tags).toBe('events,‹b›vip‹/b›')
    expect(ticket.custom_fields?.TextField_1).toBe('‹img src=x onerror=alert(1)›')
  })
})
