import * as z from '../zod'
import { ownValue, type SlackSource } from '../config'
import { slackToText } from '../content/slack-markup'
import type { Customer, TicketEvent } from '../ticket-event'
import {
  clip,
  clipChars,
  eventId,
  firstLine,
  MAX_CONTENT_BYTES,
  MAX_SUBJECT_CHARS,
  sourceTicketOptions,
  type AdapterContext,
} from './adapter'

const SlackFileSchema = z.object({
  name: z.optional(z.string()),
  title: z.optional(z.string()),
  permalink: z.optional(z.string()),
})

/** The `event` of an event_callback; only message events are read, others pass through. */
export const SlackEventSchema = z.object({
  type: z.string(),
  subtype: z.optional(z.string()),
  channel: z.optional(z.string()),
  user: z.optional(z.string()),
  text: z.optional(z.string()),
  ts: z.optional(z.string()),
  thread_ts: z.optional(z.string()),
  /**
   * Set by Slack's clients on a person's message: the same in `message` and `app_mention`, and
   * in a second delivery of the message under another `ts` (inbound/slack-intake.ts).
   */
  client_msg_id: z.optional(z.string().check(z.maxLength(100))),
  bot_id: z.optional(z.string()),
  hidden: z.optional(z.boolean()),
  files: z.optional(z.array(SlackFileSchema)),
})

/** The three envelopes the Events API posts to a request URL. */
export const SlackPayloadSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('url_verification'),
    challenge: z.string().check(z.minLength(1), z.maxLength(512)),
  }),
  z.object({
    type: z.literal('event_callback'),
    team_id: z.string().check(z.minLength(1), z.maxLength(40)),
    event_id: z.string().check(z.minLength(1), z.maxLength(200)),
    event_time: z.optional(z.number()),
    event: SlackEventSchema,
  }),
  z.object({ type: z.literal('app_rate_limited'), team_id: z.optional(z.string()) }),
])
export type SlackPayload = z.infer<typeof SlackPayloadSchema>
type SlackEvent = z.infer<typeof SlackEventSchema>
type Callback = Extract<SlackPayload, { type: 'event_callback' }>

/**
 * User messages, including replies also sent to the channel and messages with files. Bot
 * messages (the bridge's own included), edits, deletions and every other subtype are not
 * conversation and open nothing.
 */
const CONVERSATION_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share'])
/** A message and the mention of the app in it are one message delivered twice. */
const MESSAGE_TYPES = new Set(['message', 'app_mention'])
const CHANNEL_ID = /^[A-Z0-9]{1,40}$/
const SLACK_TS = /^\d{1,12}\.\d{1,9}$/

export interface SlackContext extends AdapterContext<SlackSource> {
  /**
   * For a reply in a thread: whether the bridge accepted the thread's first message. When it
   * did not (posted before the app joined, or by a bot), the reply opens the ticket.
   */
  parentSeen?: boolean
}

/**
 * One Slack message is one delivery whatever its envelope (`message` or `app_mention`, a new
 * `event_id` for a redelivery): `{team}:{channel}:{ts}`. Undefined for non-messages.
 */
export function slackMessageIdentity(payload: SlackPayload): string | undefined {
  if (payload.type !== 'event_callback') return undefined
  const message = conversationMessage(payload.event)
  return message && `${payload.team_id}:${message.channel}:${message.ts}`
}

/** The thread a reply belongs to, when the message is a reply. */
export function slackParentIdentity(payload: SlackPayload): string | undefined {
  if (payload.type !== 'event_callback') return undefined
  const message = conversationMessage(payload.event)
  if (!message?.threadTs || message.threadTs === message.ts) return undefined
  return `${payload.team_id}:${message.channel}:${message.threadTs}`
}

/**
 * A top-level message opens a ticket (thread `{channel}:{ts}`); a message in a thread is a
 * reply on `{channel}:{thread_ts}`, or opens that thread's ticket when the bridge never saw its
 * first message. Anything else yields no event (the route answers "ignored").
 */
export function slackToEvents(payload: SlackPayload, context: SlackContext): TicketEvent[] {
  if (payload.type !== 'event_callback') return []
  const message = conversationMessage(payload.event)
  if (!message) return []
  const content = clip(messageContent(payload.event), MAX_CONTENT_BYTES)
  if (content === '') return []
  const base = { id: eventId(context, 0), source: context.source, receivedAt: context.receivedAt }
  const { channel, ts, threadTs } = message
  const isReply = threadTs !== undefined && threadTs !== ts
  if (isReply && context.parentSeen !== false) {
    return [{ ...base, type: 'reply', thread: `${channel}:${threadTs}`, content, format: 'slack' }]
  }
  return [
    {
      ...base,
      type: 'open',
      thread: `${channel}:${isReply ? threadTs : ts}`,
      subject: clipChars(
        firstLine(slackToText(content)) || `Slack message in ${channel}`,
        MAX_SUBJECT_CHARS,
      ),
      content,
      format: 'slack',
      ...(isReply && { preface: continuesThread(context.config, channel, threadTs) }),
      customer: slackCustomer(context.config, payload.team_id, channel, message.user),
      ticket: sourceTicketOptions(context),
    },
  ]
}

/** The opening line of a ticket made from a reply, in Slack markup like the message. */
function continuesThread(config: SlackSource, channel: string, threadTs: string): string {
  const permalink = threadPermalink(config, channel, threadTs)
  return permalink
    ? `Continues an earlier Slack thread: <${permalink}|open the thread in Slack>`
    : 'Continues an earlier Slack thread; its first messages are not in this ticket.'
}

/** `https://acme.slack.com/archives/C024BE91L/p1355517523000005`, Slack's message link. */
export function threadPermalink(config: SlackSource, channel: string, ts: string) {
  if (!config.workspaceUrl || !CHANNEL_ID.test(channel) || !SLACK_TS.test(ts)) return undefined
  const base = config.workspaceUrl.replace(/\/+$/, '')
  return `${base}/archives/${channel}/p${ts.replace('.', '')}`
}

function conversationMessage(event: SlackEvent) {
  if (!MESSAGE_TYPES.has(event.type) || event.hidden || event.bot_id) return undefined
  if (!CONVERSATION_SUBTYPES.has(event.subtype)) return undefined
  const { channel, ts, user } = event
  if (!channel || !ts || !user) return undefined
  return { channel, ts, user, threadTs: event.thread_ts }
}

function messageContent(event: SlackEvent): string {
  const files = (event.files ?? []).map(
    (f) => `File: ${f.title ?? f.name ?? 'file'}${f.permalink ? ` (${f.permalink})` : ''}`,
  )
  return [event.text?.trim() ?? '', ...files].filter((line) => line !== '').join('\n')
}

/** A channel mapped to a client's email, else the Slack user by its external identifier. */
export function slackCustomer(
  config: SlackSource,
  team: string,
  channel: string,
  user: string,
): Customer {
  const mapped = ownValue(config.channels, channel) // channel ids come from the request
  return mapped ? { email: mapped.customerEmail } : { token: `slack:${team}:${user}` }
}

/** The client's id of the message, when Slack's client set one: a second identity. */
export function slackClientMessageId(payload: Callback): string | undefined {
  const id = payload.event.client_msg_id
  return id && `${payload.team_id}:client:${id}`
}
