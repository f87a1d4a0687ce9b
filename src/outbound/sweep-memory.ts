import type { ListedTicket } from '../udesk/schemas'
import { ticketStatusOf } from './watch-runner'
import type { TicketGlance, WatchTimings } from './watch-state'

/**
 * What the sweep remembers of its last listing of the watch filter: when it was read, whether
 * it held every ticket the filter selects, and each listed ticket's glance (status and
 * `agent_replied_at`), by ticket id.
 */
export interface SweepMemory {
  at: number
  complete: boolean
  glances: Record<string, TicketGlance>
}

export const EMPTY_SWEEP_MEMORY: SweepMemory = { at: 0, complete: false, glances: {} }

/** One read of the filter: its tickets, and whether they are all it selects. */
export interface SweepListing {
  tickets: ListedTicket[]
  complete: boolean
}

/** What a listing changed since the last one, and the memory to keep (before any poke). */
export interface SweepDiff {
  /**
   * Listed tickets whose status or `agent_replied_at` moved since the last listing. A ticket
   * new to the sweep is not among them: its watch's next poll takes its glance from the memory
   * and compares it with what it saw, and every later change is rung.
   */
  changed: number[]
  /**
   * Tickets of the last complete listing missing from this complete one: resolved or closed
   * out of an unsolved-tickets filter, or deleted. Their watches read the detail themselves.
   */
  left: number[]
  memory: SweepMemory
}

/**
 * Compares a listing with the last one. A ticket with a status the bridge does not know is
 * left out (as if unlisted: its watch reads the detail itself). Pure: `now` stamps the memory.
 */
export function diffListing(before: SweepMemory, listing: SweepListing, now: number): SweepDiff {
  const glances: Record<string, TicketGlance> = {}
  const changed: number[] = []
  for (const ticket of listing.tickets) {
    const status = ticketStatusOf(ticket)
    if (!status) continue
    const glance = { status, agentRepliedAt: ticket.agent_replied_at ?? null }
    const key = String(ticket.id)
    glances[key] = glance
    const was = Object.hasOwn(before.glances, key) ? before.glances[key] : undefined
    if (was && (was.status !== glance.status || was.agentRepliedAt !== glance.agentRepliedAt)) {
      changed.push(ticket.id)
    }
  }
  const bothComplete = before.complete && listing.complete
  const left = bothComplete
    ? Object.keys(before.glances)
        .filter((key) => !Object.hasOwn(glances, key))
        .map(Number)
    : []
  return { changed, left, memory: { at: now, complete: listing.complete, glances } }
}

/**
 * The memory as if the listing had not seen these tickets change, for the watches that could
 * not be told: the next listing finds the same change and rings them again.
 */
export function unringTickets(
  memory: SweepMemory,
  before: SweepMemory,
  ticketIds: number[],
): SweepMemory {
  if (ticketIds.length === 0) return memory
  const glances = { ...memory.glances }
  for (const id of ticketIds) {
    const key = String(id)
    if (Object.hasOwn(before.glances, key)) glances[key] = before.glances[key]!
  }
  return { ...memory, glances }
}

/**
 * The glance the sweep can answer for a ticket in place of `GET /tickets/detail`: when the
 * last listing holds it and is at most `maxAgeMs` old (as fresh as the watch's own poll would
 * be). Any change after that listing is rung by a later sweep.
 */
export function sweptGlance(
  memory: SweepMemory,
  ticketId: number,
  now: number,
  maxAgeMs: number,
): TicketGlance | undefined {
  if (now - memory.at > maxAgeMs) return undefined
  const key = String(ticketId)
  return Object.hasOwn(memory.glances, key) ? memory.glances[key] : undefined
}

/**
 * How long the sweep keeps going: at `sweepEveryMs` while a thread was busy within `hotForMs`
 * (a watch started, a customer wrote, the doorbell rang, an agent answered), at the warm
 * interval until `warmForMs`, then not at all (each watch polls its ticket itself again).
 */
export interface SweepPace {
  hotUntil: number
  warmUntil: number
  /** When the last listing was asked for (read or failed); 0 before the first. */
  lastSweepAt: number
}

export const IDLE_SWEEP_PACE: SweepPace = { hotUntil: 0, warmUntil: 0, lastSweepAt: 0 }

/** The pace after activity at `now`: hot and warm windows measured from it. */
export function busied(pace: SweepPace, now: number, timings: WatchTimings): SweepPace {
  return {
    ...pace,
    hotUntil: Math.max(pace.hotUntil, now + timings.hotForMs),
    warmUntil: Math.max(pace.warmUntil, now + timings.warmForMs),
  }
}

/** When the next regular sweep is due (never before `now`); null once the sweep went idle. */
export function nextSweepAt(pace: SweepPace, now: number, timings: WatchTimings): number | null {
  if (now < pace.hotUntil) return Math.max(now, pace.lastSweepAt + timings.sweepEveryMs)
  if (now < pace.warmUntil) return Math.max(now, pace.lastSweepAt + timings.warmEveryMs)
  return null
}

/**
 * A doorbell's sweep: now, but never closer than half a sweep interval to the last one, so a
 * burst of rings shares one listing; and not before one warm interval after a failure that
 * will not pass by itself (`failedAt`: a filter id Udesk does not know), which a busy doorbell
 * would otherwise have read again every few seconds.
 */
export function rungSweepAt(
  pace: SweepPace,
  now: number,
  timings: WatchTimings,
  failedAt?: number,
): number {
  const afterFailure = failedAt === undefined ? 0 : failedAt + timings.warmEveryMs
  return Math.max(now, pace.lastSweepAt + timings.sweepEveryMs / 2, afterFailure)
}
