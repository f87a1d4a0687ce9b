/**
 * The fault test (`npm run chaos`): the real worker under wrangler's local runtime against a
 * simulator that fails about 30% of calls, fed opens, replies and resolves two or three times
 * each, some at once, some out of order, and Alertmanager groups that fire and resolve, each
 * notification sent two or three times. Exits 1 on anything lost or duplicated.
 *
 * One thread's create commits and loses its answer, then Udesk fails every call for
 * --outage-seconds (look-ups too); dead letters are replayed at the end, as an operator would.
 * --restart-after N restarts the bridge N seconds into the drain (the local runtime's queue
 * does not survive it, so only for looking at the objects' side).
 *
 *   npm run chaos -- --events 1000 --threads 100 --alert-groups 20 --fault-rate 0.3 [--seed 7] [--rpm 3000]
 *     [--outage-seconds 120] [--restart-after none]
 */
import { parseArgs } from 'node:util'
import { chaosSummary, runChaos } from './chaos/run'

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000' },
    threads: { type: 'string', default: '100' },
    'alert-groups': { type: 'string', default: '20' },
    'fault-rate': { type: 'string', default: '0.3' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    rpm: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
    'timeout-seconds': { type: 'string', default: '1200' },
    'outage-seconds': { type: 'string', default: '120' },
    'restart-after': { type: 'string', default: 'none' },
    quiet: { type: 'boolean', default: false },
  },
})

const alertGroups = Number(values['alert-groups'])
if (!Number.isInteger(alertGroups) || alertGroups < 0) {
  console.error(`[chaos] --alert-groups must be a whole number, not ${values['alert-groups']}`)
  process.exit(2)
}

const result = await runChaos({
  events: Number(values.events),
  threads: Number(values.threads),
  alertGroups,
  faultRate: Number(values['fault-rate']),
  seed: Number(values.seed),
  requestsPerMinute: Number(values.rpm),
  concurrency: Number(values.concurrency),
  timeoutSeconds: Number(values['timeout-seconds']),
  outageSeconds: Number(values['outage-seconds']) || undefined,
  restartAfterSeconds:
    values['restart-after'] === 'none' ? undefined : Number(values['restart-after']),
  log: values.quiet ? undefined : (line) => console.error(`[chaos] ${line}`),
})

for (const problem of result.problems.slice(0, 20)) console.error(`[chaos] ${problem}`)
for (const letter of result.deadLetters.slice(0, 20)) console.error(`[chaos] dead letter ${letter}`)
for (const error of result.senderErrors.slice(0, 20)) console.error(`[chaos] sender: ${error}`)
console.log(chaosSummary(result))
console.error(
  `[chaos] seed=${values.seed} injected_faults=${result.faults} ` +
    `rate_limited_by_udesk=${result.rateLimited} sender_errors=${result.senderErrors.length}`,
)
const failed = result.lost > 0 || result.duplicated > 0 || result.senderErrors.length > 0
process.exit(failed ? 1 : 0)
