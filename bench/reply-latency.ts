import { setTimeout as delay } from 'node:timers/promises'
import { converse, percentile, type Conversation } from './reply-rounds'
import { eachPolledOnce, openThreads } from './two-way-seed'
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
        stormAlerts: 8,
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
        stormAlerts: 12,
        conversation: {
          rounds: 2,
          thinkMs: [10_000, 40_000],
          pauseMs: [10_000, 40_000],
          giveUpMs: 180_000,
        },
      }

/** Shaped like bench/report.ts's `Figure` (one row of a section, with its raw numbers). */
export type ReplyFigure = {
  name: string
  baseline: string
  result: string
  ratio: string
  met?: boolean
  data?: Record<string, number | string>
}

export type ReplyBenchResult = {
  plan: ReplyBenchPlan
  polling: number[]
  doorbell: number[]
  quietStorm: StormResult
  pollingStorm: StormResult
  /** Two-way reads a minute Udesk answered during each conversation phase. */
  pollsPerMinute: { polling: number; doorbell: number }
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
    const threads = await seed(stage, plan.watched)
    await stage.sim.control.setRateLimit(BUDGET_PER_MINUTE)
    const bridge = await stage.start({ UDESK_MAX_REQUESTS_PER_MINUTE: String(BUDGET_PER_MINUTE) })
    try {
      const { sim } = stage
      const quietStorm = await stormLatency(sim, bridge.url, plan.stormAlerts, 'quiet')
      await delay(10_000) // the budget's burst refills before the conversations start
      const active = threads.slice(0, plan.active)
      const phase = async (doorbell: boolean) => {
        const since = await lastCallSeq(sim)
        const started = performance.now()
        const conversation = { ...plan.conversation, doorbell }
        const latencies = await converse(sim, bridge.url, active, conversation, String(doorbell))
        const polls = (await sim.control.calls(since)).filter(isPoll).length
        return { latencies, pollsPerMinute: (polls * 60_000) / (performance.now() - started) }
      }
      const polling = await phase(false)
      const doorbell = await phase(true)
      const pollingStorm = await stormLatency(sim, bridge.url, plan.stormAlerts, 'polling')
      return {
        plan,
        polling: polling.latencies,
        doorbell: doorbell.latencies,
        quietStorm,
        pollingStorm,
        pollsPerMinute: { polling: polling.pollsPerMinute, doorbell: doorbell.pollsPerMinute },
      }
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
 * the production one). Stopped once every thread was polled and acknowledged.
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
    await eachPolledOnce(
      stage.sim,
      threads.map((t) => t.ticketId),
    )
    return threads
  } finally {
    await bridge.stop()
  }
}

export function replyFigures(result: ReplyBenchResult): ReplyFigure[] {
  const { plan } = result
  const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'never')
  const latencyRow = (kind: 'polling' | 'doorbell', samples: number[]): ReplyFigure => {
    const p50 = percentile(samples, 50)
    const p95 = percentile(samples, 95)
    const target = TARGET_P95_MS[kind]
    return {
      name: `agent reply to Slack post, ${plan.active} active of ${plan.watched} watched, ${kind === 'polling' ? 'polling only' : 'doorbell rung'}`,
      baseline: `target p95: ${s(target)}`,
      result: `p50 ${s(p50)}, p95 ${s(p95)}, max ${s(Math.max(...samples))} (${samples.length} replies, ${result.pollsPerMinute[kind].toFixed(0)} polls/min)`,
      ratio: `${(p95 / target).toFixed(2)}x`,
      met: p95 <= target,
      data: {
        samples: samples.length,
        p50Ms: p50,
        p95Ms: p95,
        targetP95Ms: target,
        pollsPerMinute: result.pollsPerMinute[kind],
        latenciesMs: samples.map((ms) => Math.round(ms)).join(' '),
      },
    }
  }
  const quiet = result.quietStorm
  const busy = result.pollingStorm
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const stormRow: ReplyFigure = {
    name: `alert to ticket, ${plan.stormAlerts} new alert groups at once, ${plan.active} threads polling (mean; max)`,
    baseline: `nothing polling: ${s(mean(quiet.latenciesMs))}; ${s(Math.max(...quiet.latenciesMs))}`,
    result: `${s(mean(busy.latenciesMs))}; ${s(Math.max(...busy.latenciesMs))} (${busy.polls} polls meanwhile)`,
    ratio: `${(mean(busy.latenciesMs) / mean(quiet.latenciesMs)).toFixed(2)}x`,
    data: {
      baselineMeanMs: mean(quiet.latenciesMs),
      meanMs: mean(busy.latenciesMs),
      baselinePolls: quiet.polls,
      polls: busy.polls,
      baselineLatenciesMs: quiet.latenciesMs.map((ms) => Math.round(ms)).join(' '),
      latenciesMs: busy.latenciesMs.map((ms) => Math.round(ms)).join(' '),
    },
  }
  return [latencyRow('polling', result.polling), latencyRow('doorbell', result.doorbell), stormRow]
}
