import * as z from 'zod/mini'
import { ConfigError } from './config'
import { createSlackClient, DEFAULT_SLACK_API_URL, type SlackClient } from './outbound/slack-out'
import { DEFAULT_STATUS_REACTIONS, type SlackDeliveryOptions } from './outbound/slack-options'
import { DEFAULT_WATCH_TIMINGS, type WatchTimings } from './outbound/watch-state'

/** What the bridge does in a Slack thread once its ticket is created. */
export const SlackAcknowledgementSchema = z.enum(['message', 'reaction', 'none'])
export type SlackAcknowledgement = z.infer<typeof SlackAcknowledgementSchema>

const seconds = (fallback: number) =>
  z._default(z.pipe(z.coerce.number(), z.number().check(z.int(), z.positive())), fallback)
const flag = z._default(
  z.pipe(
    z.enum(['true', 'false', '1', '0']),
    z.transform((value) => value === 'true' || value === '1'),
  ),
  false,
)
const secret = z.optional(
  z.pipe(
    z.string(),
    z.transform((value) => value.trim() || undefined),
  ),
)

/** The two-way settings: vars and secrets beside `ConfigSchema`'s (README, "Two-way"). */
export const TwoWaySettingsSchema = z.object({
  /** A Slack bot token (`xoxb-...`); two-way Slack is off without it. */
  SLACK_BOT_TOKEN: secret,
  SLACK_API_URL: z._default(z.url(), DEFAULT_SLACK_API_URL),
  SLACK_ACKNOWLEDGEMENT: z._default(SlackAcknowledgementSchema, 'message'),
  /** Post agent replies under the agent's name (needs the `chat:write.customize` scope). */
  SLACK_AGENT_NAMES: flag,
  /** Also post a one-line notice in the thread when the ticket's status changes. */
  SLACK_STATUS_NOTICES: flag,
  /** The path token of `POST /udesk/hook/:token`; the doorbell answers 404 without it. */
  UDESK_HOOK_TOKEN: secret,
  WATCH_HOT_SECONDS: seconds(DEFAULT_WATCH_TIMINGS.hotEveryMs / 1000),
  WATCH_HOT_FOR_SECONDS: seconds(DEFAULT_WATCH_TIMINGS.hotForMs / 1000),
  WATCH_WARM_SECONDS: seconds(DEFAULT_WATCH_TIMINGS.warmEveryMs / 1000),
  WATCH_WARM_FOR_SECONDS: seconds(DEFAULT_WATCH_TIMINGS.warmForMs / 1000),
  WATCH_COLD_SECONDS: seconds(DEFAULT_WATCH_TIMINGS.coldEveryMs / 1000),
  WATCH_STOP_AFTER_SECONDS: seconds(DEFAULT_WATCH_TIMINGS.stopAfterEndedMs / 1000),
  WATCH_DEBOUNCE_SECONDS: seconds(10),
  /**
   * A Udesk ticket filter (its id, `GET /tickets/filters`) whose tickets the sweep reads in one
   * export call instead of one detail read per watched ticket; empty: no sweep.
   */
  UDESK_WATCH_FILTER_ID: z.optional(
    z.pipe(
      secret,
      z.optional(z.pipe(z.coerce.number<string>(), z.number().check(z.int(), z.positive()))),
    ),
  ),
  /** How often the sweep reads the filter while a watched thread is hot. */
  WATCH_SWEEP_SECONDS: seconds(DEFAULT_WATCH_TIMINGS.sweepEveryMs / 1000),
})
export type TwoWaySettings = z.infer<typeof TwoWaySettingsSchema>

/** A `webhook` source's reply options, read from its SOURCES entry. */
const WebhookReplySchema = z.object({
  kind: z.literal('webhook'),
  /** Where `ticket.*` events go; `{SOURCE}_REPLY_URL` in the environment overrides it. */
  replyUrl: z.optional(z.url()),
  /** The binding holding the receiver's `whsec_` secret(s), space separated to rotate. */
  replySecret: z.optional(z.string()),
})

/** Where a source's answers go back; absent: the source is one-way. */
export type Destination = { kind: 'slack' } | { kind: 'webhook'; url: string; secrets: string[] }

export interface TwoWayConfig {
  settings: TwoWaySettings
  timings: WatchTimings
  /** Per source name; only sources that have somewhere to answer. */
  destinations: Record<string, Destination>
  slack: SlackDeliveryOptions & { acknowledgement: SlackAcknowledgement }
}

