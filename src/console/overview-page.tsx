import type { Context } from 'hono'
import { loadConfig } from '../config'
import { DAY_HOURS, windowStart, type SourceDay } from '../delivery/hourly-stats'
import { ledger, type DeadLetterSummary } from '../delivery/ledger'
import { readDayBySource, readStats } from '../delivery/stats'
import { rateLimiterFor } from '../delivery/rate-limiter'
import { BarChart, hourly } from './chart'
import { formatTime, Layout, Notice } from './layout'
import type { ConsoleEnv } from './routes'
import { sweepFilterId, watchSweep } from '../outbound/watch-refs'
import { TwoWayView, type BudgetUse, type SweepSummary } from './two-way-view'

const DAY_MS = 24 * 3_600_000

/** The counters the Overview shows per source, in the console's words. */
const COUNTER_LABELS: [name: string, label: string][] = [
  ['accepted', 'Accepted'],
  ['delivered', 'Delivered'],
  ['retried', 'Retried'],
  ['duplicates', 'Duplicates'],
  ['dead_lettered', 'Dead-lettered'],
  ['threads_awaiting_create', 'Began waiting on a create'],
]

type Budget = {
  perMinute: number
  capacity: number
  tokens: number
  pausedUntil: number
  usage?: BudgetUse
}

async function readWatched(env: Env): Promise<number | string> {
  try {
    return (await readStats(env)).watched_threads
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

/** The sweep's last listing; undefined without a sweep (no `UDESK_WATCH_FILTER_ID`). */
async function readSweep(env: Env): Promise<SweepSummary | string | undefined> {
  const filterId = sweepFilterId(env)
  if (filterId === undefined) return undefined
  try {
    return { filterId, ...(await watchSweep(env).view()) }
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

async function readBudget(env: Env): Promise<Budget | string> {
  try {
    return await rateLimiterFor(env, loadConfig(env)).peek()
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

function SourceCounters(props: { days: Map<string, SourceDay> }) {
  if (props.days.size === 0) return <p>No source counted anything in the last 24 hours.</p>
  return (
    <div class="table">
      <table>
        <caption class="visually-hidden">Counts per source, last 24 hours</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            {COUNTER_LABELS.map(([, label]) => (
              <th scope="col" class="n">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...props.days].map(([source, day]) => (
            <tr>
              <th scope="row">{source}</th>
              {COUNTER_LABELS.map(([name]) => (
                <td class="n">{day.totals[name] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** One chart per source: the events it had accepted, hour by hour. */
function SourceCharts(props: { days: Map<string, SourceDay>; now: number }) {
  const from = windowStart(props.now)
  const empty = Array.from({ length: DAY_HOURS }, () => 0)
  return (
    <>
      {[...props.days].map(([source, day]) => (
        <BarChart
          series={{ from, counts: day.hours.accepted ?? empty }}
          label={`${source}, accepted`}
          fill="#0b5cad"
        />
      ))}
    </>
  )
}

function BudgetView(props: { budget: Budget | string; now: number }) {
  const { budget, now } = props
  if (typeof budget === 'string') return <Notice error>Budget unavailable: {budget}</Notice>
  const inUse = Math.max(0, Math.min(1, 1 - budget.tokens / budget.capacity))
  const waiting = budget.tokens < 0 ? Math.ceil(-budget.tokens) : 0
  return (
    <dl>
      <dt>Allowed</dt>
      <dd>{budget.perMinute} requests a minute to Udesk (shared by every thread)</dd>
      <dt>In use</dt>
      <dd>
        <meter min={0} max={1} value={inUse} aria-label="Burst budget in use" />{' '}
        {Math.round(inUse * 100)}% of the {budget.capacity}-request burst
        {waiting > 0 ? `, ${waiting} requests waiting for their turn` : ''}
      </dd>
      {budget.pausedUntil > now && (
        <>
          <dt>Paused</dt>
          <dd>Udesk answered 429: nothing is sent before {formatTime(budget.pausedUntil)}</dd>
        </>
      )}
    </dl>
  )
}

/** At most this many of the day's letters are charted (a few hundred bytes each). */
const CHART_LIMIT = 5000

function LettersToday(props: { letters: DeadLetterSummary[]; now: number }) {
  const recent = props.letters
  const bySource = new Map<string, number>()
  for (const l of recent) {
    const source = l.source ?? '(unreadable)'
    bySource.set(source, (bySource.get(source) ?? 0) + 1)
  }
  return (
    <>
      <BarChart
        series={hourly(
          recent.map((l) => l.failedAt),
          props.now,
        )}
        label="Dead letters"
      />
      <ul>
        {[...bySource].map(([source, n]) => (
          <li>
            <a href={`/admin/letters?${new URLSearchParams({ source })}`}>{source}</a>: {n}
          </li>
        ))}
      </ul>
    </>
  )
}

/** Overview: is the bridge delivering, what did it give up on today, how much of Udesk it uses. */
export async function overviewPage(c: Context<ConsoleEnv>) {
  const now = Date.now()
  const [days, today, budget, all, watched, sweep] = await Promise.all([
    readDayBySource(c.env, now),
    ledger(c.env).summarizeDeadLetters({ failedSince: now - DAY_MS, limit: CHART_LIMIT }),
    readBudget(c.env),
    ledger(c.env).summarizeDeadLetters({ limit: 0 }),
    readWatched(c.env),
    readSweep(c.env),
  ])
  return c.html(
    <Layout title="Overview" current="/admin">
      <h2>Per source, last 24 hours</h2>
      <SourceCounters days={days} />
      <SourceCharts days={days} now={now} />
      <h2>Dead letters, last 24 hours</h2>
      <LettersToday letters={today.items} now={now} />
      <p>
        <a href="/admin/letters">{all.total} dead letters in all</a>
      </p>
      <h2>Udesk request budget</h2>
      <BudgetView budget={budget} now={now} />
      <h2>Two-way</h2>
      <TwoWayView
        usage={typeof budget === 'string' ? undefined : budget.usage}
        watched={watched}
        sweep={sweep}
      />
    </Layout>,
  )
}
