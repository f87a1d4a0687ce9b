import { setTimeout as delay } from 'node:timers/promises'
import { converse, type Conversation } from './reply-rounds'
import type { SimulatorCall } from '../test/e2e/harness'
import { eachPolledOnce, openThreads, type BenchThread } from './two-way-seed'
import { openStage, type Stage } from './two-way-stage'
import { isPoll, lastCallSeq, stormLatency, type StormResult } from './two-way-storm'

/** Udesk's budget in the measurement (requests a minute), on the bridge and the simulator. */
const BUDGET_PER_MINUTE = 60
/** Issue 14's targets for the reply latency at p95 (ms). */
export const TARGET_P95_MS = { polling: 60_000, doorbell: 15_000 }

export type ReplyBenchPlan = {
  watched: number
  active: number
  /** Alerts of the storm's first wave, each a new group (one ticket each). */
  stormAlerts: number
  conversation: Omit<Conversation, 'doorbell'>
}

/** The full run takes about 12 minutes; `BENCH_QUICK=1` about 4. */
export const REPLY_BENCH_PLAN: ReplyBenchPlan =
  process.env.BENCH_QUICK === '1'
    ? {
        watched: 40,
        active: 6,
        stormAlerts: 12,
        conversation: {
          rounds: 1,
          thinkMs: [5_000, 20_000],
          pauseMs: [5_000, 20_000],
          giveUpMs: 180_000,
        },
      }
    : {
        watched: 200,
        active: 20,
        stormAlerts: 30,
        conversation: {
          rounds: 3,
          thinkMs: [10_000, 40_000],
          pauseMs: [10_000, 40_000],
          giveUpMs: 180_000,
        },
      }

/** One conversation phase: each agent reply's latency, and what Udesk answered meanwhile. */
export type PhaseResult = {
  latenciesMs: number[]
  /** Udesk requests a minute: all of them, and the two-way reads among them. */
  callsPerMinute: number
  pollsPerMinute: number
  /** Of those reads: the tickets' details and their reply lists (a minute). */
  detailsPerMinute: number
  replyListsPerMinute: number
  /** The sweep's listings of its filter (a minute). */
  sweepsPerMinute: number
  /** Two-way reads of the quiet (not active) threads' tickets. */
  quietPolls: number
  /** Udesk's 429 answers (the bridge's own budget should leave none). */
  rateLimited: number
}

export type ReplyBenchResult = {
  plan: ReplyBenchPlan
  /** Seeded threads whose watch never polled (left out of the active ones). */
  unpolled: number
  polling: PhaseResult
  doorbell: PhaseResult
  quietStorm: StormResult
  pollingStorm: StormResult
}

function udeskUse(calls: SimulatorCall[], active: BenchThread[], elapsedMs: number) {
  const perMinute = (n: number) => (n * 60_000) / elapsedMs
  const polls = calls.filter(isPoll)
  const activeIds = new Set(active.map((t) => String(t.ticketId)))
  const ticketOf = (call: SimulatorCall) =>
    call.query.id ?? /\/tickets\/(\d+)\//.exec(call.path)?.[1] ?? ''
  return {
    callsPerMinute: perMinute(calls.length),
    pollsPerMinute: perMinute(polls.length),
    detailsPerMinute: perMinute(polls.filter((call) => call.path.endsWith('/detail')).length),
    replyListsPerMinute: perMinute(polls.filter((call) => call.path.endsWith('/replies')).length),
    sweepsPerMinute: perMinute(polls.filter((call) => call.path.endsWith('/export')).length),
    quietPolls: polls.filter((call) => ticketOf(call) !== '' && !activeIds.has(ticketOf(call)))
      .length,
    rateLimited: calls.filter((call) => call.status === 429).length,
  }
}

/**
 * Issue 14's reply latency: `watched` Slack threads are opened through the bridge with no
 * rate limit and a watch that goes cold right after its first poll (next poll in 20 minutes,
 * the production cold interval), as threads quiet for hours are; then a second worker on the
 * same storage measures under Udesk's budget (60 a minute, the simulator enforcing it too)
 * with the production watch timings: `active` of the threads hold conversations, first
 * without the doorbell, then with it. Alert storms before the conversations (nothing polling)
 * and right after them (the active threads still hot) compare ticket creation.
 */
export async function measureReplyLatency(plan = REPLY_BENCH_PLAN): Promise<ReplyBenchResult> {
  const stage = await openStage()
  try {
    const { threads, unpolled } = await seed(stage, plan.watched)
    await stage.sim.control.setRateLimit(BUDGET_PER_MINUTE)
    const bridge = await stage.start({ UDESK_MAX_REQUESTS_PER_MINUTE: String(BUDGET_PER_MINUTE) })
    try {
      const { sim } = stage
      // One alert first, so the baseline does not pay for the fresh worker's first requests.
      await stormLatency(sim, bridge.url, 1, 'warm-up')
      await delay(10_000)
      const quietStorm = await stormLatency(sim, bridge.url, plan.stormAlerts, 'quiet')
      await delay(10_000) // the budget's burst refills before the conversations start
      const active = threads.filter((t) => !unpolled.has(t.ticketId)).slice(0, plan.active)
      const phase = async (doorbell: boolean): Promise<PhaseResult> => {
        const since = await lastCallSeq(sim)
        const started = performance.now()
        const conversation = { ...plan.conversation, doorbell }
        const latenciesMs = await converse(sim, bridge.url, active, conversation, String(doorbell))
        const calls = await sim.control.calls(since)
        return { latenciesMs, ...udeskUse(calls, active, performance.now() - started) }
      }
      const polling = await phase(false)
      const doorbell = await phase(true)
      const pollingStorm = await stormLatency(sim, bridge.url, plan.stormAlerts, 'polling')
      return { plan, unpolled: unpolled.size, polling, doorbell, quietStorm, pollingStorm }
    } finally {
      await bridge.stop()
    }
  } finally {
    await stage.close()
  }
}

/**
 * The seeding worker: no rate limit, and a watch that polls once a second after its ticket
 * is opened and is cold from then on (hot and warm for one second each; the cold interval is
 * the production one). Stopped once every thread was polled (or two minutes passed).
 */
async function seed(stage: Stage, count: number) {
  const bridge = await stage.start({
    UDESK_MAX_REQUESTS_PER_MINUTE: '100000',
    WATCH_HOT_SECONDS: '1',
    WATCH_HOT_FOR_SECONDS: '1',
    WATCH_WARM_FOR_SECONDS: '1',
  })
  try {
    const threads = await openThreads(stage.sim, bridge.url, count, 'seed')
    const unpolled = await eachPolledOnce(
      stage.sim,
      threads.map((t) => t.ticketId),
    )
    if (unpolled.size > 0) {
      console.warn(`two-way bench: seeded tickets never polled: ${[...unpolled].join(', ')}`)
    }
    return { threads, unpolled }
  } finally {
    await bridge.stop()
  }
}
