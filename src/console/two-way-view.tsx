import type { WatchRecord } from '../outbound/watch-store'
import { formatTime } from './layout'

/** What the budget was spent on lately (`UdeskRateLimiter.peek().usage`). */
export interface BudgetUse {
  writes: number
  polls: number
  sinceMs: number
}

/** The sweep's last listing (`WatchSweep.view()`) and the filter it reads. */
export interface SweepSummary {
  filterId: number
  at: number
  complete: boolean
  tickets: number
  failure?: { at: number; error: string } | undefined
}

/**
 * The two-way side of the budget: how many threads are watched, what share of the requests
 * granted lately went to their polls (writes always come first), and the sweep's last listing.
 */
export function TwoWayView(props: {
  usage: BudgetUse | undefined
  watched: number | string
  sweep: SweepSummary | string | undefined
}) {
  const { usage, watched } = props
  const total = usage ? usage.writes + usage.polls : 0
  const share = usage && total > 0 ? usage.polls / total : 0
  const minutes = usage ? Math.round(usage.sinceMs / 60_000) : 0
  return (
    <dl>
      <dt>Watched threads</dt>
      <dd>
        {typeof watched === 'string' ? `unavailable: ${watched}` : watched} (their tickets are
        polled for agent replies and status)
      </dd>
      <dt>Polling share</dt>
      <dd>
        {usage ? (
          <>
            <meter min={0} max={1} value={share} aria-label="Polling share of the budget" />{' '}
            {Math.round(share * 100)}% of the {total} requests of the last {minutes} minutes went to
            polls ({usage.polls} polls, {usage.writes} writes)
          </>
        ) : (
          'unavailable'
        )}
      </dd>
      <dt>Sweep</dt>
      <dd>
        <SweepLine sweep={props.sweep} />
      </dd>
    </dl>
  )
}

function SweepLine({ sweep }: { sweep: SweepSummary | string | undefined }) {
  if (sweep === undefined) return <>off: each watch reads its own ticket (UDESK_WATCH_FILTER_ID)</>
  if (typeof sweep === 'string') return <>unavailable: {sweep}</>
  const listed =
    sweep.at === 0
      ? 'no listing yet'
      : `${sweep.tickets} tickets listed at ${formatTime(sweep.at)}${sweep.complete ? '' : ' (cut short)'}`
  const failing = sweep.failure ? `; failing since ${formatTime(sweep.failure.at)}: ` : ''
  return (
    <>
      filter {sweep.filterId}: {listed}
      {failing}
      {sweep.failure?.error}
    </>
  )
}

/** A thread's two-way watch for the Threads page: is it polled, what waits to go out. */
export function WatchDetails(props: { record: WatchRecord | undefined }) {
  const { record } = props
  if (!record) return null
  const { watch, outbox } = record
  const phase = {
    watching: 'polled for agent replies and status',
    paused: 'paused: an answer could not be delivered; replay its dead letter after the fix',
    stopped: 'stopped: the ticket has been resolved or closed for a while',
  }[watch.phase]
  return (
    <>
      <h2>Two-way</h2>
      <dl>
        <dt>Watch</dt>
        <dd>{phase}</dd>
        <dt>Last poll</dt>
        <dd>{watch.lastPollAt === null ? 'none yet' : formatTime(watch.lastPollAt)}</dd>
        <dt>Next poll</dt>
        <dd>{watch.nextPollAt === null ? 'none' : formatTime(watch.nextPollAt)}</dd>
        <dt>Seen in Udesk</dt>
        <dd>
          {watch.seen.status}; last agent reply {watch.seen.agentRepliedAt ?? 'none'}
        </dd>
        <dt>Answers waiting to go out</dt>
        <dd>
          {outbox.items.length === 0
            ? 'none'
            : outbox.items
                .map((item) => `${item.id} (${item.failures} failed attempts)`)
                .join(', ')}
          {outbox.paused && ' (paused)'}
        </dd>
      </dl>
    </>
  )
}
