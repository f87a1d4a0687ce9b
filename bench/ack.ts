import { ackCases, BENCH_SOURCES, type AckCase } from './ack-requests'
import { cannon, type CannonLoad, type CannonResult } from './cannon'
import type { Figure } from './report'
import { startAckBridge, startBareWorker } from './workers'

/** Issue 13's targets, as ratios to the bare worker under the same load in the same run. */
export const ACK_TARGETS = { minThroughputRatio: 0.5, maxP99Ratio: 2 }

/**
 * The acknowledgment matrix: for each case, the same request stream against the bare Hono
 * worker and then against the bridge (the bare run right before, so both see the machine in
 * the same state), under `load`. Each figure carries both runs and their ratios.
 */
export async function ackMatrix(
  load: CannonLoad,
  cases = ackCases(process.env.BENCH_CASES?.split(',')),
): Promise<Figure[]> {
  // Local Udesk deliveries would compete for the CPU; the consumer is off anyway (workers.ts).
  const bridge = await startAckBridge({
    UDESK_MAX_REQUESTS_PER_MINUTE: '100000',
    SOURCES: JSON.stringify(BENCH_SOURCES),
  })
  const bare = await startBareWorker()
  try {
    // Both isolates warm (code compiled, Durable Objects and KV open) before any figure.
    const warm = { connections: load.connections, seconds: 1 }
    await cannon(bare.url, cases[0]!.request, 202, warm)
    await cannon(bridge.url, cases[0]!.request, cases[0]!.status, warm)
    const figures: Figure[] = []
    for (const c of cases) {
      if (c.prime) await send(bridge.url, c.prime)
      const baseline = await cannon(bare.url, c.request, 202, load)
      const result = await cannon(bridge.url, c.request, c.status, load)
      figures.push(ackFigure(c, load, baseline, result))
    }
    return figures
  } finally {
    await bare.stop()
    await bridge.stop()
  }
}

async function send(origin: string, request: ReturnType<AckCase['request']>) {
  const { path, method, headers, body } = request
  const response = await fetch(`${origin}${path}`, {
    method,
    headers,
    body: typeof body === 'string' ? body : new Uint8Array(body),
  })
  await response.arrayBuffer()
}

function ackFigure(c: AckCase, load: CannonLoad, base: CannonResult, got: CannonResult): Figure {
  const throughput = got.perSecond / base.perSecond
  const p99 = got.p99Ms / base.p99Ms
  const unexpected = got.unexpected > 0 ? `, ${got.unexpected} unexpected answers` : ''
  return {
    name: `${c.name} (${c.status})`,
    baseline: `bare: ${rate(base)}`,
    result: `${rate(got)}${unexpected}`,
    ratio: `${throughput.toFixed(2)}x, p99 ${p99.toFixed(1)}x`,
    met:
      got.unexpected === 0 &&
      throughput >= ACK_TARGETS.minThroughputRatio &&
      p99 <= ACK_TARGETS.maxP99Ratio,
    data: {
      connections: load.connections,
      seconds: load.seconds,
      baselinePerSecond: base.perSecond,
      baselineP50Ms: base.p50Ms,
      baselineP99Ms: base.p99Ms,
      perSecond: got.perSecond,
      p50Ms: got.p50Ms,
      p99Ms: got.p99Ms,
      requests: got.requests,
      unexpected: got.unexpected,
      throughputRatio: throughput,
      p99Ratio: p99,
    },
  }
}

function rate(r: CannonResult): string {
  return `${r.perSecond.toFixed(0)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`
}
