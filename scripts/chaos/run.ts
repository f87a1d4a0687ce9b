import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../../sim/server'
import { startLocalBridge } from '../local-bridge'
import { planAlertGroups, sendAlertGroups, ticketOpenIn, verifyAlertGroups } from './alerts'
import { waitForDrain } from './drain'
import { buildPlan, schedule, seededRandom } from './plan'
import { EVENTS_WEBHOOK_SECRET, sendAll, type SendReport } from './send'
import { lostCreateRule, outageAfterLostCreate } from './hard-faults'
import { verify, type SimTicket, type Verdict } from './verify'

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

const HOST = '127.0.0.1'
const ADMIN_TOKEN = 'dev-admin-token'
/** The bridge gives up on a Udesk call after this; commit_then_timeout holds longer. */
const UDESK_TIMEOUT_MS = 1_500

export interface ChaosOptions {
  events: number
  threads: number
  /** Alertmanager groups fired and resolved beside the events, each notification repeated. */
  alertGroups: number
  faultRate: number
  seed: number
  /** The bridge's UDESK_MAX_REQUESTS_PER_MINUTE, also enforced by the simulator. */
  requestsPerMinute: number
  concurrency: number
  timeoutSeconds: number
  /** After one thread's create commits and loses its answer, every call fails this long. */
  outageSeconds?: number
  /** Restart the bridge (evicting its Durable Objects) this long into the drain. */
  restartAfterSeconds?: number
  log?: (line: string) => void
}

export interface ChaosResult extends Verdict {
  events: number
  threads: number
  alertGroups: number
  deadLettered: number
  udeskCalls: number
  /** 429s the simulator's own rate limit gave (not injected): the bridge went too fast. */
  rateLimited: number
  faults: number
  /** Dead letters put back by the run's replay (after the outage, as an operator would). */
  replayed: number
  /** Whether the harder incidents happened: the outage after a lost create, the restart. */
  outage: boolean
  restarted: boolean
  seconds: number
  senderErrors: string[]
  /** `event: reason: last error` of every dead letter, to see why. */
  deadLetters: string[]
}

/**
 * Faults on about `rate` of all Udesk calls, split evenly between the kinds: each rule fires
 * with probability p, and rules are tried in turn, so 1 - (1 - p)^n = rate.
 */
