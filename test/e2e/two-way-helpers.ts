/**
 * The two-way stories' Node side: signed Slack events and Standard Webhooks to the bridge, the
 * agent's actions on the simulator's inbox, and what the Slack double and the webhook receiver
 * hold afterwards.
 */
import { createHmac } from 'node:crypto'
import { vi } from 'vitest'
import { postSignedEvent } from '../../scripts/chaos/send'
import { DEV, type Bridge } from './harness'

/** Short watch timings, so a story sees polls within seconds (the defaults are 30 s and up). */
export const FAST_WATCH = {
  WATCH_HOT_SECONDS: '1',
  WATCH_WARM_SECONDS: '2',
  WATCH_COLD_SECONDS: '2',
  WATCH_DEBOUNCE_SECONDS: '1',
  UDESK_MAX_REQUESTS_PER_MINUTE: '600',
}

export const WAIT = { timeout: 20_000, interval: 250 }

export interface SlackMessage {
  ts: string
  thread_ts?: string
  user?: string
  bot_id?: string
  app_id?: string
  username?: string
  text: string
  reactions?: { name: string; users: string[]; count: number }[]
}

export function twoWay(bridge: Bridge) {
  const sim = bridge.sim.url
  const control = async <T>(path: string, init: { method?: string; json?: unknown } = {}) => {
    const response = await fetch(`${sim}${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: init.json === undefined ? {} : { 'content-type': 'application/json' },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    })
    if (!response.ok) throw new Error(`simulator ${path}: ${response.status}`)
    return (await response.json()) as T
  }
  const thread = async (channel: string, ts: string): Promise<SlackMessage[]> => {
    const { channels } = await control<{
      channels: { id: string; threads: { ts: string; messages: SlackMessage[] }[] }[]
    }>('/_sim/slack/channels')
    return channels.find((c) => c.id === channel)?.threads.find((t) => t.ts === ts)?.messages ?? []
  }
  return {
    control,
    thread,
    /** The bridge's posts in a thread, oldest first. */
    posts: async (channel: string, ts: string) =>
      (await thread(channel, ts)).filter((m) => m.bot_id).map((m) => m.text),
    /** A customer's message, as written in Slack: answers its ts. */
    seed: async (channel: string, text: string) =>
      (
        await control<{ ts: string }>('/_sim/slack/messages', {
          json: { channel, user: 'U0ANA', text },
        })
      ).ts,
    slackFault: (rule: Record<string, unknown>) => control('/_sim/slack/faults', { json: rule }),
    /** Signed like Slack's Events API (v0 HMAC over `v0:{ts}:{body}`). */
    postSlack: async (payload: unknown) => {
      const body = JSON.stringify(payload)
      const timestamp = String(Math.floor(Date.now() / 1000))
      const mac = createHmac('sha256', DEV.slackSigningSecret).update(`v0:${timestamp}:${body}`)
      return fetch(`${bridge.url}/webhooks/slack`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': `v0=${mac.digest('hex')}`,
        },
        body,
      })
    },
    /** Signed as Standard Webhooks with the `events` source's development secret. */
    postEvent: async (payload: unknown) => {
      const body = JSON.stringify(payload)
      const id = `msg_${crypto.randomUUID()}`
      return postSignedEvent(bridge.url, id, body)
    },
    /** The agent answers on the simulator's inbox page (public or internal). */
    agentReply: (ticketId: number, visibility: 'public' | 'internal', content: string) =>
      agentDesk(sim, ticketId, 'reply', { visibility, content, agent_id: '2' }),
    /** The agent sets the status (1 open, 2 resolved, 3 closed, 4 solving). */
    agentStatus: (ticketId: number, statusId: number) =>
      agentDesk(sim, ticketId, 'status', { status_id: String(statusId) }),
    /** The ticket whose subject contains `text`, once the bridge opened it. */
    ticketAbout: (text: string) =>
      vi.waitFor(async () => {
        const { tickets } = await bridge.sim.control.state()
        const found = tickets.find((t) => t.subject?.includes(text))
        if (!found) throw new Error(`no ticket about ${text} yet`)
        return found.id
      }, WAIT),
    /** The number agents see for the ticket (`field_num` without its `#`). */
    numberOf: async (ticketId: number) => {
      const { tickets } = await bridge.sim.control.state()
      return String(tickets.find((t) => t.id === ticketId)?.field_num).replace(/^#/, '')
    },
    admin: (path: string, method = 'GET') =>
      fetch(`${bridge.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${DEV.adminToken}` },
      }).then((r) => r.json() as Promise<Record<string, unknown>>),
  }
}

async function agentDesk(
  sim: string,
  ticketId: number,
  action: 'reply' | 'status',
  fields: Record<string, string>,
) {
  const response = await fetch(`${sim}/_sim/inbox/tickets/${ticketId}/${action}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
  })
  if (response.status !== 303) throw new Error(`agent ${action}: ${response.status}`)
}

/** A dead letter of `thread` as GET /admin/dead-letters lists it, once there is one. */
export function deadLetterOf(api: ReturnType<typeof twoWay>, thread: string) {
  return vi.waitFor(async () => {
    const { items } = (await api.admin('/admin/dead-letters')) as {
      items: { id: string; thread: string; reason: string; lastError: string }[]
    }
    const found = items.find((l) => l.thread === thread)
    if (!found) throw new Error('no dead letter yet')
    return found
  }, WAIT)
}
