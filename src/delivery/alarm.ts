import { backoffDelayMs } from './retry-policy'
import type { InboxSummary } from './inbox-table'

/** First backoff after an alarm that failed (dead-letter send, drain); doubles up to the cap. */
export const ALARM_RETRY_BASE_MS = 5_000
export const ALARM_RETRY_CAP_MS = 10 * 60_000

export interface AlarmInput {
  /** The events the object owns (their queue messages were acked). */
  owned: InboxSummary[]
  hasTicket: boolean
  /** The thread waits on a create of unknown outcome: its events keep their backoffs. */
  awaitingCreate: boolean
  /** When kept records leave the redelivery horizon and the alarm should prune them. */
  pruneAt?: number
  pendingWaitMs: number
  /** Alarms in a row that failed; 0 after one that went through. */
  failures: number
  now: number
  random: number
}

/**
 * When an owned event is due: a given-up one at once (it still has to be dead-lettered); with
 * a ticket, or while a create's outcome is being settled, when its backoff ends; otherwise a
 * reply or resolve when its wait for an opener ends.
 */
export function rowDueAt(
  row: InboxSummary,
  input: Pick<AlarmInput, 'hasTicket' | 'awaitingCreate' | 'pendingWaitMs' | 'now'>,
): number {
  if (row.failed) return input.now
  if (input.hasTicket || input.awaitingCreate || row.opener) return row.nextAt
  return row.addedAt + input.pendingWaitMs
}

/**
 * When the thread's alarm should ring next, or undefined when it owns nothing and keeps nothing
 * to prune. After failed alarms it rings no sooner than a backoff, so a dead-letter queue that
 * keeps refusing is not hammered, yet nothing is stranded.
 */
export function nextAlarmAt(input: AlarmInput): number | undefined {
  const { owned, failures, now, random } = input
  const due = owned.map((row) => rowDueAt(row, input))
  if (input.pruneAt !== undefined) due.push(input.pruneAt)
  if (due.length === 0) return undefined
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
