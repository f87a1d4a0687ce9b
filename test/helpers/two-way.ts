import { env, exports } from 'cloudflare:workers'
import { vi } from 'vitest'
import message from '../fixtures/slack/message.json'
import { threadWatch } from '../../src/outbound/watch-refs'
import { slackRequest } from './signed-request'
import { simControl, simState, simUrl } from './sim'
import type { SlackSimMessage } from './slack-sim'

/** The default simulator instance's Slack double: what SLACK_API_URL points at in tests. */
export const slackControl = () => `${simUrl()}/_sim/slack`
export const HOOK = 'http://bridge.test/udesk/hook/dev-udesk-hook-token'

export async function threadMessages(channel: string, ts: string): Promise<SlackSimMessage[]> {
  const { channels } = await simControl<{
    channels: { id: string; threads: { ts: string; messages: SlackSimMessage[] }[] }[]
  }>(slackControl(), '/channels')
  const thread = channels.find((c) => c.id === channel)?.threads.find((t) => t.ts === ts)
  return thread?.messages ?? []
}

/** A customer's top-level Slack message in a channel of this test's own, sent to the bridge. */
export async function slackConversation() {
  const n = crypto.randomUUID().slice(0, 8).toUpperCase()
  const channel = `C${n}`
  const { ts } = await simControl<{ ts: string }>(slackControl(), '/messages', {
    json: { channel, user: 'U2147483697', text: 'Our invoices page shows a 500' },
  })
  const payload = {
    ...message,
    event_id: `Ev${n}`,
    event: { ...message.event, channel, ts, event_ts: ts },
  }
  const response = await exports.default.fetch(await slackRequest(payload))
  const watch = threadWatch(env, { source: 'slack', thread: `${channel}:${ts}` })
  const ticketId = await vi.waitFor(
    async () => {
      const record = await watch.view()
      if (!record) throw new Error('not watched yet')
      return record.watch.ticketId
    },
    { timeout: 5_000 },
  )
  const { tickets } = await simState(`${simUrl()}/_sim`)
  const ticketNumber = tickets.find((t) => t.id === ticketId)?.field_num.replace(/^#/, '')
  return { response, channel, ts, watch, ticketId, ticketNumber }
}

export function agent(
  ticketId: number,
  action: 'reply' | 'status',
  fields: Record<string, string>,
) {
  const url = `${simUrl()}/_sim/inbox/tickets/${ticketId}/${action}`
  return fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' })
}

export const ring = (ticketId: number, token = 'dev-udesk-hook-token') =>
  exports.default.fetch(
    new Request(`http://bridge.test/udesk/hook/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket_id: ticketId }),
    }),
  )

export const bridgePosts = async (channel: string, ts: string) =>
  (await threadMessages(channel, ts)).filter((m) => m.bot_id).map((m) => m.text)

/** The bridge's posts in the thread once there are at least `count` (waits up to `timeoutMs`). */
export const bridgePostsAtLeast = (
  channel: string,
  ts: string,
  count: number,
  timeoutMs = 8_000,
): Promise<string[]> =>
  vi.waitFor(
    async () => {
      const found = await bridgePosts(channel, ts)
      if (found.length < count) throw new Error(`${found.length} of ${count} posts so far`)
      return found
    },
    { timeout: timeoutMs },
  )
