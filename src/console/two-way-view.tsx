/** What the budget was spent on lately (`UdeskRateLimiter.peek().usage`). */
export interface BudgetUse {
  writes: number
  polls: number
  sinceMs: number
}

/**
 * The two-way side of the budget: how many threads are watched and what share of the
 * requests granted lately went to their polls (writes always come first).
 */
export function TwoWayView(props: { usage: BudgetUse | undefined; watched: number | string }) {
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
    </dl>
  )
}
