import { backoffDelayMs } from './retry-policy'
import type { InboxRow } from './thread-store'

/** First backoff after an alarm that failed (dead-letter send, drain); doubles up to the cap. */
export const ALARM_RETRY_BASE_MS = 5_000
export const ALARM_RETRY_CAP_MS = 10 * 60_000

export interface AlarmInput {
  /** The events the object owns (their queue messages were acked). */
  owned: InboxRow[]
  hasTicket: boolean
  pendingWaitMs: number
  /** Alarms in a row that failed; 0 after one that went through. */
  failures: number
  now: number
  random: number
}

/**
 * When the thread's alarm should ring next, or undefined when it owns nothing. A given-up event
 * is due at once (it still has to be dead-lettered); without a ticket an event is due when its
 * wait ends, with one when its backoff ends. After failed alarms it rings no sooner than a
 * backoff, so a dead-letter queue that keeps refusing is not hammered, yet nothing is stranded.
 */
export function nextAlarmAt(input: AlarmInput): number | undefined {
  const { owned, hasTicket, pendingWaitMs, failures, now, random } = input
  if (owned.length === 0) return undefined
  const due = owned.map((row) => {
    if (row.failed) return now
    return hasTicket ? row.nextAt : row.addedAt + pendingWaitMs
  })
  const at = Math.max(now, Math.min(...due))
  if (failures === 0) return at
  const backoff = backoffDelayMs({
    attempt: failures,
    random,
    baseMs: ALARM_RETRY_BASE_MS,
    capMs: ALARM_RETRY_CAP_MS,
  })
  return Math.max(at, now + Math.max(1_000, backoff))
}
