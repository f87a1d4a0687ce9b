import type { SimInstance } from '../state'

/** The development bot token (DESIGN.md's table); the double accepts only this one. */
export const DEV_SLACK_BOT_TOKEN = 'xoxb-dev-slack-bot-token'

/** Who the bot is, as `auth.test` answers for a bot token. */
export const BOT = {
  teamId: 'T0EXAMPLE',
  team: 'Example Workspace',
  url: 'https://example-workspace.slack.com/',
  userId: 'U0BRIDGEBOT',
  name: 'udesk-bridge',
  botId: 'B0BRIDGEBOT',
  appId: 'A0EXAMPLE',
} as const

export interface SlackUserRecord {
  id: string
  name: string
  realName: string
  displayName: string
  email: string | null
  isBot: boolean
}

export interface Reaction {
  name: string
  users: string[]
}

export interface StoredMessage {
  ts: string
  threadTs: string | null
  user: string | null
  botId: string | null
  username: string | null
  text: string
  reactions: Reaction[]
  /** chat.postMessage's `metadata`, shown with `include_all_metadata`. */
  metadata: unknown
}

export interface SlackCallRecord {
  seq: number
  at: number
  method: string
  params: Record<string, string>
  status: number
  ok: boolean
  error: string | null
}

/** A post to a slash command's `response_url` (`{SIM}/slack/commands/...`). */
export interface SlackResponseRecord {
  seq: number
  at: number
  /** The path after `/slack`, e.g. `/commands/T0001/1234/abcd`. */
  path: string
  status: number
  contentType: string | null
  /** The JSON body, or the raw text when it was not JSON. */
  body: unknown
}

/** An injected failure: the next `times` matching calls answer it instead. */
export interface SlackFault {
  id: number
  method: string | null
  channel: string | null
  /** A parameter value the call must carry (any parameter). */
  match: string | null
  /** HTTP 429 with `Retry-After`, 5xx, or HTTP 200 with `{ ok: false, error }`. */
  fault:
    | { kind: 'ratelimited'; retryAfter: number }
    | { kind: 'http'; status: number }
    | { kind: 'error'; error: string }
    /** The call is carried out, but its answer comes only after `ms`: a lost answer. */
    | { kind: 'hang'; ms: number }
  times: number
}

const SEEDED_USERS: SlackUserRecord[] = [
  // The customer of examples/slack/send-event.sh.
  {
    id: 'U0CUSTOMER',
    name: 'ana.lima',
    realName: 'Ana Lima',
    displayName: 'Ana',
    email: 'ana.lima@example.com',
    isBot: false,
  },
  // The user of the `users.info` example in Slack's docs, who also writes test fixtures.
  {
    id: 'U2147483697',
    name: 'spengler',
    realName: 'Egon Spengler',
    displayName: 'spengler',
    email: 'spengler@ghostbusters.example.com',
    isBot: false,
  },
]

/** One simulated Slack workspace: channels (each a list of messages), users, calls, faults. */
export class SlackWorkspace {
  channels = new Map<string, StoredMessage[]>()
  users = new Map(SEEDED_USERS.map((user) => [user.id, user]))
  calls: SlackCallRecord[] = []
  responses: SlackResponseRecord[] = []
  faults: SlackFault[] = []
  private counter = 0

  constructor(private readonly clock: () => number) {}

  /** A new message ts: the clock's seconds and a counter, so ts grow and never repeat. */
  nextTs(): string {
    this.counter += 1
    const seconds = Math.floor(this.clock() / 1000)
    return `${seconds}.${String(this.counter % 1_000_000).padStart(6, '0')}`
  }

  nextSeq(): number {
    this.counter += 1
    return this.counter
  }

  messagesOf(channel: string): StoredMessage[] {
    let messages = this.channels.get(channel)
    if (!messages) this.channels.set(channel, (messages = []))
    return messages
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.channels.get(channel)?.find((message) => message.ts === ts)
  }

  /** The thread under `threadTs`: its root when known, then its replies in ts order. */
  thread(channel: string, threadTs: string): StoredMessage[] {
    const messages = this.channels.get(channel) ?? []
    return messages
      .filter((m) => m.ts === threadTs || m.threadTs === threadTs)
      .sort((a, b) => Number(a.ts) - Number(b.ts))
  }

  /** Takes the first fault matching this call, counting it down. */
  takeFault(method: string, params: Record<string, string>): SlackFault['fault'] | undefined {
    const values = Object.values(params)
    const rule = this.faults.find(
      (f) =>
        f.times > 0 &&
        (f.method === null || f.method === method) &&
        (f.channel === null || f.channel === params.channel) &&
        (f.match === null || values.includes(f.match)),
    )
    if (!rule) return undefined
    rule.times -= 1
    return rule.fault
  }

  reset(): void {
    this.channels.clear()
    this.users = new Map(SEEDED_USERS.map((user) => [user.id, user]))
    this.calls = []
    this.responses = []
    this.faults = []
  }
}

const workspaces = new WeakMap<SimInstance, SlackWorkspace>()

/** The Slack workspace of a simulator instance (each instance has its own). */
export function workspaceOf(sim: SimInstance): SlackWorkspace {
  let workspace = workspaces.get(sim)
  if (!workspace) workspaces.set(sim, (workspace = new SlackWorkspace(() => sim.now())))
  return workspace
}
