import { setTimeout as delay } from 'node:timers/promises'
import { DEV, type Simulator } from '../test/e2e/harness'
import { slackSignature } from '../test/helpers/signed-request'

/** A customer's Slack thread the bridge opened a ticket for. */
export type BenchThread = { channel: string; ts: string; ticketId: number }

const CUSTOMER = 'U0BENCHCUSTOMER'
const TEAM = 'T0EXAMPLE'

/**
 * A customer's message as Slack would deliver it: first written into the simulator's Slack
 * double (so the thread exists there for the bridge's replies), then sent to the bridge as a
 * signed Events API `message` event. Answers the message's ts.
 */
export async function customerWrites(
  sim: Simulator,
  bridgeUrl: string,
  message: { channel: string; text: string; threadTs?: string },
): Promise<string> {
  const seeded = await fetch(`${sim.url}/_sim/slack/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      channel: message.channel,
      user: CUSTOMER,
      text: message.text,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    }),
  })
  if (!seeded.ok) throw new Error(`Slack double: HTTP ${seeded.status}`)
  const { ts } = (await seeded.json()) as { ts: string }
  const now = Math.floor(Date.now() / 1000)
  const event = {
    type: 'message',
    channel: message.channel,
    user: CUSTOMER,
    text: message.text,
    ts,
    event_ts: ts,
    channel_type: 'channel',
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
  }
  const body = JSON.stringify({
    token: 'ExampleVerificationToken',
    team_id: TEAM,
    api_app_id: 'A0EXAMPLE',
    event,
    type: 'event_callback',
    event_id: `Ev${ts.replace('.', '')}${message.channel}`,
    event_time: now,
  })
  const response = await fetch(`${bridgeUrl}/webhooks/slack`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': await slackSignature(DEV.slackSigningSecret, now, body),
    },
    body,
  })
  await response.text()
  if (response.status >= 300) throw new Error(`Slack event answered ${response.status}`)
  return ts
}

/**
 * Opens `count` Slack threads through the bridge (spread over ten channels, `concurrency` at a
 * time) and waits until the simulator holds each one's ticket; answers them in order.
 */
export async function openThreads(
  sim: Simulator,
  bridgeUrl: string,
  count: number,
  label: string,
  concurrency = 8,
): Promise<BenchThread[]> {
  const roots: { channel: string; ts: string; text: string }[] = []
  let next = 0
  const worker = async () => {
    for (let n = next++; n < count; n = next++) {
      const channel = `C0BENCH${n % 10}`
      const text = `${label} thread ${n}: our dashboard is down`
      roots[n] = { channel, text, ts: await customerWrites(sim, bridgeUrl, { channel, text }) }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const deadline = Date.now() + 10 * 60_000
  while (Date.now() < deadline) {
    const { tickets } = await sim.control.state()
    const ids = roots.map((root) => tickets.find((t) => t.content?.includes(root.text))?.id)
    if (ids.every((id) => id !== undefined)) {
      return roots.map((root, n) => ({ channel: root.channel, ts: root.ts, ticketId: ids[n]! }))
    }
    await delay(1_000)
  }
  throw new Error(`not every one of ${count} seeded threads got its ticket in 10 minutes`)
}

/**
 * Until the simulator has answered at least one `GET /tickets/detail` for each ticket (for two
 * minutes at most), and then no Udesk call for three seconds: each watch has stored the poll's
 * outcome (stopping the worker during an alarm would run that alarm, the poll included, again
 * in the next worker). Answers the tickets never polled.
 */
export async function eachPolledOnce(sim: Simulator, ticketIds: number[]): Promise<Set<number>> {
  const unpolled = await firstPolls(sim, ticketIds)
  let last = -1
  for (let still = 0; still < 3;) {
    await delay(1_000)
    const count = (await sim.control.calls()).length
    still = count === last ? still + 1 : 0
    last = count
  }
  return unpolled
}

async function firstPolls(sim: Simulator, ticketIds: number[]): Promise<Set<number>> {
  const deadline = Date.now() + 2 * 60_000
  const wanted = new Set(ticketIds.map(String))
  while (Date.now() < deadline) {
    const calls = await sim.control.calls()
    for (const call of calls) {
      if (call.path.endsWith('/tickets/detail') && call.status === 200) {
        wanted.delete(String(call.query.id))
      }
    }
    if (wanted.size === 0) break
    await delay(1_000)
  }
  return new Set([...wanted].map(Number))
}
