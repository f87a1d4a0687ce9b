import { createSlackClient, DEFAULT_SLACK_API_URL, type SlackClient } from '../outbound/slack-out'
import { loadTwoWaySettings, type TwoWaySettings } from '../two-way-config'

/**
 * The bridge's own Slack bot for the inbound side (users.info, auth.test, slash-command
 * follow-ups), from the two-way settings (src/two-way-config.ts): `SLACK_BOT_TOKEN` (a secret,
 * `xoxb-...`; off without it) and `SLACK_API_URL` (default `https://slack.com/api`; the
 * simulator's Slack double under `npm start`). Two-way settings that do not parse leave the bot
 * off here too, as they do for delivery; the sources' reply destinations are not read (the
 * edge worker, which runs the intake, has no reply secrets).
 */
export interface SlackBot {
  client: SlackClient
  /** The bot token, to key what is cached about this bot (never logged). */
  token: string
  apiUrl: string
}

/** A lookup while a delivery waits (users.info): bounded and short. */
const SLACK_LOOKUP_TIMEOUT_MS = 3000
/** `auth.test` while Slack waits for an event's answer (3 s, then it retries the event). */
const SLACK_INTAKE_TIMEOUT_MS = 1500

/** The configured Slack Web API base URL, with or without a bot token. */
export function slackApiUrlFromEnv(env: Env): string {
  const url = settingsOf(env)?.SLACK_API_URL ?? DEFAULT_SLACK_API_URL
  return url.replace(/\/+$/, '')
}

/** The bot, or `undefined` when `SLACK_BOT_TOKEN` is not set (two-way Slack off). */
export function slackBotFromEnv(
  env: Env,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): SlackBot | undefined {
  const token = settingsOf(env)?.SLACK_BOT_TOKEN
  if (!token) return undefined
  const apiUrl = slackApiUrlFromEnv(env)
  const timeoutMs = options.timeoutMs ?? SLACK_LOOKUP_TIMEOUT_MS
  const client = createSlackClient({ token, baseUrl: apiUrl, timeoutMs, fetch: options.fetch })
  return { client, token, apiUrl }
}

/** The bot as an event's intake asks it (`auth.test`, within Slack's wait for the answer). */
export function intakeSlackBot(env: Env): SlackBot | undefined {
  return slackBotFromEnv(env, { timeoutMs: SLACK_INTAKE_TIMEOUT_MS })
}

/** What delivery needs of Slack: the bot (when configured) and the API's base URL. */
export interface SlackSide {
  bot: SlackBot | undefined
  apiUrl: string
}

export function slackSideFromEnv(env: Env): SlackSide {
  return { bot: slackBotFromEnv(env), apiUrl: slackApiUrlFromEnv(env) }
}

function settingsOf(env: Env): TwoWaySettings | undefined {
  try {
    return loadTwoWaySettings(env)
  } catch {
    return undefined
  }
}
