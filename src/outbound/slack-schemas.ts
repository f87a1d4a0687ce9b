import * as z from 'zod'

/**
 * The Slack Web API answers the bridge reads (api.slack.com/methods/...). Objects are loose:
 * Slack adds fields freely and only what the bridge uses is checked.
 */

/** A message's timestamp, Slack's message id within a channel: `1503435956.000247`. */
export type SlackTs = string & { readonly __brand: 'SlackTs' }
const SLACK_TS = /^\d+\.\d+$/

export function isSlackTs(value: string): value is SlackTs {
  return SLACK_TS.test(value)
}

export const SlackTsSchema = z
  .string()
  .regex(SLACK_TS)
  .transform((ts) => ts as SlackTs)

/** Every answer: `ok`, and `error` (a code such as `channel_not_found`) when it is false. */
export const SlackEnvelopeSchema = z.looseObject({
  ok: z.boolean(),
  error: z.string().optional(),
  needed: z.string().optional(),
})

export const PostMessageSchema = z.looseObject({ channel: z.string(), ts: SlackTsSchema })
export type PostedMessage = z.infer<typeof PostMessageSchema>

/** A message as `conversations.replies` lists it; bots' messages carry `bot_id`/`app_id`. */
export const SlackMessageSchema = z.looseObject({
  type: z.string().optional(),
  subtype: z.string().optional(),
  ts: SlackTsSchema,
  thread_ts: SlackTsSchema.optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  app_id: z.string().optional(),
  text: z.string().optional(),
  metadata: z
    .looseObject({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) })
    .optional(),
})
export type SlackMessage = z.infer<typeof SlackMessageSchema>

export const RepliesSchema = z.looseObject({
  messages: z.array(SlackMessageSchema),
  has_more: z.boolean().optional(),
  response_metadata: z.looseObject({ next_cursor: z.string().optional() }).optional(),
})

export const UserInfoSchema = z.looseObject({
  user: z.looseObject({
    id: z.string(),
    team_id: z.string().optional(),
    name: z.string().optional(),
    real_name: z.string().optional(),
    is_bot: z.boolean().optional(),
    deleted: z.boolean().optional(),
    profile: z
      .looseObject({
        real_name: z.string().optional(),
        display_name: z.string().optional(),
        /** Only with the `users:read.email` scope. */
        email: z.string().optional(),
      })
      .optional(),
  }),
})
export type SlackUser = z.infer<typeof UserInfoSchema>['user']

/** `auth.test`: who the token is; a bot token adds `bot_id`. */
export const AuthTestSchema = z.looseObject({
  url: z.string().optional(),
  team: z.string().optional(),
  user: z.string().optional(),
  team_id: z.string(),
  user_id: z.string(),
  bot_id: z.string().optional(),
})
export type SlackIdentity = z.infer<typeof AuthTestSchema>

export const PermalinkSchema = z.looseObject({ channel: z.string(), permalink: z.string() })

export const DoneSchema = z.looseObject({ ok: z.literal(true) })
