import * as z from '../zod'
import type { SlackBot } from './bot'
import type { BotIdentity } from './own-events'

/** A bot's ids change only when the app is reinstalled under another bot: a day in KV. */
export const BOT_IDENTITY_TTL_S = 24 * 3600
/** How long an isolate keeps what it learnt before reading KV again. */
const ISOLATE_TTL_MS = 10 * 60_000
/** After a failed `auth.test`, events go on without it (and unlogged) for this long. */
const RETRY_AFTER_FAILURE_MS = 60_000

const StoredIdentitySchema = z.object({
  userId: z.optional(z.string()),
  botId: z.optional(z.string()),
  appId: z.optional(z.string()),
})

/** Per isolate, by `identityKey`: the identity, or `undefined` after a failure, until `until`. */
const held = new Map<string, { identity: BotIdentity | undefined; until: number }>()

/**
 * The bridge's own bot as `auth.test` describes it (`user_id`, `bot_id`, and `app_id` where
 * Slack includes it): from this isolate's memory, else KV, else one `auth.test` call whose
 * answer is kept in both. `undefined` when Slack could not say (the failure is logged once a
 * minute at most): the caller goes on with what the event itself shows.
 */
export async function botIdentity(
  bot: SlackBot,
  kv: KVNamespace,
  nowMs = Date.now(),
): Promise<BotIdentity | undefined> {
  const key = await identityKey(bot)
  const known = held.get(key)
  if (known && known.until > nowMs) return known.identity
  const stored = StoredIdentitySchema.safeParse(await kv.get(key, 'json').catch(() => null))
  if (stored.success) return keep(key, stored.data, nowMs + ISOLATE_TTL_MS)
  const answer = await bot.client.authTest()
  if (!answer.ok) {
    console.warn(JSON.stringify({ msg: 'slack auth.test failed', error: answer.error }))
    return keep(key, undefined, nowMs + RETRY_AFTER_FAILURE_MS)
  }
  const { user_id: userId, bot_id: botId, app_id: appId } = answer.value
  const identity = { userId, botId, ...(typeof appId === 'string' && { appId }) }
  await kv.put(key, JSON.stringify(identity), { expirationTtl: BOT_IDENTITY_TTL_S })
  return keep(key, identity, nowMs + ISOLATE_TTL_MS)
}

function keep(key: string, identity: BotIdentity | undefined, until: number) {
  held.set(key, { identity, until })
  return identity
}

/** `slack-bot:` and a SHA-256 of the API URL and token: the token itself is never a key. */
async function identityKey(bot: SlackBot): Promise<string> {
  const text = new TextEncoder().encode(`${bot.apiUrl}\n${bot.token}`)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', text))
  const hex = [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `slack-bot:${hex}`
}
