import * as z from '../zod'

/**
 * Who the bridge's own bot is in Slack: its bot user (`auth.test` `user_id`; the `user` of
 * everything it does), its bot id (`bot_id` on its messages) and its app (`app_id`, also the
 * envelope's `api_app_id`).
 */
export interface BotIdentity {
  userId?: string
  botId?: string
  appId?: string
}

const AuthorSchema = z.object({
  user: z.optional(z.string()),
  bot_id: z.optional(z.string()),
  app_id: z.optional(z.string()),
  bot_profile: z.optional(z.object({ app_id: z.optional(z.string()) })),
})
type Author = z.infer<typeof AuthorSchema>

/**
 * The parts of an Events API delivery that say who acted. Wrappers carry the message they are
 * about: `message_changed` the new version (`message`) and the old (`previous_message`),
 * `message_replied` the thread's root (`message`).
 */
const ActorsSchema = z.object({
  /** The app the delivery is for: the bridge's own, since Slack signed it with its secret. */
  api_app_id: z.optional(z.string()),
  event: z.object({
    ...AuthorSchema.shape,
    message: z.optional(AuthorSchema),
    previous_message: z.optional(AuthorSchema),
  }),
})

/**
 * Whether an event was caused by the bridge's own Slack app: a message or edit it posted
 * (under its bot user, bot id or app id, `chat:write.customize` names included), a mention in
 * one of its posts, a reaction it added. `known` comes from `auth.test`; the envelope's
 * `api_app_id` names the app too, so a post made by the app holds even when `auth.test` could
 * not be asked. (Bolt's `ignoreSelf` middleware compares the bot user and bot id alike.)
 */
export function isOwnEvent(json: unknown, known: BotIdentity | undefined): boolean {
  const parsed = ActorsSchema.safeParse(json)
  if (!parsed.success) return false
  const { api_app_id: appId, event } = parsed.data
  const apps = new Set([appId, known?.appId].filter(Boolean))
  const isOurs = (author: Author | undefined) =>
    author !== undefined &&
    ((author.user !== undefined && author.user === known?.userId) ||
      (author.bot_id !== undefined && author.bot_id === known?.botId) ||
      [author.app_id, author.bot_profile?.app_id].some((app) => app && apps.has(app)))
  return isOurs(event) || isOurs(event.message)
}
