import { ackCases, BENCH_SOURCES, type AckCase } from './ack-requests'
import { cannon, type CannonLoad, type CannonResult } from './cannon'
import type { Figure } from './report'
import { startAckBridge, startBareWorker, type BenchWorker } from './workers'

/** Issue 13's targets, as ratios to the bare worker under the same load in the same run. */
export const ACK_TARGETS = { minThroughputRatio: 0.5, maxP99Ratio: 2 }

export type AckLoad = CannonLoad & { rounds: number }

/**
 * The acknowledgment matrix: for each case, the same request stream against the bare Hono
 * worker and then against the bridge, alternating for `load.rounds` rounds of `load.seconds`
 * each (so both see a shared machine in the same states). Throughput counts all rounds; p50
 * and p99 are the medians of the rounds'. Each figure carries both sides and their ratios.
 */
export async function ackMatrix(
  load: AckLoad,
  cases = ackCases(process.env.BENCH_CASES?.split(',')),
): Promise<Figure[]> {
  // Local Udesk deliveries would compete for the CPU; the consumer is off anyway (workers.ts).
  const bridge = await startAckBridge({
    UDESK_MAX_REQUESTS_PER_MINUTE: '100000',
    SOURCES: JSON.stringify(BENCH_SOURCES),
  })
  try {
    const bare = await startBareWorker()
    try {
      return await measure(bridge, bare, cases, load)
    } finally {
      await bare.stop()
    }
  } finally {
    await bridge.stop()
  }
}

/** Both workers warmed, then each case's rounds, alternating between them. */
async function measure(
  bridge: BenchWorker,
  bare: BenchWorker,
  cases: AckCase[],
  load: AckLoad,
): Promise<Figure[]> {
  // Both isolates warm (code compiled, Durable Objects and KV open) before any figure.
  const warm = { connections: load.connections, seconds: 1 }
  await cannon(bare, cases[0]!.request, 202, warm)
  await cannon(bridge, cases[0]!.request, cases[0]!.status, warm)
  const figures: Figure[] = []
  for (const c of cases) {
    if (c.prime) await send(bridge.url, c.prime())
    const baseline: CannonResult[] = []
    const result: CannonResult[] = []
    for (let round = 0; round < load.rounds; round++) {
      baseline.push(await cannon(bare, c.request, 202, load))
      result.push(await cannon(bridge, c.request, c.status, load))
    }
    figures.push(ackFigure(c, load, combine(baseline), combine(result)))
  }
  return [...figures, ...duplicateAgainstAccept(figures)]
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

function ackFigure(c: AckCase, load: AckLoad, base: CannonResult, got: CannonResult): Figure {
  const throughput = got.perSecond / base.perSecond
  const p99 = got.p99Ms / base.p99Ms
  const cpu = perRequest(got) / perRequest(base)
  const unexpected = got.unexpected > 0 ? `, ${got.unexpected} unexpected answers` : ''
  return {
    name: `${c.name} (${c.status})`,
    baseline: `bare: ${rate(base)}`,
    result: `${rate(got)}${unexpected}`,
    ratio: `${throughput.toFixed(2)}x, p99 ${p99.toFixed(1)}x, CPU ${cpu.toFixed(1)}x`,
    met:
      got.unexpected === 0 &&
      throughput >= ACK_TARGETS.minThroughputRatio &&
      p99 <= ACK_TARGETS.maxP99Ratio,
    data: {
      connections: load.connections,
      seconds: load.seconds,
      rounds: load.rounds,
      baselinePerSecond: base.perSecond,
      baselineP50Ms: base.p50Ms,
      baselineP99Ms: base.p99Ms,
      perSecond: got.perSecond,
      p50Ms: got.p50Ms,
      p99Ms: got.p99Ms,
      baselineCpuMsPerRequest: perRequest(base),
      cpuMsPerRequest: perRequest(got),
      requests: got.requests,
      unexpected: got.unexpected,
      throughputRatio: throughput,
      p99Ratio: p99,
      cpuRatio: cpu,
    },
  }
}

/** workerd CPU per answer (wrangler's proxy included, as for the bare worker), ms. */
function perRequest(r: CannonResult): number {
  return r.cpuMs / Math.max(1, r.requests)
}

function rate(r: CannonResult): string {
  const cpu = perRequest(r).toFixed(2)
  return `${r.perSecond.toFixed(0)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${cpu} ms CPU`
}

function combine(rounds: CannonResult[]): CannonResult {
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0)
  const seconds = rounds.reduce((sum, r) => sum + r.requests / r.perSecond, 0)
  return {
    perSecond: requests / seconds,
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    requests,
    cpuMs: rounds.reduce((sum, r) => sum + r.cpuMs, 0),
    unexpected: rounds.reduce((sum, r) => sum + r.unexpected, 0),
  }
}

/** Issue 13: the duplicate answer, which does less, at least as fast as a new delivery's. */
function duplicateAgainstAccept(figures: Figure[]): Figure[] {
  const accept = figures.find((f) => f.name.startsWith('Standard Webhooks'))?.data
  const duplicate = figures.find((f) => f.name.startsWith('duplicate'))?.data
  if (!accept || !duplicate) return []
  const ratio = Number(duplicate.perSecond) / Number(accept.perSecond)
  return [
    {
      name: 'duplicate against accept (Standard Webhooks)',
      baseline: `accept: ${Number(accept.perSecond).toFixed(0)} req/s`,
      result: `duplicate: ${Number(duplicate.perSecond).toFixed(0)} req/s`,
      ratio: `${ratio.toFixed(2)}x`,
      met: ratio >= 1,
      data: { baselinePerSecond: Number(accept.perSecond), perSecond: Number(duplicate.perSecond) },
    },
  ]
}
