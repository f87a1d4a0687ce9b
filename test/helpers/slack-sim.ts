import { createSimInstance, defaultSim, simControl, simUrl, type SimInstanceInfo } from './sim'

/** The development bot token the Slack double accepts (DESIGN.md). */
export const DEV_SLACK_BOT_TOKEN = 'xoxb-dev-slack-bot-token'

/** A simulator instance's Slack double: its Web API base URL and control API. */
export interface SlackSim {
  sim: SimInstanceInfo
  /** `SLACK_API_URL` for this instance. */
  apiUrl: string
  /** `{instance}/_sim/slack`. */
  controlUrl: string
}

export interface SlackSimCall {
  method: string
  params: Record<string, string>
  status: number
  ok: boolean
  error: string | null
}

export interface SlackSimMessage {
  ts: string
  thread_ts?: string
  user?: string
  bot_id?: string
  username?: string
  text: string
  reactions?: { name: string; count: number }[]
}

/** A fresh simulator instance, so each test file's Slack workspace starts empty. */
export async function freshSlack(sim?: SimInstanceInfo): Promise<SlackSim> {
  const instance = sim ?? (await createSimInstance())
  const root = `${simUrl()}/_sim/instances/${instance.id}`
  return { sim: instance, apiUrl: `${root}/slack/api`, controlUrl: `${root}/_sim/slack` }
}

export async function slackCalls(slack: SlackSim, method?: string): Promise<SlackSimCall[]> {
  const query = method ? `?method=${encodeURIComponent(method)}` : ''
  return (await simControl<{ calls: SlackSimCall[] }>(slack.controlUrl, `/calls${query}`)).calls
}

/** A Slack fault: an error code (HTTP 200), a 429 with `retryAfter` s, or a 5xx `status`. */
export function slackFault(
  slack: SlackSim,
  rule: {
    method?: string
    channel?: string
    /** A parameter value the call must carry (a user id): scopes the fault to one test. */
    match?: string
    error?: string
    retryAfter?: number
    hangMs?: number
    status?: number
    times?: number
  },
) {
  return simControl(slack.controlUrl, '/faults', { json: rule })
}

/** Seeds a customer's message, as if written in Slack; answers its ts. */
export async function seedSlackMessage(
  slack: SlackSim,
  message: { channel: string; user: string; text: string; thread_ts?: string },
): Promise<string> {
  return (await simControl<{ ts: string }>(slack.controlUrl, '/messages', { json: message })).ts
}

export async function slackThread(slack: SlackSim, channel: string, ts: string) {
  const { channels } = await simControl<{
    channels: { id: string; threads: { ts: string; messages: SlackSimMessage[] }[] }[]
  }>(slack.controlUrl, '/channels')
  const found = channels.find((c) => c.id === channel)?.threads.find((t) => t.ts === ts)
  return found?.messages ?? []
}

/** The default instance's Slack double: the one `SLACK_API_URL` points the worker at in tests. */
export function defaultSlack(): SlackSim {
  const root = simUrl()
  return { sim: defaultSim(), apiUrl: `${root}/slack/api`, controlUrl: `${root}/_sim/slack` }
}

/** Adds a user to the double's workspace, for `users.info`. */
export function addSlackUser(
  slack: SlackSim,
  user: { id: string; realName: string; displayName?: string; email?: string | null },
) {
  return simControl(slack.controlUrl, '/users', { json: user })
}

export interface SlackSimResponse {
  path: string
  status: number
  contentType: string | null
  body: unknown
}

/** Posts the double received on slash commands' response URLs (`{SIM}/slack/commands/...`). */
export async function slackResponses(slack: SlackSim): Promise<SlackSimResponse[]> {
  return (await simControl<{ responses: SlackSimResponse[] }>(slack.controlUrl, '/responses'))
    .responses
}

/** A response URL on the double, unique to one command: what Slack would put in `response_url`. */
export function slackResponseUrl(slack: SlackSim, team = 'T0001'): string {
  const id = crypto.randomUUID().replaceAll('-', '')
  return `${slack.apiUrl.replace(/\/api$/, '')}/commands/${team}/${id.slice(0, 12)}/${id.slice(12)}`
}
