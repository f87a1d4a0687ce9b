import { DurableObject } from 'cloudflare:workers'
import { SerialQueue } from '../delivery/serial'
import { UdeskError } from '../udesk/errors'
import { loadTwoWayConfig } from '../two-way-config'
import { budgetedReads } from './ticket-number'
import {
  busied,
  diffListing,
  EMPTY_SWEEP_MEMORY,
  unringTickets,
  IDLE_SWEEP_PACE,
  nextSweepAt,
  rungSweepAt,
  sweptGlance,
  type SweepListing,
  type SweepMemory,
  type SweepPace,
} from './sweep-memory'
import { readSweepListing, ringWatches } from './sweep-listing'
import { sweepFilterId } from './watch-refs'
import type { TicketGlance } from './watch-state'

const MEMORY_KEY = 'memory'
const PACE_KEY = 'pace'
const FAILURE_KEY = 'failure'

/**
 * One read for many watches: the tickets of an admin-made Udesk filter (`UDESK_WATCH_FILTER_ID`,
 * e.g. all unsolved tickets) in one `GET /tickets/export` call of up to 1000, within the spare
 * budget like every poll. Each watched ticket whose status or `agent_replied_at` moved is rung
 * (`ticket_changed`), and a watch's due poll takes its ticket's glance from here instead of a
 * `GET /tickets/detail` (`glance`), so 200 watched threads cost a few calls a minute, not one
 * per thread. It sweeps while threads are busy (`want`, `ring`) and goes idle after.
 */
export class WatchSweep extends DurableObject<Env> {
  private readonly serial = new SerialQueue()

  /** A thread got busy (its watch started, the customer wrote): sweep at the hot pace. */
  want(): Promise<void> {
    return this.serial.run(async () => {
      const pace = busied(this.pace(), Date.now(), loadTwoWayConfig(this.env).timings)
      this.ctx.storage.kv.put(PACE_KEY, pace)
      await this.wakeBy(nextSweepAt(pace, Date.now(), loadTwoWayConfig(this.env).timings))
    })
  }

  /** The doorbell rang for a watched ticket: sweep soon (debounced, see `rungSweepAt`). */
  ring(): Promise<void> {
    return this.serial.run(async () => {
      const { timings } = loadTwoWayConfig(this.env)
      const pace = busied(this.pace(), Date.now(), timings)
      this.ctx.storage.kv.put(PACE_KEY, pace)
      const failedAt = this.ctx.storage.kv.get<{ at: number }>(FAILURE_KEY)?.at
      await this.wakeBy(rungSweepAt(pace, Date.now(), timings, failedAt))
    })
  }

  /** The ticket's glance from a listing at most `maxAgeMs` old, else undefined (see above). */
  glance(ticketId: number, maxAgeMs: number): TicketGlance | undefined {
    return sweptGlance(this.memory(), ticketId, Date.now(), maxAgeMs)
  }

  /** For the console and the doctor: the last listing and what the last attempt failed on. */
  view() {
    const memory = this.memory()
    const failure = this.ctx.storage.kv.get<{ at: number; error: string }>(FAILURE_KEY)
    const tickets = Object.keys(memory.glances).length
    return { at: memory.at, complete: memory.complete, tickets, pace: this.pace(), failure }
  }

  override alarm(): Promise<void> {
    return this.serial.run(async () => {
      const filterId = sweepFilterId(this.env)
      if (filterId === undefined) return
      const { timings } = loadTwoWayConfig(this.env)
      const started = Date.now()
      let pace: SweepPace = { ...this.pace(), lastSweepAt: started }
      const listing = await this.listing(filterId, started)
      if ('retryAt' in listing) {
        this.ctx.storage.kv.put(PACE_KEY, pace)
        // Gone idle meanwhile: no retry (each watch reads its own ticket until someone wants it).
        if (nextSweepAt(pace, Date.now(), timings) === null) return
        return this.ctx.storage.setAlarm(listing.retryAt)
      }
      const before = this.memory()
      const diff = diffListing(before, listing, Date.now())
      // Stored first: a rung watch asks for its glance at once.
      this.ctx.storage.kv.put(MEMORY_KEY, diff.memory)
      const { rung, failed } = await ringWatches(this.env, [...diff.changed, ...diff.left])
      if (failed.length > 0) {
        this.ctx.storage.kv.put(MEMORY_KEY, unringTickets(diff.memory, before, failed))
      }
      // An agent at work on a watched ticket keeps the sweep hot, as a customer message does.
      if (rung > 0) pace = busied(pace, Date.now(), timings)
      this.ctx.storage.kv.put(PACE_KEY, pace)
      const next = nextSweepAt(pace, Date.now(), timings)
      if (next !== null) await this.ctx.storage.setAlarm(next)
    })
  }

  /**
   * The filter's tickets, or when to try again: a failure that may pass (the budget's
   * deferral, a timeout, a 5xx) at its `Retry-After` or one sweep interval on; any other (a
   * filter id Udesk does not know) one warm interval on, noted for the doctor.
   */
  private async listing(
    filterId: number,
    since: number,
  ): Promise<SweepListing | { retryAt: number }> {
    try {
      const listing = await readSweepListing(budgetedReads(this.env, since), filterId)
      this.ctx.storage.kv.delete(FAILURE_KEY)
      return listing
    } catch (error) {
      if (!(error instanceof UdeskError)) throw error
      const now = Date.now()
      const { timings } = loadTwoWayConfig(this.env)
      if (error.retryable) return { retryAt: now + (error.retryAfterMs ?? timings.sweepEveryMs) }
      this.ctx.storage.kv.put(FAILURE_KEY, { at: now, error: error.message.slice(0, 300) })
      console.error(JSON.stringify({ msg: 'watch sweep failed', filterId, error: error.message }))
      return { retryAt: now + timings.warmEveryMs }
    }
  }

  private memory(): SweepMemory {
    return this.ctx.storage.kv.get<SweepMemory>(MEMORY_KEY) ?? EMPTY_SWEEP_MEMORY
  }

  private pace(): SweepPace {
    return this.ctx.storage.kv.get<SweepPace>(PACE_KEY) ?? IDLE_SWEEP_PACE
  }

  /** Sets the alarm to `at` unless one is already set sooner; null leaves it as it is. */
  private async wakeBy(at: number | null): Promise<void> {
    if (at === null) return
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at) await this.ctx.storage.setAlarm(at)
  }
}
