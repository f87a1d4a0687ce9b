import { signOutbound, type OutboundMessage } from './webhook-out'

/**
 * Waits after each failed attempt, like Svix's schedule (docs.svix.com, "Retry schedule"):
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. After the eighth attempt fails the message is
 * given up (dead-lettered with its reason), about 27 h 35 min after the first.
 */
export const RETRY_DELAYS_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  10 * 3600_000,
] as const
const MAX_RETRY_DELAY_MS = Math.max(...RETRY_DELAYS_MS)
/** How long one attempt may take before it counts as failed (Svix allows 15 s). */
export const ATTEMPT_TIMEOUT_MS = 15_000

/**
 * One attempt's outcome:
 * - `delivered`: a 2xx.
 * - `failed`: anything else (3xx are not followed, as the spec asks; 4xx, 5xx, network,
 *   timeout); `retryAfterMs` when the receiver sent `Retry-After` (429, 503).
 * - `gone`: 410 Gone, the receiver's way to say "stop": disable the endpoint, retry nothing.
 */
export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'failed'; status: number | null; error: string; retryAfterMs?: number }
  | { kind: 'gone'; status: 410 }

export interface AttemptInput {
  url: string
  message: OutboundMessage
  secrets: string[]
  nowMs: number
  fetch?: typeof fetch
  timeoutMs?: number
}

/** POSTs the message once, signed for this attempt's time. */
export async function attemptDelivery(input: AttemptInput): Promise<AttemptOutcome> {
  const headers = await signOutbound(input.message, input.secrets, input.nowMs)
  let response: Response
  try {
    response = await (input.fetch ?? fetch)(input.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'udesk-bridge' },
      body: input.message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs ?? ATTEMPT_TIMEOUT_MS),
    })
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    return { kind: 'failed', status: null, error: timedOut ? 'timeout' : 'network_error' }
  }
  await response.body?.cancel()
  const { status } = response
  if (status >= 200 && status < 300) return { kind: 'delivered', status }
  if (status === 410) return { kind: 'gone', status }
  const retryAfterMs = retryAfter(response.headers.get('retry-after'), input.nowMs)
  return {
    kind: 'failed',
    status,
    error: `http_${status}`,
    ...(retryAfterMs ? { retryAfterMs } : {}),
  }
}

/**
 * The wait before the next attempt after `failures` failed ones (1 after the first), the
 * receiver's `Retry-After` when longer (capped at the longest step); undefined: give up.
 */
export function retryDelayMs(failures: number, retryAfterMs?: number): number | undefined {
  const step = RETRY_DELAYS_MS[failures - 1]
  if (step === undefined) return undefined
  return Math.max(step, Math.min(retryAfterMs ?? 0, MAX_RETRY_DELAY_MS))
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110, 10.2.3), in ms from `nowMs`. */
function retryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const at = Date.parse(value)
  return Number.isFinite(at) && at > nowMs ? at - nowMs : undefined
}
