import { RateLimitDeferral } from '../delivery/deferral'
import type { UdeskRateLimiter } from '../delivery/rate-limiter'
import { parseRetryAfter } from '../udesk/errors'
import type { UdeskFetch } from '../udesk/http'
import type { PollWaiter } from './poll-line'

/** How long a poll waits when the limiter itself cannot be asked. */
const LIMITER_DOWN_WAIT_MS = 5_000
/** How long to stop after a 429 that carries no Retry-After. */
const DEFAULT_PAUSE_MS = 10_000
/**
 * How long one request of a poll may wait in the line for a spare token. The floor lets a
 * spare token through only about once per refill (1.1 s at 60 a minute), and the line serves
 * the oldest poll first: a poll that gave up early would lose its place and come back last.
 */
export const MAX_POLL_TOKEN_WAIT_MS = 20_000
/** A waiter asks at least this often, so the line does not drop it as gone (`STALE_MS`). */
const MAX_SLEEP_MS = 2_000

/**
 * A `fetch` for the watch's Udesk reads: each request first takes a spare token of the
 * account's budget (`UdeskRateLimiter.acquirePoll`, writes first). Without one it sends
 * nothing and throws a `RateLimitDeferral` saying when to try again, which the watch turns
 * into a later poll; a 429 from Udesk pauses the whole account's bucket, as writes do.
 */
export function pollFetch(
  limiter: DurableObjectStub<UdeskRateLimiter>,
  inner: UdeskFetch = (url, init) => fetch(url, init),
  since = Date.now(),
): UdeskFetch {
  const waiter = { id: crypto.randomUUID(), since }
  return async (url, init) => {
    const endpoint = `${init.method ?? 'GET'} ${new URL(url).pathname}`
    await spareToken(limiter, endpoint, waiter)
    const response = await inner(url, init)
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now())
      await limiter.pause(retryAfterMs ?? DEFAULT_PAUSE_MS)
    }
    return response
  }
}

/**
 * Asks for a spare token until one is granted, in the line of polls (`PollWaiter`: oldest
 * first), sleeping as long as the limiter says, for up to `MAX_POLL_TOKEN_WAIT_MS`; nothing is
 * reserved meanwhile, so waiting writes still go first. Throws a `RateLimitDeferral` (the poll
 * is tried again later) past that wait.
 */
async function spareToken(
  limiter: DurableObjectStub<UdeskRateLimiter>,
  endpoint: string,
  waiter: PollWaiter,
) {
  const deadline = Date.now() + MAX_POLL_TOKEN_WAIT_MS
  for (;;) {
    let grant: { granted: boolean; retryInMs: number }
    try {
      grant = await limiter.acquirePoll(waiter)
    } catch (err) {
      const why = `the rate limiter failed (${err instanceof Error ? err.message : String(err)})`
      throw new RateLimitDeferral(endpoint, LIMITER_DOWN_WAIT_MS, why.slice(0, 200))
    }
    if (grant.granted) return
    if (Date.now() + grant.retryInMs > deadline) {
      throw new RateLimitDeferral(endpoint, grant.retryInMs, 'writes come first')
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(grant.retryInMs, MAX_SLEEP_MS)))
  }
}
