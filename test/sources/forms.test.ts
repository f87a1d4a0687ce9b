import { describe, it } from 'vitest'
import { FormSourceSchema } from '../../src/config'
import { FormFieldsSchema, formToEvents, type FormFile } from '../../src/sources/forms'
import { TicketEventSchema } from '../../src/ticket-event'
import { contextFor, RECEIVED_AT } from './context'

function form(fields: unknown, options: Record<string, unknown> = {}, files: FormFile[] = []) {
  const context = { ...contextFor('form', options, 'sub-1'), files }
  return formToEvents(FormFieldsSchema.parse(fields), context)
}

describe('formToEvents', () => {
  it('opens one ticket per submission for the sender, with the default subject', ({ expect }) => {
    const events = form({ email: 'jane@example.com', name: 'Jane Doe', message: 'Call me back' })

    expect(TicketEventSchema.parse(events[0])).toEqual(events[0])
    expect(events).toEqual([
      {
        id: 'my-form:sub-1:0',
        source: 'my-form',
        type: 'open',
        thread: 'sub-1',
        receivedAt: RECEIVED_AT,
        subject: 'Website contact form',
        content: 'Call me back\n\n---\nFrom: Jane Doe <jane@example.com>',
        customer: { email: 'jane@example.com', name: 'Jane Doe' },
        ticket: { tags: ['my-form'] },
      },
    ])
  })

  it('lists other fields readably and leaves out honeypot, captcha and control fields', ({
    expect,
  }) => {
    const [event] = form({
      email: 'jane@example.com',
      phone: '+1 555 0100',
      subject: 'Pricing',
      message: 'How much for 10 seats?',
      company: 'Acme',
      topics: ['billing', 'sales'],
      _gotcha: '',
      _submission_id: 'sub-1',
      'cf-turnstile-response': 'token',
    })

    expect(event).toMatchObject({
      subject: 'Pricing',
      customer: { email: 'jane@example.com', phone: '+1 555 0100' },
      content:
        'How much for 10 seats?\n\n---\nFrom: jane@example.com\nPhone: +1 555 0100\n' +
        'company: Acme\ntopics: billing, sales',
    })
  })

  it('puts mapped fields into custom fields instead of the content', ({ expect }) => {
    const [event] = form(
      { email: 'jane@example.com', company: 'Acme', plan: 'team' },
      { fieldMap: { company: 'TextField_7' }, ticket: { fields: { SelectField_1: '0' } } },
    )

    expect(event).toMatchObject({
      ticket: { fields: { SelectField_1: '0', TextField_7: 'Acme' } },
    })
    expect(event?.type === 'open' && event.content).toBe(
      '(no message)\n\n---\nFrom: jane@example.com\nplan: team',
    )
  })

  it('references uploaded files by KV keys derived from the event id', ({ expect }) => {
    const files = [
      { name: 'screenshot.png', size: 2048, contentType: 'image/png' },
      { name: 'log.txt', size: 12, contentType: 'text/plain' },
    ]

    const [event] = form({ email: 'jane@example.com', message: 'See attached' }, {}, files)

    expect(event).toMatchObject({
      attachments: [
        { key: 'attachment:my-form:sub-1:0:0', ...files[0] },
        { key: 'attachment:my-form:sub-1:0:1', ...files[1] },
      ],
    })
    expect(event?.type === 'open' && event.content).toContain(
      'Attachments: screenshot.png (2.0 KB), log.txt (12 B)',
    )
  })

  it('requires a valid email', ({ expect }) => {
    const missing = FormFieldsSchema.safeParse({ message: 'hi' })
    const invalid = FormFieldsSchema.safeParse({ email: 'not-an-email' })

    expect(missing.error?.issues.map((i) => i.path)).toEqual([['email']])
    expect(invalid.error?.issues.map((i) => i.path)).toEqual([['email']])
  })
})

describe('formToEvents: Formspree, Basin and Netlify field names', () => {
  it('takes _replyto as the email and _subject as the subject (issue 10)', ({ expect }) => {
    const [event] = form({ _replyto: 'a@example.com', _subject: 'Refund', message: 'Hi' })

    expect(event).toMatchObject({
      subject: 'Refund',
      customer: { email: 'a@example.com' },
      content: 'Hi\n\n---\nFrom: a@example.com',
    })
  })

  it('reads Email, Name and Message in any letter case, trimming the email', ({ expect }) => {
    const [event] = form({ Email: '  Jane@Example.com ', NAME: 'Jane', Message: 'Hello' })

    expect(event).toMatchObject({
      customer: { email: 'Jane@Example.com', name: 'Jane' },
      content: 'Hello\n\n---\nFrom: Jane <Jane@Example.com>',
    })
  })

  it('prefers the email field to _replyto, and lists a second spelling as a field', ({
    expect,
  }) => {
    const [event] = form({ _replyto: 'b@example.com', EMAIL: 'c@example.com', email: 'a@x.org' })

    expect(event).toMatchObject({
      customer: { email: 'a@x.org' },
      content: '(no message)\n\n---\nFrom: a@x.org\nEMAIL: c@example.com',
    })
  })

  it('lists _cc addresses in the content for the agent', ({ expect }) => {
    const [event] = form({ email: 'a@example.com', _cc: 'boss@example.com, team@example.com' })

    expect(event?.type === 'open' && event.content).toBe(
      '(no message)\n\n---\nFrom: a@example.com\nCc: boss@example.com, team@example.com',
    )
  })
})

describe('formToEvents: limits that match the README', () => {
  it('cuts a 90,001-character message with a visible note instead of refusing it', ({ expect }) => {
    const [event] = form({ email: 'a@example.com', message: 'x'.repeat(90_001) })

    const content = event?.type === 'open' ? event.content : ''
    expect(new TextEncoder().encode(content).length).toBeLessThanOrEqual(90_000)
    expect(content).toContain('[message cut: it had 90,001 bytes, tickets keep 90,000]')
    expect(content).toMatch(/\n---\nFrom: a@example\.com$/)
  })

  it('cuts a 256-character subject to 255 ending in …', ({ expect }) => {
    const [event] = form({ email: 'a@example.com', subject: 's'.repeat(256) })

    expect(event?.type === 'open' && event.subject).toBe('s'.repeat(254) + '…')
  })

  it('cuts another field at 10,000 characters with a note', ({ expect }) => {
    const [event] = form({ email: 'a@example.com', company: 'c'.repeat(10_001) })

    expect(event?.type === 'open' && event.content).toContain(
      `company: ${'c'.repeat(10_000)}… [cut at 10,000 characters]`,
    )
  })

  it('refuses an email over 254 characters or not shaped like an address', ({ expect }) => {
    const long = FormFieldsSchema.safeParse({ email: `${'a'.repeat(243)}@example.com` })
    const shapeless = FormFieldsSchema.safeParse({ email: 'a@' })
    const fits = FormFieldsSchema.safeParse({ email: `${'a'.repeat(242)}@example.com` })

    expect(long.error?.issues).toMatchObject([
      { path: ['email'], message: 'an email address has at most 254 characters' },
    ])
    expect(shapeless.error?.issues).toMatchObject([{ path: ['email'] }])
    expect(fits.success).toBe(true)
  })
})

describe('FormSourceSchema', () => {
  it('refuses an empty or blank default subject, which would open a ticket without one', ({
    expect,
  }) => {
    for (const subject of ['', '   ']) {
      expect(FormSourceSchema.safeParse({ kind: 'form', subject }).success, subject).toBe(false)
    }
    expect(FormSourceSchema.parse({ kind: 'form', subject: ' Sales ' }).subject).toBe('Sales')
  })
})
