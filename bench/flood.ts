import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'
import { DEV, startBridge, type Bridge } from '../test/e2e/harness'

/** Udesk's budget in this run (requests a minute), enforced by the simulator too. */
const BUDGET_PER_MINUTE = 60
/** Form posts a second: each opens a ticket (1 to 3 Udesk calls), so at least 5x the budget. */
const FLOOD_PER_SECOND = 5
const FLOOD_WARMUP_MS = 20_000
const GIVE_UP_MS = 90_000

const firing = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'test/fixtures/alertmanager/firing.json'), 'utf8'),
) as Record<string, unknown>

export type FloodResult = {
  /** Alert post to its ticket in the simulator, with no other traffic. */
  quietMs: number
  /** The same during a form flood that started `FLOOD_WARMUP_MS` before. */
  floodedMs: number
  formsPosted: number
  formTicketsWhileMeasuring: number
}

/**
 * Issue 10's fair-share check: with anonymous form posts arriving at five times what Udesk's
 * budget can deliver (each from its own client address, so the per-client limit does not stop
 * them), an Alertmanager notification's ticket still appears within seconds, since forms only
 * spend the tokens alerts leave (`deliveryPriority`). The real worker under wrangler's local
 * runtime against the simulator, which enforces the same budget.
 */
export async function alertLatencyUnderFormFlood(): Promise<FloodResult> {
  const bridge = await startBridge({
    bindings: { UDESK_MAX_REQUESTS_PER_MINUTE: String(BUDGET_PER_MINUTE) },
  })
  try {
    await bridge.sim.control.setRateLimit(BUDGET_PER_MINUTE)
    const quietMs = await alertLatency(bridge)
    let formsPosted = 0
    let flooding = true
    const flood = (async () => {
      while (flooding) {
        void postForm(bridge, formsPosted++)
        await new Promise((resolve) => setTimeout(resolve, 1000 / FLOOD_PER_SECOND))
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, FLOOD_WARMUP_MS))
    const before = await formTickets(bridge)
    const floodedMs = await alertLatency(bridge)
    const formTicketsWhileMeasuring = (await formTickets(bridge)) - before
    flooding = false
    await flood
    return { quietMs, floodedMs, formsPosted, formTicketsWhileMeasuring }
  } finally {
    await bridge.stop()
  }
}

async function postForm(bridge: Bridge, n: number): Promise<void> {
  const body = new URLSearchParams({ email: `flood-${n}@example.com`, message: `flood ${n}` })
  const response = await fetch(`${bridge.url}/webhooks/contact`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'cf-connecting-ip': `198.51.100.${n % 250}`,
      'idempotency-key': `flood-${n}-${randomUUID()}`,
    },
    body,
  }).catch(() => undefined)
  await response?.body?.cancel()
}

async function formTickets(bridge: Bridge): Promise<number> {
  const { tickets } = await bridge.sim.control.state()
  return tickets.filter((t) => t.content?.includes('flood-')).length
}

/** Posts one firing alert of a new group and waits for its ticket in the simulator. */
async function alertLatency(bridge: Bridge): Promise<number> {
  const receiver = `flood-bench-${randomUUID()}`
  const started = performance.now()
  const response = await fetch(`${bridge.url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${DEV.alertmanagerToken}`,
    },
    body: JSON.stringify({ ...firing, receiver, groupKey: `{}:{bench="${receiver}"}` }),
  })
  if (response.status !== 202) throw new Error(`alert answered ${response.status}`)
  while (performance.now() - started < GIVE_UP_MS) {
    const { tickets } = await bridge.sim.control.state()
    if (tickets.some((t) => t.content?.includes(receiver))) return performance.now() - started
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return Infinity
}
