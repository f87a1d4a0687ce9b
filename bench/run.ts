/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run, since
 * a shared machine's absolute numbers drift from run to run. Prints one table per section and
 * writes them all, with the raw numbers, to bench/results.json. `BENCH_QUICK=1` shortens the
 * load runs and skips the slow sections; `BENCH_SECTIONS=ack,storm` runs only those.
 *
 * - ack: the acknowledgment path per source kind under autocannon, against a bare Hono worker
 *   answering 202 on the same workerd under the same requests (bench/ack.ts).
 * - calls: Udesk calls per event over a mix of new and returning form customers, Slack threads
 *   and replies and signed-webhook threads, at 1x, 3x and 10x the threads (bench/udesk-calls.ts).
 * - scaling: the acknowledgment matrix's main cases at 1x, 3x and 10x the connections.
 * - cpu: per request cost of verify + schema + adapter, in Node's V8, against a plain
 *   `JSON.parse` of the same body.
 * - forms: 20,000 repeats of one field against 2,000 (linear: about 10x).
 * - flood: an alert's ticket latency during a form flood at 5x the Udesk budget, against the
 *   same alert alone (goal: under 10 s; it was about 19 s with one shared bucket).
 * - storm: Udesk calls for 1,000 alerts in 10 groups over 3 notifications each, against the
 *   budget of 30 (one ticket and one note per notification that changes a group).
 */
import { ackMatrix } from './ack'
import { measureAlertStorm, STORM } from './alert-storm'
import { cpuCases } from './cases-cpu'
import { formScalingCases } from './cases-forms'
import { signatureListCases } from './cases-signatures'
import { microsecondsPerCall } from './cpu'
import { alertLatencyUnderFormFlood } from './flood'
import { bundleRows } from './cases-bundle'
import { workerdCpuRows } from './cases-cpu-workerd'
import { replyLatencySection } from './reply-figures'
import { ackCurve, udeskCallsCurve } from './scaling'
import { printTable, writeResults, type Figure, type Section, type SectionResult } from './report'

const QUICK = process.env.BENCH_QUICK === '1'
const ACK_LOAD = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
  seconds: Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 2)),
  rounds: Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 5)),
}
/** Scaling: threads (Udesk calls) and connections (acknowledgment) times 1, 3 and 10. */
const SCALES = process.env.BENCH_SCALES?.split(',').map(Number) ?? (QUICK ? [1, 3] : [1, 3, 10])

async function benchCpu(): Promise<Figure[]> {
  const figures: Figure[] = []
  for (const c of [...(await cpuCases()), ...signatureListCases()]) {
    const baseline = await microsecondsPerCall(c.baseline)
    const result = await microsecondsPerCall(c.run)
    figures.push({
      name: c.name,
      baseline: `${c.baselineName ?? 'JSON.parse'}: ${baseline.toFixed(2)} µs`,
      result: `${result.toFixed(2)} µs`,
      ratio: `${(result / baseline).toFixed(1)}x`,
      data: { baselineMicroseconds: baseline, microseconds: result },
    })
  }
  return figures
}

async function benchFormScaling(): Promise<Figure[]> {
  const figures: Figure[] = []
  for (const c of await formScalingCases()) {
    const small = await microsecondsPerCall(c.small)
    const large = await microsecondsPerCall(c.large)
    figures.push({
      name: c.name,
      baseline: `2,000 fields: ${small.toFixed(0)} µs`,
      result: `20,000 fields: ${large.toFixed(0)} µs`,
      ratio: `${(large / small).toFixed(1)}x`,
      data: { baselineMicroseconds: small, microseconds: large },
    })
  }
  return figures
}

