/** A small closed-loop load generator: N concurrent clients for a bounded time and count. */
export type LoadResult = {
  requests: number
  perSecond: number
  p50Ms: number
  p99Ms: number
  /** Answers other than the expected status, and failed requests. */
  errors: number
}

export type LoadOptions = {
  concurrency: number
  durationMs: number
  /** Upper bound on requests, whatever the duration. */
  maxRequests: number
  expectStatus: number
}

/** Runs `send(n)` in a loop on `concurrency` clients; `n` counts requests from 0. */
export async function measureThroughput(
  send: (n: number) => Promise<Response>,
  options: LoadOptions,
): Promise<LoadResult> {
  const latencies: number[] = []
  let next = 0
  let errors = 0
  const started = performance.now()
  const deadline = started + options.durationMs
  const client = async () => {
    while (performance.now() < deadline && next < options.maxRequests) {
      const n = next++
      const t0 = performance.now()
      try {
        const response = await send(n)
        await response.arrayBuffer()
        if (response.status !== options.expectStatus) errors++
      } catch {
        errors++
      }
      latencies.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, client))
  const elapsed = performance.now() - started
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    perSecond: (latencies.length / elapsed) * 1000,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    errors,
  }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}
