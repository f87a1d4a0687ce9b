import { DurableObject } from 'cloudflare:workers'
import { loadConfig, type Config } from '../config'
import { parseRetryAfter } from '../udesk/errors'
import { acquireSpare, pollFloor } from '../outbound/poll-budget'
import {
  MAX_TURN_RETRY_MS,
  starvingAhead,
  type PollLine,
  type PollWaiter,
} from '../outbound/poll-line'
import { recentUsage, tally, type BudgetUsage } from './budget-usage'
import { RateLimitDeferral } from './deferral'
import type { UdeskFetch } from '../udesk/http'
import type { SourceConfig } from '../config'
import {
  acquire,
  bucketConfig,
  fullBucket,
  pause,
  reserveFor,
  refill,
  type BucketConfig,
  type BucketState,
  type DeliveryPriority,
} from './token-bucket'

/**
 * A source's share of Udesk's budget: its `deliveryPriority`, else alerts (an outage) first,
 * then chat and signed webhooks, and anonymous forms last, so a form flood delays no alert.
 */
export function deliveryPriority(source: SourceConfig | undefined): DeliveryPriority {
  if (source?.deliveryPriority) return source.deliveryPriority
  if (source?.kind === 'alertmanager' || source?.kind === 'grafana') return 'high'
  return source?.kind === 'form' ? 'low' : 'normal'
}

/** Waits up to this long for a token inside a delivery; longer waits go back to the queue. */
export const MAX_TOKEN_WAIT_MS = 3_000
/** How long to hold a request back when the limiter itself cannot be asked (reset, overloaded). */
export const LIMITER_DOWN_WAIT_MS = 5_000
/** How long to stop after a 429 that carries no Retry-After. */
const DEFAULT_PAUSE_MS = 10_000

const STATE_KEY = 'bucket'
const USAGE_KEY = 'usage'

/**
 * One token bucket per Udesk account, shared by every consumer invocation and every thread
 * coordinator: Udesk's limit (about 60 requests a minute) is per account, not per worker.
 */
export class UdeskRateLimiter extends DurableObject<Env> {
  private config(): BucketConfig {
    return bucketConfig(loadConfig(this.env).UDESK_MAX_REQUESTS_PER_MINUTE)
  }

  private load(config: BucketConfig, now: number): BucketState {
    return this.ctx.storage.kv.get<BucketState>(STATE_KEY) ?? fullBucket(config, now)
  }

  acquire(
    maxWaitMs: number,
    priority: DeliveryPriority = 'high',
  ): { granted: boolean; waitMs: number } {
    const config = this.config()
    const now = Date.now()
    const reserve = reserveFor(priority, config)
    const result = acquire(this.load(config, now), config, now, maxWaitMs, reserve)
    this.ctx.storage.kv.put(STATE_KEY, result.state)
    if (result.granted) this.tally('writes', now)
    return { granted: result.granted, waitMs: result.waitMs }
  }

  /** Two-way polls waiting for a spare token, the starving ones oldest first (`starvingAhead`). */
  private readonly pollLine: PollLine = new Map()

  /**
   * A token for a two-way poll, only from what writes leave (`acquireSpare`): never waits,
   * never reserves; `retryInMs` says when to ask again. A `waiter` takes its place in the line
   * of polls: it is served only when the spare tokens also cover every starving older waiter.
   * Without one the poll takes any spare token.
   */
  acquirePoll(waiter?: PollWaiter): { granted: boolean; retryInMs: number } {
    const config = this.config()
    const now = Date.now()
    const result = acquireSpare(this.load(config, now), config, now)
    const ahead = waiter ? starvingAhead(this.pollLine, waiter, now) : 0
    const leftOver = result.state.tokens - pollFloor(config)
    if (result.granted && ahead > 0 && leftOver < ahead) {
      return { granted: false, retryInMs: MAX_TURN_RETRY_MS }
    }
    this.ctx.storage.kv.put(STATE_KEY, result.state)
    // No spare token for anyone before `retryInMs`: the line only decides who is served then.
    if (!result.granted) return { granted: false, retryInMs: result.retryInMs }
    if (waiter) this.pollLine.delete(waiter.id)
    this.tally('polls', now)
    return { granted: true, retryInMs: 0 }
  }

  private tally(kind: 'writes' | 'polls', now: number): void {
    const usage = this.ctx.storage.kv.get<BudgetUsage>(USAGE_KEY)
    this.ctx.storage.kv.put(USAGE_KEY, tally(usage, kind, now))
  }

  /** The bucket as it stands now and what it was spent on lately, for the console. */
  peek() {
    const config = this.config()
    const now = Date.now()
    const { tokens, pausedUntil } = refill(this.load(config, now), config, now)
    const perMinute = loadConfig(this.env).UDESK_MAX_REQUESTS_PER_MINUTE
    const usage = recentUsage(this.ctx.storage.kv.get<BudgetUsage>(USAGE_KEY), now)
    return { perMinute, capacity: config.capacity, tokens, pausedUntil, usage }
  }

  pause(pauseMs: number): void {
    const config = this.config()
    const now = Date.now()
    this.ctx.storage.kv.put(STATE_KEY, pause(this.load(config, now), config, now, now + pauseMs))
  }
}

export function rateLimiterFor(env: Env, config: Config): DurableObjectStub<UdeskRateLimiter> {
  const ns = env.RATE_LIMITER as unknown as DurableObjectNamespace<UdeskRateLimiter>
  return ns.get(ns.idFromName(`${config.UDESK_BASE_URL}\n${config.UDESK_EMAIL}`))
}

/**
 * A `fetch` for the Udesk client in which every request first takes a token. When the wait
 * would be long it sends nothing and throws a `RateLimitDeferral` saying how long, so the
 * event goes back on the queue to wait there instead of collecting 429s. A 429 from Udesk
 * itself pauses the whole account's bucket for its Retry-After. `priority` is the source's
 * share (see `deliveryPriority`).
 */
export function rateLimitedFetch(
  limiter: DurableObjectStub<UdeskRateLimiter>,
  maxWaitMs = MAX_TOKEN_WAIT_MS,
  inner: UdeskFetch = (url, init) => fetch(url, init),
  priority: DeliveryPriority = 'high',
): UdeskFetch {
  return async (url, init) => {
    const endpoint = `${init.method ?? 'GET'} ${new URL(url).pathname}`
    let grant: { granted: boolean; waitMs: number }
    try {
      grant = await limiter.acquire(maxWaitMs, priority)
    } catch (err) {
      // Nothing was sent: a deferral, not a network error whose outcome would be unknown.
      const why = `the rate limiter failed (${err instanceof Error ? err.message : String(err)})`
      throw new RateLimitDeferral(endpoint, LIMITER_DOWN_WAIT_MS, why.slice(0, 200))
    }
    if (!grant.granted) {
      // The client passes a UdeskError through as it is: a deferral, not a network failure.
      throw new RateLimitDeferral(endpoint, grant.waitMs)
    }
    if (grant.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, grant.waitMs))
    const response = await inner(url, init)
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now())
      await limiter.pause(retryAfterMs ?? DEFAULT_PAUSE_MS)
    }
    return response
  }
}
