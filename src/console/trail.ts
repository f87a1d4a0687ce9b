import type { DeliveryItem, DeliveryOutcome } from '../delivery/outcomes'
import { deliverySteps, type TrailEntry, type TrailStep } from './trail-steps'
import { indexDelivery, indexTicket, type ThreadName } from './thread-index'

/** Steps kept per thread; the oldest go first. */
export const MAX_TRAIL_ENTRIES = 400
/** Steps older than this are pruned (30 days, past any sender's retries and our replays). */
export const TRAIL_RETENTION_MS = 30 * 24 * 3600 * 1000

/** Events with their steps in order, newest event last. */
export interface TrailEvent {
  eventId: string
  steps: TrailEntry[]
}

/**
 * The thread's trail in its Durable Object's SQLite, bounded by count and age. Also keeps the
 * KV index that finds the thread by delivery id or ticket (`thread-index.ts`); a failed index
 * write is logged, never a delivery failure.
 */
export class EventTrail {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly kv: KVNamespace,
  ) {
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS trail (seq INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL, step TEXT NOT NULL, at INTEGER NOT NULL, detail TEXT NOT NULL)`)
  }

  /** After a delivery call: its events' steps, and the index entries for new ones. */
  delivered(items: DeliveryItem[], outcomes: DeliveryOutcome[], applied: Iterable<string>) {
    return this.observe(() => this.deliveredNow(items, outcomes, applied))
  }

  private async deliveredNow(
    items: DeliveryItem[],
    outcomes: DeliveryOutcome[],
    applied: Iterable<string>,
  ) {
    const fresh = items.filter((item) => this.lastStep(item.event.id) === undefined)
    const entries = deliverySteps(items, outcomes, (id) => this.lastStep(id), Date.now())
    const answered = new Set(items.map((i) => i.event.id))
    const others = [...applied].filter((id) => !answered.has(id))
    const ticketId = outcomes.find((o) => o.ticketId !== undefined)?.ticketId
    this.append([...entries, ...others.map((id) => appliedEntry(id, ticketId))])
    const first = items[0]?.event
    if (first) this.storage.kv.put(THREAD_KEY, { source: first.source, thread: first.thread })
    await this.index(fresh, ticketId)
  }

  /** After the thread's alarm drained its inbox: what it applied, and what it now waits for. */
  drained(applied: Iterable<string>, ticketId?: number, blocked?: BlockedStep) {
    return this.observe(() => this.drainedNow([...applied], ticketId, blocked))
  }

  private async drainedNow(applied: string[], ticketId?: number, blocked?: BlockedStep) {
    const entries = applied.map((id) => appliedEntry(id, ticketId))
    if (blocked) {
      const { eventId, errorCode, error } = blocked
      entries.push({ eventId, step: 'retried', at: Date.now(), detail: { errorCode, error } })
    }
    this.append(entries)
    await this.index([], ticketId)
  }

  deadLettered(eventId: string, detail: TrailEntry['detail']): Promise<void> {
    return this.observe(() =>
      this.append([{ eventId, step: 'dead_lettered', at: Date.now(), detail }]),
    )
  }

  /** The trail only watches: its own failure is logged and never fails a delivery. */
  private async observe(work: () => void | Promise<void>): Promise<void> {
    try {
      await work()
    } catch (err) {
      console.error(JSON.stringify({ msg: 'trail not written', error: String(err) }))
    }
  }

  /** Every event the trail still holds, its steps in the order they happened. */
  events(): TrailEvent[] {
    const rows = this.storage.sql
      .exec<{ event_id: string; step: string; at: number; detail: string }>(
        `SELECT event_id, step, at, detail FROM trail ORDER BY seq`,
      )
      .toArray()
    const byEvent = new Map<string, TrailEntry[]>()
    for (const r of rows) {
      const entry = { eventId: r.event_id, step: r.step as TrailStep, at: r.at }
      const steps = byEvent.get(r.event_id) ?? []
      steps.push({ ...entry, detail: JSON.parse(r.detail) as TrailEntry['detail'] })
      byEvent.set(r.event_id, steps)
    }
    return [...byEvent].map(([eventId, steps]) => ({ eventId, steps }))
  }

  private lastStep(eventId: string): TrailStep | undefined {
    const rows = this.storage.sql
      .exec<{ step: string }>(
        `SELECT step FROM trail WHERE event_id = ? ORDER BY seq DESC LIMIT 1`,
        eventId,
      )
      .toArray()
    return rows[0]?.step as TrailStep | undefined
  }

  private append(entries: TrailEntry[]): void {
    if (entries.length === 0) return
    const sql = this.storage.sql
    for (const e of entries) {
      sql.exec(
        `INSERT INTO trail (event_id, step, at, detail) VALUES (?, ?, ?, ?)`,
        e.eventId,
        e.step,
        e.at,
        JSON.stringify(e.detail),
      )
    }
    sql.exec(
      `DELETE FROM trail WHERE at < ? OR seq <= (SELECT MAX(seq) FROM trail) - ?`,
      Date.now() - TRAIL_RETENTION_MS,
      MAX_TRAIL_ENTRIES,
    )
  }

  private async index(fresh: DeliveryItem[], ticketId: number | undefined): Promise<void> {
    const thread = this.storage.kv.get<ThreadName>(THREAD_KEY)
    try {
      for (const item of fresh) await indexDelivery(this.kv, item.event, item.deliveryId)
      if (ticketId === undefined || !thread) return
      if (this.storage.kv.get<number>(INDEXED_TICKET_KEY) === ticketId) return
      await indexTicket(this.kv, ticketId, thread)
      this.storage.kv.put(INDEXED_TICKET_KEY, ticketId)
    } catch (err) {
      console.error(JSON.stringify({ msg: 'thread index not written', error: String(err) }))
    }
  }
}

export interface BlockedStep {
  eventId: string
  errorCode: string
  error: string
}

const INDEXED_TICKET_KEY = 'trail_indexed_ticket'
const THREAD_KEY = 'trail_thread'

function appliedEntry(eventId: string, ticketId: number | undefined): TrailEntry {
  return { eventId, step: 'applied', at: Date.now(), detail: { ticketId } }
}

export type { TrailEntry, TrailStep } from './trail-steps'