async function benchFlood(): Promise<Figure[]> {
  const result = await alertLatencyUnderFormFlood()
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  return [
    {
      name: `alert post to ticket, ${result.formsPosted} form posts at 5/s (budget 60/min)`,
      baseline: `no flood: ${seconds(result.quietMs)}`,
      result: `${seconds(result.floodedMs)} (goal: under 10 s)`,
      ratio: `${(result.floodedMs / result.quietMs).toFixed(1)}x`,
      met: result.floodedMs < 10_000,
      data: { baselineMs: result.quietMs, ms: result.floodedMs },
    },
  ]
}

async function benchStorm(): Promise<Figure[]> {
  const storm = await measureAlertStorm()
  return [
    {
      name: `${STORM.groups * STORM.alertsPerGroup} alerts, ${STORM.groups} groups, ${STORM.notifications} notifications each`,
      baseline: `budget: ${STORM.callLimit} calls, ${STORM.groups} tickets`,
      result: `${storm.calls} calls, ${storm.tickets} tickets`,
      ratio: `${(storm.calls / STORM.callLimit).toFixed(2)}x`,
      met: storm.calls <= STORM.callLimit && storm.tickets === STORM.groups,
      data: { budgetCalls: STORM.callLimit, calls: storm.calls, tickets: storm.tickets },
    },
  ]
}

/** A table row of the bundle and workerd CPU sections as a figure (no target of its own). */
const figuresOf = (rows: [string, string, string, string][]): Figure[] =>
  rows.map(([name, baseline, result, ratio]) => ({ name, baseline, result, ratio }))

/** The sections in the order they run; add a new one to this list. */
const SECTIONS: Section[] = [
  {
    id: 'bundle',
    title: 'Deploy bundle and start-up, ratio to a bare Hono worker bundled the same way',
    run: async () => figuresOf(await bundleRows()),
  },
  {
    id: 'cpu-workerd',
    title:
      'CPU per request in workerd (intake: verify + parse + schema + adapter), ratio to JSON.parse',
    run: async () => figuresOf(await workerdCpuRows()),
  },
  {
    id: 'ack',
    title: `Acknowledgment path, autocannon ${ACK_LOAD.connections} connections, ${ACK_LOAD.rounds} rounds of ${ACK_LOAD.seconds} s, ratio to a bare Hono worker (target: >= 0.5x throughput, p99 <= 2x)`,
    run: () => ackMatrix(ACK_LOAD),
  },
  {
    id: 'calls',
    title: `Udesk calls per event through the simulator, threads x ${SCALES.join(', x')} (flat: the same at every scale)`,
    run: () => udeskCallsCurve(SCALES),
  },
  {
    id: 'scaling',
    title: `Acknowledgment path at ${SCALES.map((s) => s * ACK_LOAD.connections).join(', ')} connections, ratio to the bare worker at the same load`,
    run: () => ackCurve(ACK_LOAD, SCALES),
  },
  {
    id: 'cpu',
    title: 'CPU per request (Node V8), ratio to JSON.parse of the same body',
    run: benchCpu,
  },
  {
    id: 'forms',
    title: 'Form parsing (Node V8), 20,000 repeated fields against 2,000: linear is about 10x',
    run: benchFormScaling,
  },
  {
    id: 'flood',
    title: "Fair share of Udesk's budget (wrangler dev + simulator), ratio to the same alert alone",
    slow: true,
    run: benchFlood,
  },
  {
    id: 'storm',
    title: 'Alert storm: Udesk calls through the simulator, ratio to the budget',
    run: benchStorm,
  },
  replyLatencySection,
]

const only = process.env.BENCH_SECTIONS?.split(',')
const results: SectionResult[] = []
for (const section of SECTIONS) {
  if (only ? !only.includes(section.id) : QUICK && section.slow) continue
  const result = { id: section.id, title: section.title, figures: await section.run() }
  printTable(result)
  results.push(result)
  // Kept as each section ends, beside the earlier run's others: a later failure loses none.
  await writeResults(results, QUICK, true)
}
console.log(`\nwritten: ${await writeResults(results, QUICK, only !== undefined)}`)