const settingsCache = new WeakMap<object, TwoWaySettings>()

/**
 * The settings alone, once per isolate; a bad one fails with the field's name. Without the
 * sources' reply destinations: the edge worker's Slack intake needs only the bot (its token and
 * Slack's API URL) and holds no reply secret.
 */
export function loadTwoWaySettings(env: Env): TwoWaySettings {
  const cached = settingsCache.get(env)
  if (cached) return cached
  const parsed = z.safeParse(TwoWaySettingsSchema, env)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`invalid two-way configuration: ${fields.join('; ')}`)
  }
  settingsCache.set(env, parsed.data)
  return parsed.data
}

const cache = new WeakMap<object, TwoWayConfig>()

/** The settings and each source's destination, once per isolate; fails on a bad one. */
export function loadTwoWayConfig(env: Env): TwoWayConfig {
  const cached = cache.get(env)
  if (cached) return cached
  const raw = env as unknown as Record<string, unknown>
  const settings = loadTwoWaySettings(env)
  const config: TwoWayConfig = {
    settings,
    timings: timingsOf(settings),
    destinations: destinationsOf(raw, settings),
    slack: {
      acknowledgement: settings.SLACK_ACKNOWLEDGEMENT,
      agentNames: settings.SLACK_AGENT_NAMES,
      statusNotices: settings.SLACK_STATUS_NOTICES,
      statusReactions: DEFAULT_STATUS_REACTIONS,
    },
  }
  cache.set(env, config)
  return config
}

function timingsOf(s: TwoWaySettings): WatchTimings {
  return {
    hotEveryMs: s.WATCH_HOT_SECONDS * 1000,
    hotForMs: s.WATCH_HOT_FOR_SECONDS * 1000,
    warmEveryMs: s.WATCH_WARM_SECONDS * 1000,
    warmForMs: s.WATCH_WARM_FOR_SECONDS * 1000,
    coldEveryMs: s.WATCH_COLD_SECONDS * 1000,
    stopAfterEndedMs: s.WATCH_STOP_AFTER_SECONDS * 1000,
    debounceMs: s.WATCH_DEBOUNCE_SECONDS * 1000,
    sweepEveryMs: s.WATCH_SWEEP_SECONDS * 1000,
  }
}

/**
 * Slack sources answer into their threads when `SLACK_BOT_TOKEN` is set; a webhook source
 * answers when it has a reply URL (its own, or `{NAME}_REPLY_URL` with the name upper-cased,
 * `-` as `_`) and its reply secret is set. Anything half-configured is an error, not silence.
 */
function destinationsOf(raw: Record<string, unknown>, settings: TwoWaySettings) {
  const sources = typeof raw.SOURCES === 'string' ? JSON.parse(raw.SOURCES) : raw.SOURCES
  const destinations: Record<string, Destination> = {}
  const problems: string[] = []
  for (const [name, source] of Object.entries((sources ?? {}) as Record<string, unknown>)) {
    const kind = (source as { kind?: unknown } | null)?.kind
    if (kind === 'slack' && settings.SLACK_BOT_TOKEN) destinations[name] = { kind: 'slack' }
    if (kind !== 'webhook') continue
    const options = z.safeParse(WebhookReplySchema, source)
    const override = raw[`${name.toUpperCase().replace(/-/g, '_')}_REPLY_URL`]
    const url = typeof override === 'string' && override ? override : options.data?.replyUrl
    if (!options.success || !url) continue
    if (!z.safeParse(z.url(), url).success) problems.push(`${name}: reply URL is not a URL`)
    const value = options.data.replySecret ? raw[options.data.replySecret] : undefined
    const secrets = typeof value === 'string' ? value.trim().split(/\s+/).filter(Boolean) : []
    if (secrets.length === 0) problems.push(`${name}: replySecret names no set binding`)
    else destinations[name] = { kind: 'webhook', url, secrets }
  }
  if (problems.length > 0) throw new ConfigError(`invalid two-way configuration: ${problems}`)
  return destinations
}

/** The Slack client two-way posts with; undefined without `SLACK_BOT_TOKEN`. */
export function slackClientFor(
  config: TwoWayConfig,
  fetcher?: typeof fetch,
): SlackClient | undefined {
  const token = config.settings.SLACK_BOT_TOKEN
  if (!token) return undefined
  return createSlackClient({ token, baseUrl: config.settings.SLACK_API_URL, fetch: fetcher })
}
