import { describe, it } from 'vitest'
import {
  SlackPayloadSchema,
  slackMessageIdentity,
  slackParentIdentity,
  slackToEvents,
} from '../../src/sources/slack'
import { SlackCommandSchema, slackCommandToEvents } from '../../src/sources/slack-command'
import appMention from '../fixtures/slack/app-mention.json'
import message from '../fixtures/slack/message.json'
import slashCommand from '../fixtures/slack/slash-command.json'
import threadReply from '../fixtures/slack/thread-reply.json'
import { contextFor } from './context'

const parse = (payload: unknown) => SlackPayloadSchema.parse(payload)

describe('one Slack message, one identity', () => {
  it('is team, channel and ts, the same for message and app_mention envelopes', ({ expect }) => {
    const asMessage = {
      ...appMention,
      event_id: 'EvOther',
      event: { ...appMention.event, type: 'message' },
    }

    expect(slackMessageIdentity(parse(appMention))).toBe('T061EG9R6:C0LAN2Q65:1515449522.000016')
    expect(slackMessageIdentity(parse(asMessage))).toBe('T061EG9R6:C0LAN2Q65:1515449522.000016')
  })

  it("names a reply's parent, and no parent for a top-level message", ({ expect }) => {
    expect(slackParentIdentity(parse(threadReply))).toBe('T061EG9R6:C024BE91L:1355517523.000005')
    expect(slackParentIdentity(parse(message))).toBeUndefined()
  })
})

describe('a reply whose parent the bridge never saw', () => {
  it('opens the thread with a preface linking the thread when the workspace is known', ({
    expect,
  }) => {
    const context = {
      ...contextFor('slack', { workspaceUrl: 'https://acme.slack.com' }),
      parentSeen: false,
    }

    const [event] = slackToEvents(parse(threadReply), context)

    expect(event).toMatchObject({
      type: 'open',
      thread: 'C024BE91L:1355517523.000005',
      subject: 'It happens on Safari and Chrome.',
      content: 'It happens on Safari and Chrome.',
      format: 'slack',
      preface:
        'Continues an earlier Slack thread: <https://acme.slack.com/archives/C024BE91L/p1355517523000005|open the thread in Slack>',
      customer: { token: 'slack:T061EG9R6:U2147483697' },
    })
  })

  it('stays a reply when the parent was seen', ({ expect }) => {
    const context = { ...contextFor('slack'), parentSeen: true }

    expect(slackToEvents(parse(threadReply), context)).toMatchObject([{ type: 'reply' }])
  })
})

describe('slackCommandToEvents', () => {
  it('opens a ticket for the caller with the command text as Slack markup', ({ expect }) => {
    const command = SlackCommandSchema.parse(slashCommand)

    const [event] = slackCommandToEvents(command, contextFor('slack'))

    expect(event).toMatchObject({
      type: 'open',
      thread: `C2147483705:command:${slashCommand.trigger_id}`,
      subject: 'Our dashboard shows no data',
      format: 'slack',
      customer: { token: 'slack:T0001:U2147483697' },
      slackResponseUrl: 'https://hooks.slack.com/commands/1234/5678',
    })
  })
})
