import type { ScrollBatch } from '../udesk/paginate'
import type { ListedTicket } from '../udesk/schemas'
import type { SweepListing } from './sweep-memory'
import { threadWatch, watchIndexKey } from './watch-refs'

/** Export batches one sweep reads at most (Udesk gives up to 1000 tickets a batch). */
export const MAX_SWEEP_BATCHES = 2
/**
 * Watches one sweep looks up and rings at most: each is a KV read and maybe a Durable Object
 * call, and an invocation has a bounded number of those. The rest are rung by the next sweep.
 */
export const MAX_RINGS_PER_SWEEP = 100
const RING_CONCURRENCY = 10

/** The one Udesk read a sweep needs (`GET /tickets/export`, see `filterCalls`). */
export interface SweepReads {
  exportBatch(filterId: number, scrollId: string | undefined): Promise<ScrollBatch<ListedTicket>>
}

/**
 * The filter's tickets through the scroll export: one call when Udesk's `total` fits in the
 * first batch, at most `MAX_SWEEP_BATCHES`. Complete when every ticket of `total` was read (or
 * a batch came back empty); an incomplete listing still answers for the tickets it holds.
 */
export async function readSweepListing(reads: SweepReads, filterId: number): Promise<SweepListing> {
  const tickets: ListedTicket[] = []
  let scrollId: string | undefined
  for (let n = 0; n < MAX_SWEEP_BATCHES; n++) {
    const batch = await reads.exportBatch(filterId, scrollId)
    tickets.push(...batch.items)
    const done = typeof batch.total === 'number' && tickets.length >= batch.total
    if (done || batch.items.length === 0) return { tickets, complete: true }
    if (!batch.scrollId) break
    scrollId = batch.scrollId
  }
  return { tickets, complete: false }
}

/**
 * Rings the watch of each ticket the bridge watches (`ticket_changed`: poll now, without the
 * doorbell's debounce); a ticket with no watch is skipped. Answers how many were rung and the
 * tickets that could not be looked up or told (beyond the per-sweep bound too), so the sweep
 * forgets them and rings them again next time.
 */
export async function ringWatches(
  env: Env,
  ticketIds: number[],
): Promise<{ rung: number; failed: number[] }> {
  const failed = ticketIds.slice(MAX_RINGS_PER_SWEEP)
  let rung = 0
  const now = ticketIds.slice(0, MAX_RINGS_PER_SWEEP)
  for (let i = 0; i < now.length; i += RING_CONCURRENCY) {
    const chunk = now.slice(i, i + RING_CONCURRENCY)
    const results = await Promise.allSettled(chunk.map((id) => ringWatch(env, id)))
    results.forEach((result, n) => {
      if (result.status === 'rejected') failed.push(chunk[n]!)
      else if (result.value) rung += 1
    })
  }
  return { rung, failed }
}

async function ringWatch(env: Env, ticketId: number): Promise<boolean> {
  const ref = await env.BRIDGE_KV.get<{ source: string; thread: string }>(
    watchIndexKey(ticketId),
    'json',
  )
  if (!ref) return false
  await threadWatch(env, ref).note([{ type: 'ticket_changed' }])
  return true
}
