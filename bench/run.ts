/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run, since
 * a shared machine's absolute numbers drift from run to run.
 *
 * - HTTP: requests per second through the bridge under wrangler's local runtime (workerd, local
 *   KV/Queues/DOs, the simulator behind it) against `GET /healthz` on the same server.
 * - CPU: per request cost of verify + schema + adapter, in Node's V8, against a plain
 *   `JSON.parse` of the same body.
 * - Alert storm: Udesk calls for 1,000 alerts in 10 groups over 3 notifications each, against
 *   the budget of 30 (one ticket and one note per notification that changes a group).
 * - Form parsing: 20,000 repeats of one field against 2,000 (linear: about 10x).
 * - Fair share: an alert's ticket latency during a form flood at 5x the Udesk budget, against
 *   the same alert alone (goal: under 10 s; it was about 19 s with one shared bucket).
 */
import { measureAlertStorm, STORM } from './alert-storm'
import { bundleRows } from './cases-bundle'
import { cpuCases } from './cases-cpu'
import { workerdCpuRows } from './cases-cpu-workerd'
import { signatureListCases } from './cases-signatures'
import { formScalingCases } from './cases-forms'
import { alertLatencyUnderFormFlood } from './flood'
import { httpCases } from './cases-http'
import { microsecondsPerCall } from './cpu'
import { measureThroughput } from './load'
import { startBridge } from '../test/e2e/harness'
import { replyLatencySection } from './reply-figures'

const LOAD = {
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8),
  durationMs: Number(process.env.BENCH_SECONDS ?? 3) * 1000,
  maxRequests: 50_000,
}

type Row = [name: string, baseline: string, result: string, ratio: string]

async function benchHttp(): Promise<Row[]> {
  // Local Udesk deliveries would compete for the CPU; a high limit keeps them quick.
  const bridge = await startBridge({ bindings: { UDESK_MAX_REQUESTS_PER_MINUTE: '100000' } })
  try {
    const rows: Row[] = []
    const cases = httpCases(bridge.url)
    const baseline = await measureThroughput(cases.baseline.send, {
      ...LOAD,
      expectStatus: cases.baseline.status,
    })
    for (const c of cases.subjects) {
      await c.prime?.()
      const result = await measureThroughput(c.send, { ...LOAD, expectStatus: c.status })
      const errors = result.errors > 0 ? ` (${result.errors} unexpected)` : ''
      rows.push([
        c.name,
        `${cases.baseline.name}: ${rate(baseline.perSecond)}`,
        `${rate(result.perSecond)}, p99 ${result.p99Ms.toFixed(1)} ms${errors}`,
        `${(result.perSecond / baseline.perSecond).toFixed(2)}x`,
      ])
    }
    return rows
  } finally {
    await bridge.stop()
  }
}

async function benchCpu(): Promise<Row[]> {
  const rows: Row[] = []
  for (const c of [...(await cpuCases()), ...signatureListCases()]) {
    const baseline = await microsecondsPerCall(c.baseline)
    const result = await microsecondsPerCall(c.run)
    rows.push([
      c.name,
      `${c.baselineName ?? 'JSON.parse'}: ${baseline.toFixed(2)} µs`,
      `${result.toFixed(2)} µs`,
      `${(result / baseline).toFixed(1)}x`,
    ])
  }
  return rows
}

async function benchFormScaling(): Promise<Row[]> {
  const rows: Row[] = []
  for (const c of await formScalingCases()) {
    const small = await microsecondsPerCall(c.small)
    const large = await microsecondsPerCall(c.large)
    rows.push([
      c.name,
      `2,000 fields: ${small.toFixed(0)} µs`,
      `20,000 fields: ${large.toFixed(0)} µs`,
      `${(large / small).toFixed(1)}x`,
    ])
  }
  return rows
}

async function benchFlood(): Promise<Row[]> {
  const result = await alertLatencyUnderFormFlood()
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  return [
    [
      `alert post to ticket, ${result.formsPosted} form posts at 5/s (budget 60/min)`,
      `no flood: ${seconds(result.quietMs)}`,
      `${seconds(result.floodedMs)} (goal: under 10 s)`,
      `${(result.floodedMs / result.quietMs).toFixed(1)}x`,
    ],
  ]
}

function rate(perSecond: number): string {
  return `${perSecond.toFixed(0)} req/s`
}

function printTable(title: string, rows: Row[]): void {
  const header: Row = ['benchmark', 'baseline (same run)', 'result', 'ratio']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (r: Row) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')
  console.log(`\n${title}`)
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows) console.log(line(row))
}

printTable(
  'Deploy bundle and start-up, ratio to a bare Hono worker bundled the same way',
  await bundleRows(),
)
printTable(
  'CPU per request in workerd (intake: verify + parse + schema + adapter), ratio to JSON.parse',
  await workerdCpuRows(),
)
const cpu = await benchCpu()
printTable('CPU per request (Node V8), ratio to the baseline (JSON.parse of the same body)', cpu)
printTable('CPU per request (Node V8), ratio to JSON.parse of the same body', cpu)
printTable(
  'Form parsing (Node V8), 20,000 repeated fields against 2,000: linear is about 10x',
  await benchFormScaling(),
)
printTable(
  "Fair share of Udesk's budget (wrangler dev + simulator), ratio to the same alert alone",
  await benchFlood(),
)
const http = await benchHttp()
printTable(
  `HTTP throughput, ${LOAD.concurrency} clients x ${LOAD.durationMs / 1000} s, ratio to GET /healthz`,
  http,
)
const storm = await measureAlertStorm()
const total = STORM.groups * STORM.alertsPerGroup
printTable(
  `Alert storm: ${total} alerts, ${STORM.groups} groups, ${STORM.notifications} notifications each`,
  [
    [
      'Udesk calls through the simulator',
      `budget: ${STORM.callLimit} calls`,
      `${storm.calls} calls, ${storm.tickets} tickets`,
      `${(storm.calls / STORM.callLimit).toFixed(2)}x`,
    ],
  ],
)
const replies = await replyLatencySection.run()
printTable(
  replyLatencySection.title,
  replies.map((f) => [
    f.name,
    f.baseline,
    f.result,
    `${f.ratio}${f.met === false ? ' MISSED' : ''}`,
  ]),
)
for (const f of replies) console.log(`${f.name}: ${JSON.stringify(f.data)}`)
