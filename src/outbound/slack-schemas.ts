import * as z from '../zod'

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

export const SlackTsSchema = z.pipe(
  z.string().check(z.regex(SLACK_TS)),
  z.transform((ts) => ts as SlackTs),
)

/** Every answer: `ok`, and `error` (a code such as `channel_not_found`) when it is false. */
export const SlackEnvelopeSchema = z.looseObject({
  ok: z.boolean(),
  error: z.optional(z.string()),
  needed: z.optional(z.string()),
})

export const PostMessageSchema = z.looseObject({ channel: z.string(), ts: SlackTsSchema })
export type PostedMessage = z.infer<typeof PostMessageSchema>

/** A message as `conversations.replies` lists it; bots' messages carry `bot_id`/`app_id`. */
export const SlackMessageSchema = z.looseObject({
  type: z.optional(z.string()),
  subtype: z.optional(z.string()),
  ts: SlackTsSchema,
  thread_ts: z.optional(SlackTsSchema),
  user: z.optional(z.string()),
  bot_id: z.optional(z.string()),
  app_id: z.optional(z.string()),
  text: z.optional(z.string()),
  metadata: z.optional(
    z.looseObject({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) }),
  ),
})
export type SlackMessage = z.infer<typeof SlackMessageSchema>

export const RepliesSchema = z.looseObject({
  messages: z.array(SlackMessageSchema),
  has_more: z.optional(z.boolean()),
  response_metadata: z.optional(z.looseObject({ next_cursor: z.optional(z.string()) })),
})

export const UserInfoSchema = z.looseObject({
  user: z.looseObject({
    id: z.string(),
    team_id: z.optional(z.string()),
    name: z.optional(z.string()),
    real_name: z.optional(z.string()),
    is_bot: z.optional(z.boolean()),
    deleted: z.optional(z.boolean()),
    profile: z.optional(
      z.looseObject({
        real_name: z.optional(z.string()),
        display_name: z.optional(z.string()),
        /** Only with the `users:read.email` scope. */
        email: z.optional(z.string()),
      }),
    ),
  }),
})
export type SlackUser = z.infer<typeof UserInfoSchema>['user']

/** `auth.test`: who the token is; a bot token adds `bot_id`. */
export const AuthTestSchema = z.looseObject({
  url: z.optional(z.string()),
  team: z.optional(z.string()),
  user: z.optional(z.string()),
  team_id: z.string(),
  user_id: z.string(),
  bot_id: z.optional(z.string()),
})
export type SlackIdentity = z.infer<typeof AuthTestSchema>

export const PermalinkSchema = z.looseObject({ channel: z.string(), permalink: z.string() })

export const DoneSchema = z.looseObject({ ok: z.literal(true) })
