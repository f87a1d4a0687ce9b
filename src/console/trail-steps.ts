import type { DeliveryItem, DeliveryOutcome } from '../delivery/outcomes'

/**
 * What happened to one event, step by step: `received` (the webhook accepted it), `queued`
 * (the queue handed it to its thread, attempt n), then `applied`, `duplicate`, `pending`
 * (waiting for the thread's ticket), `retried` (with the reason), `dead_lettered`, and
 * `replayed` when an operator sends a dead letter back.
 */
export type TrailStep =
  | 'received'
  | 'queued'
  | 'applied'
  | 'duplicate'
  | 'pending'
  | 'retried'
  | 'dead_lettered'
  | 'replayed'

export interface TrailEntry {
  eventId: string
  step: TrailStep
  /** ms since the epoch */
  at: number
  /** Names and numbers only (type, delivery id, attempt, ticket, error code and text). */
  detail: Record<string, string | number | undefined>
}

/**
 * The steps one delivery call adds, decided from what the call returned. `lastStep` answers
 * what the trail already holds for an event: a first sight adds `received`, and an event that
 * comes back after it was dead-lettered was replayed.
 */
export function deliverySteps(
  items: DeliveryItem[],
  outcomes: DeliveryOutcome[],
  lastStep: (eventId: string) => TrailStep | undefined,
  now: number,
): TrailEntry[] {
  const entries: TrailEntry[] = []
  const seen = new Set<string>()
  for (const [i, item] of items.entries()) {
    const outcome = outcomes[i]
    const { event, deliveryId, attempt } = item
    // The same event twice in one batch: its first message is its `received`.
    const last = seen.has(event.id) ? 'queued' : lastStep(event.id)
    seen.add(event.id)
    const eventId = event.id
    if (last === undefined) {
      const detail = { type: event.type, deliveryId }
      entries.push({ eventId, step: 'received', at: event.receivedAt, detail })
    }
    if (last === 'dead_lettered') entries.push({ eventId, step: 'replayed', at: now, detail: {} })
    entries.push({ eventId, step: 'queued', at: now, detail: { attempt } })
    if (outcome) entries.push(outcomeStep(outcome, now))
  }
  return entries
}

function outcomeStep(outcome: DeliveryOutcome, now: number): TrailEntry {
  const { eventId, ticketId } = outcome
  switch (outcome.outcome) {
    case 'retry': {
      const { errorCode, error, delayMs } = outcome
      return { eventId, step: 'retried', at: now, detail: { errorCode, error, delayMs, ticketId } }
    }
    case 'failed': {
      const { reason, attempts, errorCode, error } = outcome
      const detail = { reason, attempts, errorCode, error, ticketId }
      return { eventId, step: 'dead_lettered', at: now, detail }
    }
    case 'superseded':
      return { eventId, step: 'applied', at: now, detail: { ticketId, note: 'superseded' } }
    default:
      return { eventId, step: outcome.outcome, at: now, detail: { ticketId } }
  }
}
