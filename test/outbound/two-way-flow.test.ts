import { beforeAll, describe, it } from 'vitest'
import {
  DEFAULT_STATUS_REACTIONS,
  deliverToSlack,
  type SlackDeliveryOptions,
} from '../../src/outbound/slack-deliver'
import { afterDelivery, emptyOutbox, enqueue } from '../../src/outbound/outbox'
import { createSlackClient } from '../../src/outbound/slack-out'
import type { SlackTs } from '../../src/outbound/slack-schemas'
import { runWatchPoll, type OutboundAction } from '../../src/outbound/watch-runner'
import { DEFAULT_WATCH_TIMINGS, startWatch, type WatchState } from '../../src/outbound/watch-state'
import { createUdeskClient } from '../../src/udesk/client'
import { createSimInstance, DEV_UDESK, simCalls, simUrl, udeskCall } from '../helpers/sim'
import {
  DEV_SLACK_BOT_TOKEN,
  freshSlack,
  seedSlackMessage,
  slackFault,
  slackThread,
  type SlackSim,
} from '../helpers/slack-sim'

const OPTIONS: SlackDeliveryOptions = {
  agentNames: true,
  statusReactions: DEFAULT_STATUS_REACTIONS,
  statusNotices: false,
}

let slack: SlackSim
beforeAll(async () => {
  slack = await freshSlack(await createSimInstance())
})

/** A customer's Slack thread with its Udesk ticket and the watch on it, driven by a test clock. */
async function conversation(channel: string) {
  const { sim } = slack
  const threadTs = (await seedSlackMessage(slack, {
    channel,
    user: 'U0CUSTOMER',
    text: 'Our dashboard is down',
  })) as SlackTs
  const created = await udeskCall(sim.baseUrl, 'POST', '/tickets', {
    ticket: { subject: `Slack ${channel}`, content: 'Our dashboard is down' },
  })
  const { ticket_id: ticketId } = (await created.json()) as { ticket_id: number }
  const udesk = createUdeskClient({ baseUrl: sim.baseUrl, credentials: DEV_UDESK })
  const client = createSlackClient({
    token: DEV_SLACK_BOT_TOKEN,
    baseUrl: slack.apiUrl,
    timeoutMs: 1_000,
  })
  const desk = `${simUrl()}/_sim/instances/${sim.id}/_sim/inbox/tickets/${ticketId}`
  let watch: WatchState = startWatch(ticketId, Date.now(), DEFAULT_WATCH_TIMINGS)
  const thread = { channel, threadTs }
  return {
    thread,
    agent: (fields: Record<string, string>, action: 'reply' | 'status' = 'reply') =>
      fetch(`${desk}/${action}`, { method: 'POST', body: new URLSearchParams(fields) }),
    /** The next poll, when it is due; answers what it found for the customer. */
    async poll(): Promise<OutboundAction[]> {
      const due = watch.nextPollAt ?? Date.now()
      const result = await runWatchPoll(watch, udesk, () => due, DEFAULT_WATCH_TIMINGS)
      watch = result.state
      return result.outbound
    },
    deliver: (action: OutboundAction, progress: { from?: number; uncertain?: boolean } = {}) =>
      deliverToSlack(action, thread, client, OPTIONS, progress),
    posts: async () => (await slackThread(slack, channel, threadTs)).slice(1),
    root: async () => (await slackThread(slack, channel, threadTs))[0],
  }
}

