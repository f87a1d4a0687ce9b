import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, it, vi } from 'vitest'
import { PROJECT_ROOT } from '../../scripts/wrangler-dev'
import { startBridge, type Bridge } from './harness'
import { deadLetterOf, FAST_WATCH, twoWay, WAIT } from './two-way-helpers'

/**
 * Issue 14's Slack story through the worker under wrangler's local runtime, against the
 * simulator's Udesk and Slack double: the customer writes in Slack, the agent answers in the
 * Udesk inbox, the answer (and only it) comes back into the customer's thread.
 */
describe('two-way with Slack', () => {
  let bridge: Bridge
  let api: ReturnType<typeof twoWay>

  beforeAll(async () => {
    bridge = await startBridge({ bindings: FAST_WATCH })
    api = twoWay(bridge)
  })

  afterAll(async () => {
    await bridge?.stop()
  })

  /** A customer's top-level message in `channel`, sent to the bridge; its ticket and ts. */
  async function customerWrites(channel: string, text: string) {
    const ts = await api.seed(channel, text)
    const response = await api.postSlack({
      type: 'event_callback',
      team_id: 'T061EG9R6',
      api_app_id: 'A0PNCHHK2',
      event_id: `Ev${channel}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel, user: 'U0ANA', text, ts, event_ts: ts },
    })
    const ticketId = await api.ticketAbout(text)
    await vi.waitFor(async () => {
      if ((await api.posts(channel, ts)).length === 0) throw new Error('not acknowledged')
    }, WAIT)
    return { response, ts, ticketId, opened: `Ticket #${await api.numberOf(ticketId)} opened` }
  }

  it('opens a ticket from a Slack message and acknowledges it in the thread', async ({
    expect,
  }) => {
    const { response, ts, opened } = await customerWrites('C0TWOWAY1', 'Dashboard is down')

    expect(response.status).toBe(202)
    expect(await api.posts('C0TWOWAY1', ts)).toEqual([opened])
  })

  it('posts a public agent reply exactly once, and an internal note nowhere', async ({
    expect,
  }) => {
    const { ts, ticketId, opened } = await customerWrites('C0TWOWAY2', 'Invoices page fails')

    await api.agentReply(ticketId, 'internal', 'Customer is on the old plan')
    await api.agentReply(ticketId, 'public', 'Fixed <now>, sorry & thanks')
    await vi.waitFor(async () => {
      if ((await api.posts('C0TWOWAY2', ts)).length < 2) throw new Error('no reply yet')
    }, WAIT)
    // Several more polls of the same ticket: none may post it again.
    await new Promise((resolve) => setTimeout(resolve, 4_000))

    expect(await api.posts('C0TWOWAY2', ts)).toEqual([
      opened,
      'Fixed &lt;now&gt;, sorry &amp; thanks',
    ])
    const { channels } = await api.control<{ channels: { threads: { messages: unknown[] }[] }[] }>(
      '/_sim/slack/channels',
    )
    expect(JSON.stringify(channels)).not.toContain('old plan')
  })

  it('costs zero Udesk calls when Slack echoes the bridge’s own post back', async ({ expect }) => {
    const { ts } = await customerWrites('C0TWOWAY3', 'Login loops')
    const [own] = (await api.thread('C0TWOWAY3', ts)).filter((m) => m.bot_id)
    const before = (await bridge.sim.control.calls()).length

    const echoed = await api.postSlack({
      type: 'event_callback',
      team_id: 'T061EG9R6',
      api_app_id: 'A0PNCHHK2',
      event_id: 'EvECHO3',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel: 'C0TWOWAY3', ...own, event_ts: own!.ts },
    })
    await new Promise((resolve) => setTimeout(resolve, 2_000))

    expect(echoed.status).toBeLessThan(300)
    const writes = (await bridge.sim.control.calls(before)).filter((c) => c.method !== 'GET')
    expect(writes).toEqual([])
  })

  it('adds the check mark when the agent resolves, and removes it on reopen', async ({
    expect,
  }) => {
    const { ts, ticketId } = await customerWrites('C0TWOWAY4', 'Exports are empty')
    const reactions = async () =>
      (await api.thread('C0TWOWAY4', ts))[0]?.reactions?.map((r) => r.name) ?? []

    await api.agentStatus(ticketId, 2)
    const resolved = await vi.waitFor(async () => {
      const names = await reactions()
      if (!names.includes('white_check_mark')) throw new Error('no check mark yet')
      return names
    }, WAIT)
    await api.agentStatus(ticketId, 1)
    const reopened = await vi.waitFor(async () => {
      const names = await reactions()
      if (names.includes('white_check_mark')) throw new Error('check mark still there')
      return names
    }, WAIT)

    expect(resolved).toEqual(['white_check_mark'])
    expect(reopened).toEqual([])
  })

  it('waits out a 429 from Slack and keeps the replies in order', async ({ expect }) => {
    const { ts, ticketId, opened } = await customerWrites('C0TWOWAY5', 'Search is slow')
    await api.slackFault({ channel: 'C0TWOWAY5', method: 'chat.postMessage', retryAfter: 2 })

    await api.agentReply(ticketId, 'public', 'first')
    await api.agentReply(ticketId, 'public', 'second')
    const posts = await vi.waitFor(async () => {
      const found = await api.posts('C0TWOWAY5', ts)
      if (found.length < 3) throw new Error('not all posted yet')
      return found
    }, WAIT)

    expect(posts).toEqual([opened, 'first', 'second'])
    const { calls } = await api.control<{ calls: { method: string; status: number }[] }>(
      '/_sim/slack/calls?method=chat.postMessage',
    )
    expect(calls.filter((c) => c.status === 429)).toHaveLength(1)
  })

  it('dead-letters not_in_channel, and posts the reply once the letter is replayed', async ({
    expect,
  }) => {
    const { ts, ticketId, opened } = await customerWrites('C0TWOWAY6', 'Webhooks stopped')
    await api.slackFault({ channel: 'C0TWOWAY6', error: 'not_in_channel' })

    await api.agentReply(ticketId, 'public', 'Could you check again?')
    const letter = await deadLetterOf(api, `C0TWOWAY6:${ts}`)
    const before = await api.posts('C0TWOWAY6', ts)
    const replayed = await api.admin(`/admin/dead-letters/${letter.id}/replay`, 'POST')
    const after = await vi.waitFor(async () => {
      const found = await api.posts('C0TWOWAY6', ts)
      if (found.length < 2) throw new Error('not posted after the replay')
      return found
    }, WAIT)

    expect(letter).toMatchObject({
      reason: 'outbound_permanent',
      lastError: 'slack: not_in_channel',
    })
    expect(before).toEqual([opened])
    expect(replayed).toEqual({ replayed: 1 })
    expect(after).toEqual([opened, 'Could you check again?'])
  })

  it('tells the newcomer’s story: send-event.sh, an answer in the inbox, the answer in Slack', async ({
    expect,
  }) => {
    const script = join(PROJECT_ROOT, 'examples/slack/send-event.sh')
    const env = { ...process.env, BRIDGE_URL: bridge.url, SIM_URL: bridge.sim.url }

    const sent = await promisify(execFile)(script, ['Our dashboard is down, newcomer'], {
      env: { ...env, CHANNEL_ID: 'C0NEWCOMER' },
    })
    const ts = /export THREAD_TS=(\S+)/.exec(sent.stdout)?.[1] ?? ''
    const ticketId = await api.ticketAbout('Our dashboard is down, newcomer')
    await api.agentReply(ticketId, 'public', 'Looking into it now')
    const thread = await vi.waitFor(async () => {
      const messages = await api.thread('C0NEWCOMER', ts)
      if (messages.length < 3) throw new Error('no answer in the Slack double yet')
      return messages
    }, WAIT)

    expect(thread.map((m) => m.text)).toEqual([
      'Our dashboard is down, newcomer',
      `Ticket #${await api.numberOf(ticketId)} opened`,
      'Looking into it now',
    ])
  })
})
