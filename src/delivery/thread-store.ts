import type { TicketEvent } from '../ticket-event'
import type { CustomerLookup } from '../udesk/inputs'

/** What one thread knows about its Udesk ticket. */
export interface ThreadState {
  ticketId?: number
  /** Udesk wants the subject on every update; kept from the event that opened the ticket. */
  subject?: string
  /** How the ticket's customer was found; replies are customer replies when it is set. */
  customer?: CustomerLookup
  status?: 'open' | 'resolved'
  /** The last alert state applied (alert threads only). */
  alert?: { status: 'firing' | 'resolved'; keys: string[]; receivedAt: number }
}

/** An event the thread has seen and not yet applied. */
export interface InboxRow {
  event: TicketEvent
  deliveryId: string
  /** Set once the queue message was acked: the object then retries and dead-letters it. */
  owned: boolean
  /** Failed Udesk attempts of this event (waiting for the rate limit does not count). */
  attempts: number
  /** When its backoff ends; 0 when it never failed. */
  nextAt: number
  addedAt: number
  lastError?: string
  /** Its backoff is our rate limiter's wait, not a failure's: a backlog, however long. */
  rateLimited?: boolean
  /** How often our rate limiter deferred it: the longer the backlog, the wider its returns. */
  deferrals?: number
  /** Given up on (refused by Udesk, or out of attempts): waiting to be dead-lettered. */
  failed?: { reason: string; errorCode: string }
}

export type AppliedOutcome = 'applied' | 'superseded'

const STATE_KEY = 'state'

/**
 * The coordinator's transactional storage (SQLite in the Durable Object): the thread state,
 * applied event ids, the inbox of events waiting their turn, and per-event step records.
 * A step row with status `started` is the intent written before a Udesk write; it turns into
 * `done` with the result, or is deleted when Udesk certainly did not apply the write.
 */
export class ThreadStore {
  constructor(private readonly storage: DurableObjectStorage) {
    const sql = storage.sql
    sql.exec(`CREATE TABLE IF NOT EXISTS applied (event_id TEXT PRIMARY KEY,
      outcome TEXT NOT NULL, seen INTEGER NOT NULL, at INTEGER NOT NULL)`)
    sql.exec(`CREATE TABLE IF NOT EXISTS inbox (event_id TEXT PRIMARY KEY,
      received_at INTEGER NOT NULL, row TEXT NOT NULL)`)
    sql.exec(`CREATE TABLE IF NOT EXISTS steps (event_id TEXT NOT NULL, step TEXT NOT NULL,
      status TEXT NOT NULL, result TEXT, at INTEGER NOT NULL, PRIMARY KEY (event_id, step))`)
  }

  get state(): ThreadState {
    return this.storage.kv.get<ThreadState>(STATE_KEY) ?? {}
  }

  setState(patch: Partial<ThreadState>): ThreadState {
    const next = { ...this.state, ...patch }
    this.storage.kv.put(STATE_KEY, next)
    return next
  }

  applied(eventId: string): { outcome: AppliedOutcome; seen: boolean } | undefined {
    const rows = this.storage.sql
      .exec<{ outcome: string; seen: number }>(
        `SELECT outcome, seen FROM applied WHERE event_id = ?`,
        eventId,
      )
      .toArray()
    const row = rows[0]
    return row && { outcome: row.outcome as AppliedOutcome, seen: row.seen === 1 }
  }

  markSeen(eventId: string): void {
    this.storage.sql.exec(`UPDATE applied SET seen = 1 WHERE event_id = ?`, eventId)
  }

  /** Records the event as applied and takes it out of the inbox, in one transaction. */
  finish(eventId: string, outcome: AppliedOutcome, seen: boolean): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec(
        `INSERT OR REPLACE INTO applied (event_id, outcome, seen, at) VALUES (?, ?, ?, ?)`,
        eventId,
        outcome,
        seen ? 1 : 0,
        Date.now(),
      )
      this.storage.sql.exec(`DELETE FROM inbox WHERE event_id = ?`, eventId)
    })
  }

  inbox(): InboxRow[] {
    return this.storage.sql
      .exec<{ row: string }>(`SELECT row FROM inbox ORDER BY received_at, event_id`)
      .toArray()
      .map((r) => JSON.parse(r.row) as InboxRow)
  }

  inboxRow(eventId: string): InboxRow | undefined {
    const rows = this.storage.sql
      .exec<{ row: string }>(`SELECT row FROM inbox WHERE event_id = ?`, eventId)
      .toArray()
    return rows[0] && (JSON.parse(rows[0].row) as InboxRow)
  }

  putInbox(row: InboxRow): void {
    this.storage.sql.exec(
      `INSERT OR REPLACE INTO inbox (event_id, received_at, row) VALUES (?, ?, ?)`,
      row.event.id,
      row.event.receivedAt,
      JSON.stringify(row),
    )
  }

  removeInbox(eventId: string): void {
    this.storage.sql.exec(`DELETE FROM inbox WHERE event_id = ?`, eventId)
  }

  step(eventId: string, step: string): { status: 'started' | 'done'; result: unknown } | undefined {
    const rows = this.storage.sql
      .exec<{ status: string; result: string | null }>(
        `SELECT status, result FROM steps WHERE event_id = ? AND step = ?`,
        eventId,
        step,
      )
      .toArray()
    const row = rows[0]
    if (!row) return undefined
    const result: unknown = row.result === null ? undefined : JSON.parse(row.result)
    return { status: row.status as 'started' | 'done', result }
  }

  hasSteps(eventId: string): boolean {
    return (
      this.storage.sql.exec(`SELECT 1 FROM steps WHERE event_id = ?`, eventId).toArray().length > 0
    )
  }

  startStep(eventId: string, step: string): void {
    this.storage.sql.exec(
      `INSERT OR REPLACE INTO steps (event_id, step, status, result, at) VALUES (?, ?, 'started', NULL, ?)`,
      eventId,
      step,
      Date.now(),
    )
  }

  /** The step's result and what it changed in the thread state, stored together. */
  finishStep(eventId: string, step: string, result: unknown, patch?: Partial<ThreadState>): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec(
        `INSERT OR REPLACE INTO steps (event_id, step, status, result, at) VALUES (?, ?, 'done', ?, ?)`,
        eventId,
        step,
        JSON.stringify(result ?? null),
        Date.now(),
      )
      if (patch) this.setState(patch)
    })
  }

  dropStep(eventId: string, step: string): void {
    this.storage.sql.exec(`DELETE FROM steps WHERE event_id = ? AND step = ?`, eventId, step)
  }
}
