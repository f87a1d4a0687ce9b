import type { Context } from 'hono'
import { loadConfig } from '../config'
import { ledger, readStats, type DeadLetterSummary } from '../delivery/ledger'
import { rateLimiterFor } from '../delivery/rate-limiter'
import { BarChart, hourly } from './chart'
import { formatTime, Layout, Notice } from './layout'
import type { ConsoleEnv } from './routes'

const DAY_MS = 24 * 3_600_000

/** What each counter of /admin/stats means, in the console's words. */
const COUNTER_LABELS: Record<string, string> = {
  accepted: 'Accepted from senders',
  duplicates: 'Duplicates dropped',
  delivered: 'Delivered to Udesk',
  retried: 'Retries',
  dead_lettered: 'Dead-lettered',
  replayed: 'Replayed by an operator',
}

type Budget = { perMinute: number; capacity: number; tokens: number; pausedUntil: number }

async function readBudget(env: Env): Promise<Budget | string> {
  try {
    return await rateLimiterFor(env, loadConfig(env)).peek()
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

/** Whatever numbers /admin/stats holds, so a counter added there shows here as well. */
async function readCounters(env: Env): Promise<Record<string, number>> {
  const stats: object = await readStats(env)
  return Object.fromEntries(
    Object.entries(stats).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  )
}

function Counters(props: { stats: Record<string, number> }) {
  return (
    <div class="table">
      <table>
        <caption class="visually-hidden">Counters since the ledger started</caption>
        <tbody>
          {Object.entries(props.stats).map(([name, value]) => (
            <tr>
              <th scope="row">{COUNTER_LABELS[name] ?? name.replaceAll('_', ' ')}</th>
              <td class="n">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
  const [stats, today, budget, all] = await Promise.all([
    readCounters(c.env),
    ledger(c.env).summarizeDeadLetters({ failedSince: now - DAY_MS, limit: CHART_LIMIT }),
    readBudget(c.env),
    ledger(c.env).summarizeDeadLetters({ limit: 0 }),
  ])
  return c.html(
    <Layout title="Overview" current="/admin">
      <h2>Counters</h2>
      <Counters stats={stats} />
      <h2>Dead letters, last 24 hours</h2>
      <LettersToday letters={today.items} now={now} />
      <p>
        <a href="/admin/letters">{all.total} dead letters in all</a>
      </p>
      <h2>Udesk request budget</h2>
      <BudgetView budget={budget} now={now} />
    </Layout>,
  )
}
