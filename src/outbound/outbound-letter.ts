import type { OutboxItem } from './outbox'

/** Where a thread's answers go: its Slack thread, or its webhook source's reply URL. */
export type DestinationKind = 'slack' | 'webhook'

/**
 * An answer to a customer the bridge gave up on (Slack's `not_in_channel`, a reply URL that
 * kept failing), kept in the ledger's dead letters beside inbound ones. Replaying it hands
 * the item back to its thread's watch, which resumes its queue and polling with it first.
 */
export interface OutboundLetter {
  /** `outbound_permanent`, `outbound_rejected` or `outbound_max_attempts`. */
  reason: string
  outbound: {
    source: string
    thread: string
    destination: DestinationKind
    item: OutboxItem
  }
  attempts: number
  /** The destination and its error, e.g. `slack: not_in_channel`, `webhook: http_500`. */
  lastError?: string
  failedAt: number
}

export function isOutboundLetter(letter: object): letter is OutboundLetter {
  return 'outbound' in letter
}

export function outboundLetter(
  ref: { source: string; thread: string; destination: DestinationKind },
  item: OutboxItem,
  reason: 'permanent' | 'rejected' | 'max_attempts',
  error: string,
  now: number,
): OutboundLetter {
  const { source, thread, destination } = ref
  return {
    reason: `outbound_${reason}`,
    outbound: { source, thread, destination, item },
    attempts: item.failures + 1,
    lastError: `${destination}: ${error}`,
    failedAt: now,
  }
}