function faultRules(rate: number) {
  const faults = [
    { kind: 'http', status: 503 },
    { kind: 'http', status: 500 },
    { kind: 'http', status: 429, retryAfter: 1 },
    { kind: 'network' },
    { kind: 'latency', ms: 200 },
    { kind: 'commit_then_timeout', ms: UDESK_TIMEOUT_MS + 1_000 },
  ]
  const p = 1 - (1 - rate) ** (1 / faults.length)
  return faults.map((fault) => ({ probability: p, fault }))
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined)
  const started = Date.now()
  const sim = await startSimulator({
    port: 0,
    host: HOST,
    maxRequestsPerMinute: options.requestsPerMinute,
  })
  const control = <T>(path: string, init?: RequestInit) =>
    fetch(`${sim.url}/_sim${path}`, init).then((r) => r.json() as Promise<T>)
  const persist = await mkdtemp(join(tmpdir(), 'udesk-bridge-chaos-'))
  let worker = await startBridge(`${sim.url}/open_api_v1`, persist, options)
  try {
    let url = worker.url
    const plan = buildPlan({ ...options, runId: `${options.seed}` })
    const groups = planAlertGroups(`${options.seed}`, options.alertGroups)
    // First in the list, so no share-of-calls fault takes its place on that create.
    const lostCreate = options.outageSeconds
      ? await control<{ id: string }>(
          '/faults',
          json(lostCreateRule(plan[0]!.subject, UDESK_TIMEOUT_MS + 1_000)),
        )
      : undefined
    const rules = faultRules(options.faultRate)
    for (const rule of rules) await control('/faults', json(rule))
    const outage = lostCreate
      ? outageAfterLostCreate(control, lostCreate.id, {
          outageMs: options.outageSeconds! * 1000,
          waitMs: options.timeoutSeconds * 500,
          rules,
          log,
        })
      : Promise.resolve(false)
    const jobs = schedule(plan, seededRandom(options.seed))
    log(
      `sending ${jobs.length} jobs (${options.events} deliveries, 2-3 copies each) and ` +
        `${groups.length} alert groups to ${url}`,
    )
    const alertsSent: SendReport = { accepted: 0, duplicates: 0, senderRetries: 0, errors: [] }
    const [sent] = await Promise.all([
      sendAll(url, jobs, options.concurrency),
      sendAlertGroups(
        url,
        groups,
        {
          random: seededRandom(options.seed + 1),
          ticketOpen: ticketOpenIn(control),
          deadline: started + options.timeoutSeconds * 1000,
        },
        alertsSent,
      ),
    ])
    log(
      `sent: accepted=${sent.accepted} duplicates=${sent.duplicates} retries=${sent.senderRetries}`,
    )
    log(
      `alerts sent: accepted=${alertsSent.accepted} duplicates=${alertsSent.duplicates} ` +
        `retries=${alertsSent.senderRetries}`,
    )
    let restarted = false
    if (options.restartAfterSeconds !== undefined) {
      await new Promise((r) => setTimeout(r, options.restartAfterSeconds! * 1000))
      log('restarting the bridge in the middle of its Udesk calls')
      await worker.stop()
      worker = await startBridge(`${sim.url}/open_api_v1`, persist, options)
      url = worker.url
      restarted = true
    }
    const hadOutage = await outage
    const check = (tickets: SimTicket[]) => {
      const verdict = verify(plan, tickets)
      verifyAlertGroups(groups, tickets, verdict)
      return verdict
    }
    const drained = () => waitForDrain(check, control, options.timeoutSeconds, log)
    let verdict = await drained()
    // What an operator does after an incident: replay the dead letters, then look again.
    const replayed = (await admin<{ replayed: number }>(url, '/admin/dead-letters/replay', 'POST'))
      .replayed
    if (replayed) {
      log(`replayed ${replayed} dead letters`)
      verdict = await drained()
    }
    const stats = await admin<Record<string, number>>(url, '/admin/stats')
    const letters = await admin<{ items?: DeadLetterSummary[] }>(
      url,
      '/admin/dead-letters?limit=1000',
    )
    const { calls } = await control<{ calls: { status: number; fault: unknown }[] }>('/calls')
    return {
      ...verdict,
      events: options.events,
      threads: plan.length,
      alertGroups: groups.length,
      deadLettered: stats.dead_lettered ?? -1,
      replayed: replayed ?? 0,
      outage: hadOutage,
      restarted,
      udeskCalls: calls.length,
      rateLimited: calls.filter((c) => c.status === 429 && !c.fault).length,
      faults: calls.filter((c) => c.fault).length,
      seconds: Math.round((Date.now() - started) / 1000),
      senderErrors: [...sent.errors, ...alertsSent.errors],
      deadLetters: (letters.items ?? []).map((l) => `${l.eventId}: ${l.reason}: ${l.lastError}`),
    }
  } finally {
    await worker.stop()
    await sim.close()
    await rm(persist, { recursive: true, force: true })
  }
}

/**
 * The real bridge, both workers in one `wrangler dev` as `npm start` runs them, under wrangler's
 * local runtime (queues, KV, Durable Objects).
 */
async function startBridge(udeskBaseUrl: string, persist: string, options: ChaosOptions) {
  const vars: Record<string, string> = {
    UDESK_BASE_URL: udeskBaseUrl,
    UDESK_API_TOKEN: 'dev-udesk-token',
    UDESK_MAX_REQUESTS_PER_MINUTE: String(options.requestsPerMinute),
    UDESK_TIMEOUT_MS: String(UDESK_TIMEOUT_MS),
    DELIVERY_RETRY_BASE_SECONDS: '1',
    DELIVERY_RETRY_MAX_SECONDS: '10',
    ADMIN_TOKEN,
    SLACK_SIGNING_SECRET: 'dev-slack-signing-secret',
    ALERTMANAGER_TOKEN: 'dev-alertmanager-token',
    GRAFANA_TOKEN: 'dev-grafana-token',
    EVENTS_WEBHOOK_SECRET,
  }
  return await startLocalBridge(vars, persist)
}

interface DeadLetterSummary {
  eventId: string
  reason: string
  lastError: string | null
}

async function admin<T extends object>(
  url: string,
  path: string,
  method = 'GET',
): Promise<Partial<T>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  })
  return response.ok ? ((await response.json()) as T) : {}
}

/** The fault test's one-line report, as issue 5 asks for it. */
export function chaosSummary(result: ChaosResult): string {
  return (
    `events=${result.events} threads=${result.threads} alert_groups=${result.alertGroups} ` +
    `lost=${result.lost} ` +
    `duplicated=${result.duplicated} dead_lettered=${result.deadLettered} ` +
    `replayed=${result.replayed} outage=${result.outage} restarted=${result.restarted} ` +
    `udesk_calls=${result.udeskCalls} seconds=${result.seconds}`
  )
}
