import type { CustomerLookup } from '../udesk/inputs'
import { InboxTable, type InboxRow } from './inbox-table'
import {
  afterLookUp,
  withoutUncertain,
  withUncertain,
  type LookUpResult,
  type UncertainCreate,
} from './uncertain-create'

export type { InboxRow, InboxSummary } from './inbox-table'

/**
 * What one thread knows about its Udesk ticket. This is the state that survives pruning:
 * whatever later events of the thread need (the ticket, its status, alert state, doubts about a
 * create) lives here, or in a table of its own that `prune` leaves alone; applied-event ids and
 * step records are kept only for the redelivery horizon.
 */
export interface ThreadState {
  ticketId?: number
  /** Udesk wants the subject on every update; kept from the event that opened the ticket. */
  subject?: string
  /** How the ticket's customer was found; replies are customer replies when it is set. */
  customer?: CustomerLookup
  status?: 'open' | 'resolved'
  /** The last alert state applied (alert threads only). */
  alert?: { status: 'firing' | 'resolved'; keys: string[]; receivedAt: number }
  /** Creates of unknown outcome: no opener creates anything until each is resolved. */
  uncertainCreates?: UncertainCreate[]
  /** A form submission's thread: one ticket, no later events; its storage goes at the end. */
  oneShot?: boolean
}

export type AppliedOutcome = 'applied' | 'superseded'

const STATE_KEY = 'state'
const CREATE_STEP = 'create_ticket'

export interface PruneLimits {
  now: number
  /** Applied-event records younger than this are kept (a redelivery may still come). */
  horizonMs: number
  /** At most this many applied-event records are kept, the newest. */
  maxApplied: number
}

/**
 * The coordinator's transactional storage (SQLite in the Durable Object): the thread state,
 * applied event ids, the inbox of events waiting their turn, and per-event step records.
 * A step row with status `started` is the intent written before a Udesk write; it turns into
 * `done` with the result, or is deleted when Udesk certainly did not apply the write.
 */
export class ThreadStore {
  readonly rows: InboxTable

  constructor(private readonly storage: DurableObjectStorage) {
    const sql = storage.sql
    sql.exec(`CREATE TABLE IF NOT EXISTS applied (event_id TEXT PRIMARY KEY,
      outcome TEXT NOT NULL, seen INTEGER NOT NULL, at INTEGER NOT NULL)`)
    sql.exec(`CREATE INDEX IF NOT EXISTS applied_at ON applied (at)`)
    sql.exec(`CREATE TABLE IF NOT EXISTS steps (event_id TEXT NOT NULL, step TEXT NOT NULL,
      status TEXT NOT NULL, result TEXT, at INTEGER NOT NULL, PRIMARY KEY (event_id, step))`)
    this.rows = new InboxTable(sql)
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
    const row = this.storage.sql
      .exec<{ outcome: string; seen: number }>(
        `SELECT outcome, seen FROM applied WHERE event_id = ?`,
        eventId,
      )
      .toArray()[0]
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
      this.rows.remove(eventId)
    })
  }

  /** Every inbox row: for tests and small inboxes; a drain reads `rows` one at a time. */
  inbox(): InboxRow[] {
    return this.rows.all()
  }

  inboxRow(eventId: string): InboxRow | undefined {
    return this.rows.get(eventId)
  }

  putInbox(row: InboxRow): void {
    this.rows.put(row)
  }

  removeInbox(eventId: string): void {
    this.rows.remove(eventId)
  }

  step(eventId: string, step: string): { status: 'started' | 'done'; result: unknown } | undefined {
    const row = this.storage.sql
      .exec<{ status: string; result: string | null }>(
        `SELECT status, result FROM steps WHERE event_id = ? AND step = ?`,
        eventId,
        step,
      )
      .toArray()[0]
    if (!row) return undefined
    const result: unknown = row.result === null ? undefined : JSON.parse(row.result)
    return { status: row.status as 'started' | 'done', result }
  }

  /** Whether the event began any Udesk step (an alert event that did must finish it). */
  hasSteps(eventId: string): boolean {
    const found = this.storage.sql.exec(`SELECT 1 FROM steps WHERE event_id = ? LIMIT 1`, eventId)
    return found.toArray().length > 0
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

  /** The intent before `POST /tickets`: from here until it is known, a ticket may exist. */
  beginCreate(create: UncertainCreate): void {
    this.setState(withUncertain(this.state, create))
  }

  /** The create answered: its ticket is the thread's and its doubt is gone, in one write. */
  endCreate(ref: string, ticketId: number, patch: Partial<ThreadState>): void {
    const state = { ...patch, ticketId, ...withoutUncertain(this.state, ref) }
    this.finishStep(ref, CREATE_STEP, ticketId, state)
  }

  /** Udesk certainly did not apply the create (a refusal, a 429): nothing may exist. */
  dropCreate(ref: string): void {
    this.setState(withoutUncertain(this.state, ref))
  }

  /** A look-up's answer: adopt the ticket found (as made by its event), or forget the doubt. */
  settleLookUp(create: UncertainCreate, result: LookUpResult): void {
    const patch = afterLookUp(this.state, create, result)
    if ('found' in result) this.finishStep(create.ref, CREATE_STEP, result.found, patch)
    else this.setState(patch)
  }

  /**
   * Drops applied-event records past the horizon or beyond the newest `maxApplied` with their
   * step records, and step records past the horizon of events no longer waiting (a given-up
   * event's). The thread state and the inbox are never pruned.
   */
  prune(limits: PruneLimits): void {
    const sql = this.storage.sql
    const cutoff = limits.now - limits.horizonMs
    const stale = `SELECT event_id FROM applied WHERE at < ? OR event_id NOT IN
      (SELECT event_id FROM applied ORDER BY at DESC, event_id DESC LIMIT ?)`
    this.storage.transactionSync(() => {
      sql.exec(`DELETE FROM steps WHERE event_id IN (${stale})`, cutoff, limits.maxApplied)
      sql.exec(`DELETE FROM applied WHERE event_id IN (${stale})`, cutoff, limits.maxApplied)
      sql.exec(
        `DELETE FROM steps WHERE at < ? AND event_id NOT IN (SELECT event_id FROM inbox)`,
        cutoff,
      )
    })
  }

  /** When the oldest kept applied-event record leaves the horizon's start, if there is one. */
  oldestAppliedAt(): number | undefined {
    const row = this.storage.sql
      .exec<{ at: number | null }>(`SELECT MIN(at) AS at FROM applied`)
      .one()
    return row.at ?? undefined
  }

  /** Bytes the thread's storage takes on disk (SQLite pages, the state included). */
  size(): number {
    return this.storage.sql.databaseSize
  }
}
