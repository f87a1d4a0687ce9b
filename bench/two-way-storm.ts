import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'
import { DEV, type Simulator, type SimulatorCall } from '../test/e2e/harness'

const firing = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'test/fixtures/alertmanager/firing.json'), 'utf8'),
) as Record<string, unknown>

export type StormResult = {
  /** Per alert: its notification's POST to its ticket in the simulator (ms), in post order. */
  latenciesMs: number[]
  /** The two-way reads (`GET /tickets/detail`, `.../replies`, `/tickets/export`) meanwhile. */
  polls: number
}

/**
 * An alert storm's first wave: `count` Alertmanager notifications of new groups, all posted at
 * once, each opening a ticket. Answers how long each waited for its ticket, and how many
 * two-way polls Udesk answered meanwhile (the budget they shared).
 */
export async function stormLatency(
  sim: Simulator,
  bridgeUrl: string,
  count: number,
  label: string,
): Promise<StormResult> {
  const since = await lastCallSeq(sim)
  const receivers = Array.from({ length: count }, (_, n) => `storm-${label}-${n}-${Date.now()}`)
  const started = performance.now()
  await Promise.all(receivers.map((receiver) => postAlert(bridgeUrl, receiver)))
  const seenAt = new Map<string, number>()
  while (seenAt.size < count && performance.now() - started < 5 * 60_000) {
    const { tickets } = await sim.control.state()
    const now = performance.now()
    for (const receiver of receivers) {
      if (!seenAt.has(receiver) && tickets.some((t) => t.content?.includes(receiver))) {
        seenAt.set(receiver, now)
      }
    }
    await delay(200)
  }
  const calls = await sim.control.calls(since)
  return {
    latenciesMs: receivers.map((r) => (seenAt.get(r) ?? Infinity) - started),
    polls: calls.filter(isPoll).length,
  }
}

async function postAlert(bridgeUrl: string, receiver: string): Promise<void> {
  const response = await fetch(`${bridgeUrl}/webhooks/alertmanager`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${DEV.alertmanagerToken}`,
    },
    body: JSON.stringify({ ...firing, receiver, groupKey: `{}:{bench="${receiver}"}` }),
  })
  await response.text()
  if (response.status !== 202) throw new Error(`alert answered ${response.status}`)
}

/** A two-way poll's read: the ticket's detail, its replies, or the sweep's filter export. */
export function isPoll(call: SimulatorCall): boolean {
  return (
    call.method === 'GET' &&
    (call.path.endsWith('/tickets/detail') ||
      call.path.endsWith('/tickets/export') ||
      /\/tickets\/\d+\/replies$/.test(call.path))
  )
}

export async function lastCallSeq(sim: Simulator): Promise<number> {
  const calls = await sim.control.calls()
  return calls.at(-1)?.seq ?? 0
}
