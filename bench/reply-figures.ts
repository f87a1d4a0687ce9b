import { percentile } from './reply-rounds'
import type { Figure } from './report'
import {
  measureReplyLatency,
  REPLY_BENCH_PLAN,
  TARGET_P95_MS,
  type PhaseResult,
  type ReplyBenchResult,
} from './reply-latency'

/** "About 1x": the storm with polling may take a quarter longer, on a loaded machine. */
const STORM_TOLERANCE = 1.25

const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'never')
const rounded = (ms: number) => (Number.isFinite(ms) ? Math.round(ms) : 'never')
const list = (samples: number[]) => samples.map(rounded).join(' ')
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/**
 * The reply latency at p50/p95 of each phase against its p95 target (ratio above 1: missed),
 * and the storm's mean alert-to-ticket time with the active threads polling against the same
 * storm with nothing polling (about 1x: polling does not slow ticket creation).
 */
export function replyFigures(result: ReplyBenchResult): Figure[] {
  const { plan } = result
  const latency = (kind: 'polling' | 'doorbell', phase: PhaseResult): Figure => {
    const samples = phase.latenciesMs
    const [p50, p95] = [percentile(samples, 50), percentile(samples, 95)]
    const target = TARGET_P95_MS[kind]
    const how = kind === 'polling' ? 'polling only' : 'doorbell rung'
    return {
      name: `agent reply to Slack post, ${plan.active} active of ${plan.watched} watched, ${how}`,
      baseline: `target p95: ${seconds(target)}`,
      result: `p50 ${seconds(p50)}, p95 ${seconds(p95)}, max ${seconds(Math.max(...samples))} (${samples.length} replies; Udesk ${phase.callsPerMinute.toFixed(0)}/min, polls ${phase.pollsPerMinute.toFixed(0)}/min)`,
      ratio: Number.isFinite(p95) ? `${(p95 / target).toFixed(2)}x` : 'never',
      met: p95 <= target,
      data: {
        replies: samples.length,
        p50Ms: rounded(p50),
        p95Ms: rounded(p95),
        targetP95Ms: target,
        udeskCallsPerMinute: Number(phase.callsPerMinute.toFixed(1)),
        pollsPerMinute: Number(phase.pollsPerMinute.toFixed(1)),
        detailsPerMinute: Number(phase.detailsPerMinute.toFixed(1)),
        replyListsPerMinute: Number(phase.replyListsPerMinute.toFixed(1)),
        sweepsPerMinute: Number(phase.sweepsPerMinute.toFixed(1)),
        quietThreadPolls: phase.quietPolls,
        seededThreadsNeverPolled: result.unpolled,
        udesk429s: phase.rateLimited,
        latenciesMs: list(samples),
      },
    }
  }
  const [quiet, busy] = [result.quietStorm.latenciesMs, result.pollingStorm.latenciesMs]
  const storm: Figure = {
    name: `alert to ticket, ${plan.stormAlerts} new alert groups at once, ${plan.active} threads polling (mean; max)`,
    baseline: `nothing polling: ${seconds(mean(quiet))}; ${seconds(Math.max(...quiet))}`,
    result: `${seconds(mean(busy))}; ${seconds(Math.max(...busy))} (${result.pollingStorm.polls} polls meanwhile)`,
    ratio: `${(mean(busy) / mean(quiet)).toFixed(2)}x`,
    met: mean(busy) <= STORM_TOLERANCE * mean(quiet),
    data: {
      baselineMeanMs: rounded(mean(quiet)),
      meanMs: rounded(mean(busy)),
      baselinePolls: result.quietStorm.polls,
      polls: result.pollingStorm.polls,
      baselineLatenciesMs: list(quiet),
      latenciesMs: list(busy),
    },
  }
  return [latency('polling', result.polling), latency('doorbell', result.doorbell), storm]
}

/** `npm run bench`'s two-way section (shaped like bench/report.ts's `Section`). */
export const replyLatencySection = {
  id: 'replies',
  title: `Two-way: agent reply to Slack, ${REPLY_BENCH_PLAN.active} active of ${REPLY_BENCH_PLAN.watched} watched threads, Udesk budget 60/min (wrangler dev + simulator), ratio to the target`,
  run: async () => replyFigures(await measureReplyLatency()),
}
