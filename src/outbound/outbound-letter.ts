import { ledger } from '../delivery/ledger'
import type { OutboxEffect, OutboxItem } from './outbox'

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

/**
 * Stores a given-up item in the ledger's dead letters, once: the letter's id is a digest of
 * the thread and the item, so the same item given up twice is one letter.
 */
export async function storeOutboundLetter(
  env: Env,
  ref: { source: string; thread: string; destination: DestinationKind },
  effect: Extract<OutboxEffect, { type: 'dead_letter' }>,
): Promise<void> {
  const letter = outboundLetter(ref, effect.item, effect.reason, effect.error, Date.now())
  const text = `${ref.source}\n${ref.thread}\n${effect.item.id}`
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  const hex = [...new Uint8Array(bytes).slice(0, 16)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
  await ledger(env).storeDeadLetter(`outbound-${hex}`, letter)
}
