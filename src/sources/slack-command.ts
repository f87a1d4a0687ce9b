import * as z from '../zod'
import type { TicketEvent } from '../ticket-event'
import {
  clip,
  clipChars,
  eventId,
  firstLine,
  MAX_CONTENT_BYTES,
  MAX_SUBJECT_CHARS,
  sourceTicketOptions,
} from './adapter'
import { slackCustomer, type SlackContext } from './slack'
import { slackToText } from '../content/slack-markup'

/**
 * A slash command as Slack posts it (urlencoded, signed like events; fields as Slack's
 * "Implementing slash commands" and Bolt's `SlashCommand` type list them). `token` and
 * `user_name` are deprecated and not read.
 */
export const SlackCommandSchema = z.object({
  command: z.string().check(z.minLength(1), z.maxLength(32)),
  text: z._default(z.string().check(z.maxLength(MAX_CONTENT_BYTES)), ''),
  team_id: z.string().check(z.minLength(1), z.maxLength(40)),
  channel_id: z.string().check(z.minLength(1), z.maxLength(40)),
  user_id: z.string().check(z.minLength(1), z.maxLength(40)),
  /** Unique per invocation: the delivery id. */
  trigger_id: z.string().check(z.minLength(1), z.maxLength(150)),
  /** Where follow-ups go for 30 minutes: the ticket number, once Udesk made the ticket. */
  response_url: z.optional(z.string().check(z.maxLength(2048))),
})
export type SlackCommand = z.infer<typeof SlackCommandSchema>

/** `/ticket <text>`: one ticket for the caller, thread `{channel}:command:{trigger_id}`. */
export function slackCommandToEvents(command: SlackCommand, context: SlackContext): TicketEvent[] {
  const content = clip(command.text.trim(), MAX_CONTENT_BYTES)
  if (content === '') return []
  const { team_id: team, channel_id: channel, user_id: user } = command
  return [
    {
      id: eventId(context, 0),
      source: context.source,
      thread: `${channel}:command:${command.trigger_id}`,
      receivedAt: context.receivedAt,
      type: 'open',
      subject: clipChars(firstLine(slackToText(content)), MAX_SUBJECT_CHARS),
      content,
      format: 'slack',
      customer: slackCustomer(context.config, team, channel, user),
      ticket: sourceTicketOptions(context),
      ...(command.response_url && { slackResponseUrl: command.response_url }),
    },
  ]
}

/** Slack shows an ephemeral answer only to the caller (`response_type: ephemeral`). */
export function ephemeral(text: string) {
  return { response_type: 'ephemeral', text }
}
