import { describe, it } from 'vitest'
import { WebhookPayloadSchema, webhookToEvents } from '../../src/sources/webhook'
import { TicketEventSchema } from '../../src/ticket-event'
import { contextFor, RECEIVED_AT } from './context'

const webhook = (payload: unknown, options: Record<string, unknown> = {}) =>
  webhookToEvents(WebhookPayloadSchema.parse(payload), contextFor('webhook', options, 'msg_1'))

describe('webhookToEvents', () => {
  it('opens a ticket with customer, priority, tags and fields merged over the source', ({
    expect,
  }) => {
    const events = webhook(
      {
        type: 'ticket.open',
        thread: 'chat-4711',
        subject: 'Cannot log in',
        content: 'The reset link says it expired.',
        customer: { email: 'ana@example.com', name: 'Ana' },
        priority: 'high',
        tags: ['chat', 'login'],
        fields: { TextField_1: 'web' },
      },
      { ticket: { tags: ['bridge', 'chat'], templateId: 3, fields: { TextField_2: 'eu' } } },
    )

    expect(TicketEventSchema.parse(events[0])).toEqual(events[0])
    expect(events).toEqual([
      {
        id: 'my-webhook:msg_1:0',
        source: 'my-webhook',
        type: 'open',
        thread: 'chat-4711',
        receivedAt: RECEIVED_AT,
        subject: 'Cannot log in',
        content: 'The reset link says it expired.',
        customer: { email: 'ana@example.com', name: 'Ana' },
        ticket: {
          priority: 'high',
          tags: ['my-webhook', 'bridge', 'chat', 'login'],
          templateId: 3,
          fields: { TextField_2: 'eu', TextField_1: 'web' },
        },
      },
    ])
  })

  it('turns ticket.reply and ticket.resolve into reply and resolve events', ({ expect }) => {
    const reply = webhook({ type: 'ticket.reply', thread: 'chat-4711', content: 'Still broken' })
    const resolve = webhook({ type: 'ticket.resolve', thread: 'chat-4711', content: 'Fixed' })
    const bare = webhook({ type: 'ticket.resolve', thread: 'chat-4711' })

    expect(reply).toMatchObject([{ type: 'reply', thread: 'chat-4711', content: 'Still broken' }])
    expect(resolve).toMatchObject([{ type: 'resolve', content: 'Fixed' }])
    expect(bare[0]).not.toHaveProperty('content')
  })

  it('refuses an open without subject and an unknown type, naming the fields', ({ expect }) => {
    const missing = WebhookPayloadSchema.safeParse({
      type: 'ticket.open',
      thread: 't',
      content: 'x',
    })
    const unknown = WebhookPayloadSchema.safeParse({ type: 'ticket.close', thread: 't' })

    expect(missing.error?.issues.map((i) => i.path)).toEqual([['subject']])
    expect(unknown.error?.issues.map((i) => i.path)).toEqual([['type']])
  })
})