describe('agent replies and status, from Udesk to the Slack thread', () => {
  it('posts a public agent reply once, under the agent name, and an internal note nowhere', async ({
    expect,
  }) => {
    const talk = await conversation('C0FLOWONE')
    await talk.agent({ agent_id: '2', visibility: 'internal', content: 'customer is on plan B' })
    await talk.agent({ agent_id: '2', visibility: 'public', content: 'Hello Ana,\n\nFixed: <b>' })

    const found = await talk.poll()
    for (const action of found) expect(await talk.deliver(action)).toEqual({ ok: true, steps: 1 })
    const callsBefore = (await simCalls(slack.sim.controlUrl)).length
    const again = await talk.poll()

    expect(found.map((a) => a.type)).toEqual(['send_reply'])
    expect(again).toEqual([])
    expect((await talk.posts()).map((m) => [m.username, m.text])).toEqual([
      ['Tom', 'Hello Ana,\n\nFixed: &lt;b&gt;'],
    ])
    const later = (await simCalls(slack.sim.controlUrl)).slice(callsBefore)
    expect(later.map((c) => c.path)).toEqual(['/tickets/detail'])
  })

  it('adds the check mark on resolve and removes it on reopen', async ({ expect }) => {
    const talk = await conversation('C0FLOWTWO')

    await talk.agent({ status_id: '2' }, 'status')
    for (const action of await talk.poll()) await talk.deliver(action)
    const resolved = (await talk.root())?.reactions
    await talk.agent({ status_id: '1' }, 'status')
    for (const action of await talk.poll()) await talk.deliver(action)

    expect(resolved).toEqual([{ name: 'white_check_mark', users: ['U0BRIDGEBOT'], count: 1 }])
    expect((await talk.root())?.reactions).toBeUndefined()
    expect(await talk.posts()).toEqual([])
  })

  it('answers a 429 with its Retry-After, and the outbox retries where it stopped, in order', async ({
    expect,
  }) => {
    const talk = await conversation('C0FLOWTHREE')
    await talk.agent({ agent_id: '3', visibility: 'public', content: 'first' })
    await talk.agent({ agent_id: '3', visibility: 'public', content: 'second' })
    await slackFault(slack, { channel: 'C0FLOWTHREE', method: 'chat.postMessage', retryAfter: 2 })
    let outbox = enqueue(emptyOutbox(), await talk.poll(), 0)
    const waits: number[] = []

    // The thread's alarm, played by the test: attempt the head whenever the outbox says.
    while (outbox.nextAttemptAt !== null) {
      const now = outbox.nextAttemptAt
      const head = outbox.items[0]!
      const progress = { from: head.steps, uncertain: head.uncertain }
      outbox = afterDelivery(outbox, await talk.deliver(head.action, progress), now).state
      if ((outbox.nextAttemptAt ?? now) > now) waits.push(outbox.nextAttemptAt! - now)
    }

    expect(waits).toEqual([2000])
    expect((await talk.posts()).map((m) => m.text)).toEqual(['first', 'second'])
  })

  it('reports not_in_channel as permanent, and posts after the fix', async ({ expect }) => {
    const talk = await conversation('C0FLOWFOUR')
    await talk.agent({ agent_id: '2', visibility: 'public', content: 'are you there?' })
    await slackFault(slack, { channel: 'C0FLOWFOUR', error: 'not_in_channel' })
    const [reply] = await talk.poll()

    const refused = await talk.deliver(reply!)
    const replayed = await talk.deliver(reply!)

    expect(refused).toEqual({ ok: false, kind: 'permanent', error: 'not_in_channel', steps: 0 })
    expect(replayed).toEqual({ ok: true, steps: 1 })
    expect((await talk.posts()).map((m) => m.text)).toEqual(['are you there?'])
  })

  it('looks for a post whose answer was lost before posting it again', async ({ expect }) => {
    const talk = await conversation('C0FLOWFIVE')
    await talk.agent({ agent_id: '2', visibility: 'public', content: 'one copy only' })
    await slackFault(slack, { channel: 'C0FLOWFIVE', method: 'chat.postMessage', hangMs: 2_500 })
    let outbox = enqueue(emptyOutbox(), await talk.poll(), 0)

    const lost = await talk.deliver(outbox.items[0]!.action)
    outbox = afterDelivery(outbox, lost, 0).state
    const head = outbox.items[0]!
    const retried = await talk.deliver(head.action, { from: head.steps, uncertain: head.uncertain })

    expect(lost).toMatchObject({ ok: false, kind: 'transient', error: 'timeout' })
    expect(head.uncertain).toBe(true)
    expect(retried).toEqual({ ok: true, steps: 1 })
    expect((await talk.posts()).map((m) => m.text)).toEqual(['one copy only'])
  })
})
