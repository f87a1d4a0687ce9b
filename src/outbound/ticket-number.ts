import { loadConfig } from '../config'
import { rateLimiterFor } from '../delivery/rate-limiter'
import { createUdeskClient } from '../udesk/client'
import { pollFetch } from './poll-fetch'
import { sweepFilterId, watchSweep } from './watch-refs'
import type { WatchRecord } from './watch-store'
import type { WatchReads } from './watch-runner'

/**
 * Udesk reads within the account budget's spare tokens (writes first, see `pollFetch`), in the
 * line of polls at `since` (when the poll fell due; now by default).
 */
export function budgetedReads(env: Env, since = Date.now()) {
  const config = loadConfig(env)
  return createUdeskClient({
    baseUrl: config.UDESK_BASE_URL,
    credentials: { email: config.UDESK_EMAIL, token: config.UDESK_API_TOKEN },
    fetch: pollFetch(rateLimiterFor(env, config), undefined, since),
    timeoutMs: config.UDESK_TIMEOUT_MS,
  })
}

/**
 * A watch's reads: `budgetedReads`, with the ticket's glance taken from the sweep's listing
 * when one is set up and fresh (`WatchReads.sweptGlance`). A sweep that cannot be asked is no
 * glance: the poll reads the detail itself. `since`: when the poll fell due (its place in line).
 */
export function watchReads(env: Env, since?: number): WatchReads {
  const reads = budgetedReads(env, since)
  if (sweepFilterId(env) === undefined) return reads
  const sweep = watchSweep(env)
  const sweptGlance = (ticketId: number, maxAgeMs: number) =>
    sweep.glance(ticketId, maxAgeMs).catch((err: unknown) => {
      console.error(JSON.stringify({ msg: 'watch sweep not asked', error: String(err) }))
      return undefined
    })
  return {
    getTicket: (ref) => reads.getTicket(ref),
    listReplies: (ticketId, query) => reads.listReplies(ticketId, query),
    sweptGlance,
  }
}

/**
 * The record with the ticket's number in the acknowledgement at the head of its queue (the
 * watch queues it with an empty number); the same record when there is nothing to fill in.
 */
export async function withTicketNumber(
  record: WatchRecord,
  reads: WatchReads,
): Promise<WatchRecord> {
  const [head, ...rest] = record.outbox.items
  if (head?.action.type !== 'send_created' || head.action.ticketNumber !== '') return record
  const ticketNumber = await ticketNumberOf(reads, head.action.ticketId)
  const item = { ...head, action: { ...head.action, ticketNumber } }
  return { ...record, outbox: { ...record.outbox, items: [item, ...rest] } }
}

/**
 * The number agents see for a ticket (Udesk's `field_num`, `#848`), without the `#`, read
 * once for the acknowledgement; the ticket id when it cannot be read now, so the
 * acknowledgement never waits on a Udesk outage.
 */
export async function ticketNumberOf(reads: WatchReads, ticketId: number): Promise<string> {
  try {
    const ticket = await reads.getTicket({ id: ticketId })
    const num = (ticket as { field_num?: unknown }).field_num
    if (typeof num === 'string' && /^#?\w+$/.test(num.trim())) return num.trim().replace(/^#/, '')
  } catch (err) {
    console.error(JSON.stringify({ msg: 'ticket number unread', ticketId, error: String(err) }))
  }
  return String(ticketId)
}
