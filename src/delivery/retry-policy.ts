import { UdeskError } from '../udesk/errors'
import { RateLimitDeferral } from './deferral'
import { NothingSentError } from './steps'

/** Cloudflare Queues refuse a `delaySeconds` above 12 hours. */
export const MAX_QUEUE_DELAY_S = 12 * 3600

export interface BackoffOptions {
  /** 1 for the first retry. */
  attempt: number
  /** A number in [0, 1): `Math.random()` in production, fixed in tests. */
  random: number
  baseMs: number
  capMs: number
  /** Udesk's `Retry-After` (or the local rate limiter's), when there was one. */
  retryAfterMs?: number
}

/**
 * Exponential backoff with full jitter (a random delay between 0 and min(cap, base * 2^n)), so
 * a thousand messages that failed together do not come back together. `Retry-After` is a
 * floor: Udesk said when to come back, and coming back earlier only collects another 429.
 */
export function backoffDelayMs(options: BackoffOptions): number {
  const exponent = Math.max(0, options.attempt - 1)
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(exponent, 30))
  const jittered = Math.floor(options.random * ceiling)
  return Math.max(jittered, options.retryAfterMs ?? 0)
}

/** The longest a merely waiting message stays away from the queue between two deliveries. */
export const WAIT_CAP_MS = 5 * 60_000

export interface WaitOptions {
  /** When the thread can go on (the blocking event's backoff, or the rate limiter's wait). */
  untilMs: number
  now: number
  /** How often the rate limiter deferred the thread's waiting event, 1 for the first time. */
  attempt: number
  random: number
  baseMs: number
}

/**
 * The delay of a message whose thread waits for our rate limiter (its event was deferred, or
 * an earlier event of its thread was): nothing failed, but each return still costs one of the
 * consumer's QUEUE_ATTEMPTS_CAP (90) deliveries. So the delay grows with how often the limiter
 * deferred the event (not with the message's delivery count, which failures also raise: one
 * deferral late in a faulty event's life is no backlog), with full jitter, up to WAIT_CAP_MS,
 * and is never shorter than the wait itself. Horizon at Udesk's 60 requests a minute (base =
 * two token intervals = 2 s): ceilings 2, 4, ... 256 s for deferrals 1-8, then 300 s; full
 * jitter averages half, so 90 returns cover (510 + 82 × 300) / 2 s ≈ 3.5 hours of waiting
 * (about 3.2 to 3.8 hours), more when the waits themselves are longer. A backlog of thousands
 * of events at 60 requests a minute is worked off in that time without being dead-lettered.
 */
export function waitDelayMs(options: WaitOptions): number {
  const { untilMs, now, attempt, random, baseMs } = options
  const spread = backoffDelayMs({ attempt, random, baseMs, capMs: WAIT_CAP_MS })
  return Math.max(1_000, untilMs - now, spread)
}

/** The queue's `delaySeconds`: whole seconds, at least one, at most the platform's limit. */
export function toDelaySeconds(ms: number): number {
  return Math.min(MAX_QUEUE_DELAY_S, Math.max(1, Math.ceil(ms / 1000)))
}

/**
 * Refusals a fresh attempt can cure: a stale timestamp (our clock, or a message that waited)
 * and a reused nonce are signing problems, and every attempt is signed anew.
 */
const RETRYABLE_UDESK_CODES = new Set([2004, 2006])

export type FailureVerdict =
  | {
      kind: 'retry'
      retryAfterMs?: number
      /** Nothing was sent (our own rate limit): not a failed attempt of the event. */
      deferred: boolean
      errorCode: string
      error: string
    }
  | { kind: 'permanent'; reason: string; errorCode: string; error: string }

/**
 * Retry what may work later (network, timeouts, 429, 5xx, and errors of our own platform);
 * a Udesk refusal (a `code` the reference lists as a client error) will not change by
 * waiting, so it goes to the dead-letter queue with its reason.
 */
export function classifyFailure(err: unknown): FailureVerdict {
  if (err instanceof UdeskError) {
    const errorCode =
      err.udeskCode !== undefined && err.kind !== 'clock'
        ? `udesk_${err.udeskCode}`
        : `udesk_${err.kind}`
    if (err instanceof RateLimitDeferral) {
      // Our own limiter held the call back: nothing reached Udesk, so no HTTP status to report.
      const { retryAfterMs, message: error } = err
      return { kind: 'retry', retryAfterMs, deferred: true, errorCode: 'rate_limit_wait', error }
    }
    const error = describeUdeskError(err)
    if (err.retryable || RETRYABLE_UDESK_CODES.has(err.udeskCode ?? 0))
      return { kind: 'retry', retryAfterMs: err.retryAfterMs, deferred: false, errorCode, error }
    return { kind: 'permanent', reason: 'udesk_rejected', errorCode, error }
  }
  const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  const errorCode = err instanceof NothingSentError ? err.code : 'internal'
  return { kind: 'retry', deferred: false, errorCode, error: error.slice(0, 500) }
}

function describeUdeskError(err: UdeskError): string {
  const parts = [err.endpoint, err.kind]
  if (err.httpStatus !== undefined) parts.push(`http ${err.httpStatus}`)
  if (err.udeskCode !== undefined) parts.push(`code ${err.udeskCode}`)
  if (err.udeskMessage) parts.push(err.udeskMessage)
  // Udesk's `exception.message`: often the only words that say which field it refused.
  if (err.udeskDetail) parts.push(err.udeskDetail)
  return parts.join(': ').slice(0, 500)
}
