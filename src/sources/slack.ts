import { z } from 'zod'
import { ownValue, type SlackSource } from '../config'
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
  name: z.string().optional(),
  title: z.string().optional(),
  permalink: z.string().optional(),
})

/** The `event` of an event_callback; only message events are read, others pass through. */
export const SlackEventSchema = z.object({
  type: z.string(),
  subtype: z.string().optional(),
  channel: z.string().optional(),
  user: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().optional(),
  thread_ts: z.string().optional(),
  bot_id: z.string().optional(),
  hidden: z.boolean().optional(),
  files: z.array(SlackFileSchema).optional(),
})

/** The three envelopes the Events API posts to a request URL. */
export const SlackPayloadSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(512) }),
  z.object({
    type: z.literal('event_callback'),
    team_id: z.string().min(1),
    event_id: z.string().min(1).max(200),
    event_time: z.number().optional(),
    event: SlackEventSchema,
  }),
  z.object({ type: z.literal('app_rate_limited'), team_id: z.string().optional() }),
])
export type SlackPayload = z.infer<typeof SlackPayloadSchema>
type SlackEvent = z.infer<typeof SlackEventSchema>

/**
 * User messages, including replies also sent to the channel and messages with files. Bot
 * messages (the bridge's own included), edits, deletions and every other subtype are not
 * conversation and open nothing.
 */
const CONVERSATION_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share'])

/**
 * A top-level message opens a ticket (thread `{channel}:{ts}`); a message in a thread is a
 * reply on `{channel}:{thread_ts}`. Anything else yields no event (the route answers
 * "ignored").
 */
export function slackToEvents(
  payload: SlackPayload,
  context: AdapterContext<SlackSource>,
): TicketEvent[] {
  if (payload.type !== 'event_callback') return []
  const message = conversationMessage(payload.event)
  if (!message) return []
  const content = clip(messageContent(payload.event), MAX_CONTENT_BYTES)
  if (content === '') return []
  const base = { id: eventId(context, 0), source: context.source, receivedAt: context.receivedAt }
  const { channel, ts, user, threadTs } = message
  if (threadTs && threadTs !== ts) {
    return [{ ...base, type: 'reply', thread: `${channel}:${threadTs}`, content }]
  }
  return [
    {
      ...base,
      type: 'open',
      thread: `${channel}:${ts}`,
      subject: clipChars(firstLine(content) || `Slack message in ${channel}`, MAX_SUBJECT_CHARS),
      content,
      customer: slackCustomer(context.config, payload.team_id, channel, user),
      ticket: sourceTicketOptions(context),
    },
  ]
}

function conversationMessage(event: SlackEvent) {
  if (event.type !== 'message' || event.hidden || event.bot_id) return undefined
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
function slackCustomer(config: SlackSource, team: string, channel: string, user: string): Customer {
  const mapped = ownValue(config.channels, channel) // channel ids come from the request
  return mapped ? { email: mapped.customerEmail } : { token: `slack:${team}:${user}` }
}
