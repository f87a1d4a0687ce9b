import { describe, it } from 'vitest'
import { SlackPayloadSchema, slackToEvents } from '../../src/sources/slack'
import { TicketEventSchema } from '../../src/ticket-event'
import botMessage from '../fixtures/slack/bot-message.json'
import messageChanged from '../fixtures/slack/message-changed.json'
import messageDeleted from '../fixtures/slack/message-deleted.json'
import message from '../fixtures/slack/message.json'
import threadReply from '../fixtures/slack/thread-reply.json'
import urlVerification from '../fixtures/slack/url-verification.json'
import { contextFor, RECEIVED_AT } from './context'

const slack = (payload: unknown, options: Record<string, unknown> = {}) =>
  slackToEvents(SlackPayloadSchema.parse(payload), contextFor('slack', options, 'Ev0PV52K21'))

describe('slackToEvents', () => {
  it('opens a ticket for a top-level message, for the Slack user', ({ expect }) => {
    const events = slack(message)

    expect(events).toHaveLength(1)
    expect(TicketEventSchema.parse(events[0])).toEqual(events[0])
    expect(events[0]).toEqual({
      id: 'my-slack:Ev0PV52K21:0',
      source: 'my-slack',
      type: 'open',
      thread: 'C024BE91L:1355517523.000005',
      receivedAt: RECEIVED_AT,
      subject: 'Our invoices page shows a 500 since this morning.',
      content: 'Our invoices page shows a 500 since this morning.\nCan someone take a look?',
      format: 'slack',
      customer: { token: 'slack:T061EG9R6:U2147483697' },
      ticket: { tags: ['my-slack'] },
    })
  })

  it("uses the channel's configured customer email for a shared channel", ({ expect }) => {
    const events = slack(message, { channels: { C024BE91L: { customerEmail: 'ops@acme.test' } } })

    expect(events[0]).toMatchObject({ customer: { email: 'ops@acme.test' } })
  })

  it("turns a message in a thread into a reply on the parent's thread", ({ expect }) => {
    const events = slack(threadReply)

    expect(events).toEqual([
      {
        id: 'my-slack:Ev0PV52K21:0',
        source: 'my-slack',
        type: 'reply',
        thread: 'C024BE91L:1355517523.000005',
        receivedAt: RECEIVED_AT,
        content: 'It happens on Safari and Chrome.',
        format: 'slack',
      },
    ])
  })

  it('treats a thread parent (thread_ts equal to ts) as the opening message', ({ expect }) => {
    const parent = { ...message, event: { ...message.event, thread_ts: message.event.ts } }

    expect(slack(parent)[0]).toMatchObject({ type: 'open' })
  })

  it('ignores bot messages, edits and deletions', ({ expect }) => {
    const ownBot = {
      ...message,
      event: { ...message.event, bot_id: 'B0BRIDGE', app_id: 'A0PNCHHK2' },
    }

    expect(slack(botMessage)).toEqual([])
    expect(slack(ownBot)).toEqual([])
    expect(slack(messageChanged)).toEqual([])
    expect(slack(messageDeleted)).toEqual([])
  })

  it('ignores other event types and subtypes, and url_verification', ({ expect }) => {
    const reaction = {
      ...message,
      event: { type: 'reaction_added', user: 'U1', reaction: 'eyes', item: {} },
    }
    const joined = { ...message, event: { ...message.event, subtype: 'channel_join' } }

    expect(slack(reaction)).toEqual([])
    expect(slack(joined)).toEqual([])
    expect(slack(urlVerification)).toEqual([])
  })

  it('lists shared files when a message carries them', ({ expect }) => {
    const withFile = {
      ...message,
      event: {
        ...message.event,
        subtype: 'file_share',
        text: '',
        files: [
          { name: 'error.png', title: 'Error page', permalink: 'https://acme.slack.com/f/1' },
        ],
      },
    }

    expect(slack(withFile)[0]).toMatchObject({
      type: 'open',
      subject: 'File: Error page (https://acme.slack.com/f/1)',
      content: 'File: Error page (https://acme.slack.com/f/1)',
    })
  })
})
