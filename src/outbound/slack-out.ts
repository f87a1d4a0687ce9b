import type * as z from '../zod'
import { slackErrorKind } from './slack-errors'
import type { Mrkdwn } from './mrkdwn'
import {
  AuthTestSchema,
  DoneSchema,
  PermalinkSchema,
  PostMessageSchema,
  RepliesSchema,
  SlackEnvelopeSchema,
  UserInfoSchema,
  type SlackTs,
} from './slack-schemas'

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api'
const DEFAULT_TIMEOUT_MS = 10_000
/** When a 429 comes without `Retry-After` (Slack always sends it; a proxy may not). */
const DEFAULT_RETRY_AFTER_S = 30
/**
 * Bounds on a `Retry-After` (seconds): at least one second, so a `0` or negative value cannot
 * turn the thread's outbox into a busy loop, and at most 15 minutes, so a broken proxy's huge
 * value cannot park a thread's replies for days (Slack's own waits are seconds to a minute).
 */
const RETRY_AFTER_BOUNDS_S = { min: 1, max: 15 * 60 }

/**
 * A call's outcome, typed so the caller decides without parsing text:
 * - `rate_limited`: HTTP 429; wait `retryAfterMs` (Slack's `Retry-After`) and keep the order.
 * - `permanent`: one of `PERMANENT_SLACK_ERRORS`; dead-letter, pause the thread.
 * - `rejected`: Slack refused this call (`msg_too_long`, `invalid_arguments`, ...); retrying
 *   it unchanged fails again.
 * - `transient`: network, timeout, 5xx, an unreadable answer, or Slack's own errors. After a
 *   timeout a post may have gone through: check the thread before posting again.
 */
export type SlackResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'rate_limited'; retryAfterMs: number; error: 'ratelimited' }
  | { ok: false; kind: 'permanent' | 'rejected' | 'transient'; error: string }

export interface SlackClientOptions {
  /** A bot token, `xoxb-...`. */
  token: string
  /** `SLACK_API_URL`; default `https://slack.com/api`. */
  baseUrl?: string
  fetch?: typeof fetch
  timeoutMs?: number
}

type Params = Record<string, string | boolean | number | undefined>

/**
 * The Slack Web API calls two-way needs. Every call is a form-encoded POST with the token as a
 * bearer (as Slack's SDKs send them; some read methods refuse JSON bodies).
 */
export function createSlackClient(options: SlackClientOptions) {
  const base = (options.baseUrl ?? DEFAULT_SLACK_API_URL).replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const call = <S extends z.ZodMiniType>(method: string, params: Params, schema: S) =>
    callSlack(doFetch, `${base}/${method}`, options, params, schema)

  return {
    /** Posts `text` into the thread whose root is `threadTs`; answers the new message's ts. */
    postMessage(input: {
      channel: string
      threadTs: SlackTs
      text: Mrkdwn
      /** Needs `chat:write.customize`. */
      username?: string
      iconUrl?: string
      /** Slack message metadata: lets `conversations.replies` find this post again. */
      metadata?: { event_type: string; event_payload: Record<string, string | number> }
    }) {
      return call(
        'chat.postMessage',
        {
          channel: input.channel,
          thread_ts: input.threadTs,
          text: input.text,
          username: input.username,
          icon_url: input.iconUrl,
          metadata: input.metadata && JSON.stringify(input.metadata),
          unfurl_links: false,
        },
        PostMessageSchema,
      )
    },
    /** `already_reacted` counts as success: the reaction is there. */
    async addReaction(input: { channel: string; ts: SlackTs; name: string }) {
      const params = { channel: input.channel, name: input.name, timestamp: input.ts }
      const result = await call('reactions.add', params, DoneSchema)
      return tolerate(result, 'already_reacted')
    },
    /** `no_reaction` counts as success: the reaction is gone. */
    async removeReaction(input: { channel: string; ts: SlackTs; name: string }) {
      const params = { channel: input.channel, name: input.name, timestamp: input.ts }
      const result = await call('reactions.remove', params, DoneSchema)
      return tolerate(result, 'no_reaction')
    },
    /** A user's names, and their email with `users:read.email`. */
    async userInfo(user: string) {
      const result = await call('users.info', { user }, UserInfoSchema)
      return result.ok ? { ok: true as const, value: result.value.user } : result
    },
    /** Who the token is: the bot's user id and bot id, to know its own messages. */
    authTest() {
      return call('auth.test', {}, AuthTestSchema)
    },
    /** A thread's messages, oldest first, one page (`limit` up to 1000; Slack advises 200). */
    conversationReplies(input: {
      channel: string
      ts: SlackTs
      oldest?: SlackTs
      limit?: number
      cursor?: string
    }) {
      return call('conversations.replies', { ...input, include_all_metadata: true }, RepliesSchema)
    },
    async getPermalink(input: { channel: string; messageTs: SlackTs }) {
      const params = { channel: input.channel, message_ts: input.messageTs }
      const result = await call('chat.getPermalink', params, PermalinkSchema)
      return result.ok ? { ok: true as const, value: result.value.permalink } : result
    },
  }
}

export type SlackClient = ReturnType<typeof createSlackClient>

function tolerate(result: SlackResult<unknown>, error: string): SlackResult<void> {
  if (result.ok || result.error === error) return { ok: true, value: undefined }
  return result
}

async function callSlack<S extends z.ZodMiniType>(
  doFetch: typeof fetch,
  url: string,
  options: SlackClientOptions,
  params: Params,
  schema: S,
): Promise<SlackResult<z.infer<S>>> {
  const body = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) body.set(key, String(value))
  }
  let response: Response
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}` },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    })
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    return { ok: false, kind: 'transient', error: timedOut ? 'timeout' : 'network_error' }
  }
  if (response.status === 429) {
    await response.body?.cancel()
    const retryAfterMs = retryAfterSeconds(response.headers.get('retry-after')) * 1000
    return { ok: false, kind: 'rate_limited', retryAfterMs, error: 'ratelimited' }
  }
  return readAnswer(response, schema)
}

/** Slack's `Retry-After` in whole seconds, within `RETRY_AFTER_BOUNDS_S`; absent or not a number: 30. */
function retryAfterSeconds(header: string | null): number {
  const seconds = header === null || header.trim() === '' ? NaN : Number(header)
  if (!Number.isFinite(seconds)) return DEFAULT_RETRY_AFTER_S
  const { min, max } = RETRY_AFTER_BOUNDS_S
  return Math.min(max, Math.max(min, Math.ceil(seconds)))
}

async function readAnswer<S extends z.ZodMiniType>(
  response: Response,
  schema: S,
): Promise<SlackResult<z.infer<S>>> {
  const json: unknown = await response.json().catch(() => undefined)
  const envelope = SlackEnvelopeSchema.safeParse(json)
  if (response.status >= 500 || !envelope.success) {
    return { ok: false, kind: 'transient', error: `http_${response.status}` }
  }
  const { ok, error = 'unknown_error' } = envelope.data
  if (!ok) return { ok: false, kind: slackErrorKind(error), error }
  const parsed = schema.safeParse(json)
  if (!parsed.success) return { ok: false, kind: 'transient', error: 'unexpected_answer' }
  return { ok: true, value: parsed.data }
}
