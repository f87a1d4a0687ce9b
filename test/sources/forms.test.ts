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
