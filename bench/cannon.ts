import autocannon from 'autocannon'
import type { AckRequest } from './ack-requests'
import { cpuMs } from './process-cpu'

/** One load run's figures: throughput, latency percentiles, and answers off the expected. */
export type CannonResult = {
  perSecond: number
  p50Ms: number
  p99Ms: number
  requests: number
  /** CPU time of the target's workerd processes during the run, ms (10 ms resolution). */
  cpuMs: number
  /** Answers with another status than expected, plus connection errors and timeouts. */
  unexpected: number
}

export type CannonLoad = { connections: number; seconds: number }

let sent = 0

/**
 * Runs autocannon against `target.url` for `load.seconds` on `load.connections` keep-alive
 * connections, each request built by `build(n)` with `n` unique across the whole bench run (so
 * no two runs send the same delivery). Throughput is answers per second of the run.
 */
export async function cannon(
  target: { url: string; pids: Set<number> },
  build: (n: number) => AckRequest,
  expectStatus: number,
  load: CannonLoad,
): Promise<CannonResult> {
  const cpuBefore = cpuMs(target.pids)
  const result = await autocannon({
    url: target.url,
    connections: load.connections,
    duration: load.seconds,
    requests: [
      {
        setupRequest: (request) => {
          const next = build(sent++)
          return { ...request, ...next, body: next.body }
        },
      },
    ],
  })
  const cpu = cpuMs(target.pids) - cpuBefore
  const expected = result.statusCodeStats?.[`${expectStatus}`]?.count ?? 0
  const answered = Object.values(result.statusCodeStats ?? {}).reduce(
    (sum, s) => sum + (s.count ?? 0),
    0,
  )
  return {
    perSecond: answered / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: answered,
    cpuMs: cpu,
    unexpected: answered - expected + result.errors + result.timeouts,
  }
}
