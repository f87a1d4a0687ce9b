import type { Context } from 'hono'
import { loadConfig } from '../config'
import { threadWatch } from '../outbound/watch-refs'
import { formatTime, Layout, Notice } from './layout'
import { WatchDetails } from './two-way-view'
import type { ConsoleEnv } from './routes'
import { findThread, threadView, type ThreadQuery } from './thread-lookup'
import type { TrailEntry, TrailEvent } from './trail'

type View = Awaited<ReturnType<typeof threadView>>

function SearchForm(props: { query: ThreadQuery; sources: string[] }) {
  const q = props.query
  return (
    <form method="get" action="/admin/threads" class="search" aria-label="Find a thread">
      <label>
        Source
        <select name="source">
          <option value="">(for thread key or delivery id)</option>
          {props.sources.map((s) => (
            <option value={s} selected={s === q.source}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Thread key
        <input name="thread" value={q.thread ?? ''} />
      </label>
      <label>
        Delivery id
        <input name="delivery" value={q.delivery ?? ''} />
      </label>
      <label>
        Ticket id
        <input name="ticket" inputmode="numeric" value={q.ticket ?? ''} />
      </label>
      <label>
        Ticket number
        <input name="num" placeholder="#848" value={q.num ?? ''} />
      </label>
      <button type="submit">Find</button>
    </form>
  )
}

function describe(detail: TrailEntry['detail']): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')
}

function EventSteps(props: { event: TrailEvent }) {
  const { steps, eventId } = props.event
  const first = steps[0]
  const last = steps[steps.length - 1]
  const attempts = steps.filter((s) => s.step === 'queued').length
  const ticket = [...steps].reverse().find((s) => s.detail.ticketId !== undefined)?.detail.ticketId
  return (
    <section aria-label={`Event ${eventId}`}>
      <h3>
        {String(first?.detail.type ?? 'event')} <code>{eventId}</code>
      </h3>
      <p>
        Outcome: <strong>{last?.step.replace('_', ' ')}</strong> · queue deliveries: {attempts}
        {ticket !== undefined && <> · ticket {ticket}</>}
        {first && last && <> · {((last.at - first.at) / 1000).toFixed(1)} s from received</>}
      </p>
      <ol>
        {steps.map((s) => (
          <li>
            <time datetime={new Date(s.at).toISOString()}>{formatTime(s.at)}</time>{' '}
            <strong>{s.step.replace('_', ' ')}</strong>
            {first && s !== first && ` (+${((s.at - first.at) / 1000).toFixed(1)} s)`}
            {describe(s.detail) && `: ${describe(s.detail)}`}
          </li>
        ))}
      </ol>
    </section>
  )
}

function ThreadDetails(props: { source: string; thread: string; view: View }) {
  const { view } = props
  return (
    <>
      <h2>Thread</h2>
      <dl>
        <dt>Source</dt>
        <dd>{props.source}</dd>
        <dt>Thread key</dt>
        <dd>{props.thread}</dd>
        <dt>Udesk ticket</dt>
        <dd>{view.ticketId === undefined ? 'none yet' : `id ${view.ticketId}`}</dd>
        <dt>Ticket status</dt>
        <dd>{view.status ?? 'unknown'}</dd>
        <dt>Events waiting</dt>
        <dd>{view.waiting}</dd>
      </dl>
      <h2>Events, oldest first</h2>
      {view.events.length === 0 && <p>The trail holds no events for this thread.</p>}
      {view.events.map((event) => (
        <EventSteps event={event} />
      ))}
    </>
  )
}

/** Threads: find one by thread key, delivery id or ticket, and show each event's steps. */
export async function threadPage(c: Context<ConsoleEnv>) {
  const query: ThreadQuery = c.req.query()
  const sources = Object.keys(loadConfig(c.env).SOURCES)
  const asked = Object.values(query).some((v) => v?.trim())
  const found = asked ? await findThread(c.env, query) : undefined
  const view = found?.ok ? await threadView(c.env, found.name) : undefined
  const watch = found?.ok ? await threadWatch(c.env, found.name).view() : undefined
  return c.html(
    <Layout title="Threads" current="/admin/threads">
      <SearchForm query={query} sources={sources} />
      {found && !found.ok && <Notice error>{found.why}</Notice>}
      {found?.ok && view && (
        <ThreadDetails source={found.name.source} thread={found.name.thread} view={view} />
      )}
      <WatchDetails record={watch} />
    </Layout>,
    found && !found.ok ? 404 : 200,
  )
}
