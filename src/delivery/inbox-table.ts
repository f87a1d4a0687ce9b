import type { TicketEvent } from '../ticket-event'

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
  /** A replayed dead letter: whatever it may have written before is looked up first. */
  replay?: boolean
}

/** What scheduling needs of a row, read without its event (rows can be ~120 KB each). */
export interface InboxSummary {
  eventId: string
  owned: boolean
  failed: boolean
  opener: boolean
  nextAt: number
  addedAt: number
}

const OPENER = `json_extract(row, '$.event.type') IN ('open', 'alert')`
const NOT_FAILED = `json_extract(row, '$.failed') IS NULL`
const ORDER = `ORDER BY received_at, event_id`

/**
 * The inbox as a table read one row at a time: a drain never holds more than the row it works
 * on, so a thousand waiting events of ~120 KB each stay on disk, not in the object's 128 MB.
 * Filters run inside SQLite (`json_extract`) and return ids and numbers only.
 */
export class InboxTable {
  /** JSON characters of full rows parsed so far: what reading the inbox cost in memory. */
  charsRead = 0

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS inbox (event_id TEXT PRIMARY KEY,
      received_at INTEGER NOT NULL, row TEXT NOT NULL)`)
  }

  get(eventId: string): InboxRow | undefined {
    return this.one(`SELECT row FROM inbox WHERE event_id = ?`, eventId)
  }

  /** The next event to apply: the oldest not given up (an opener first without a ticket). */
  first(openersOnly: boolean): InboxRow | undefined {
    const where = openersOnly ? `${NOT_FAILED} AND ${OPENER}` : NOT_FAILED
    return this.one(`SELECT row FROM inbox WHERE ${where} ${ORDER} LIMIT 1`)
  }

  /** Alert events not given up, oldest first: ids and times only. */
  alertIds(): { eventId: string; owned: boolean }[] {
    return this.sql
      .exec<{ event_id: string; owned: number | null }>(
        `SELECT event_id, json_extract(row, '$.owned') AS owned FROM inbox
         WHERE ${NOT_FAILED} AND json_extract(row, '$.event.type') = 'alert' ${ORDER}`,
      )
      .toArray()
      .map((r) => ({ eventId: r.event_id, owned: r.owned === 1 }))
  }

  /** The rows the object owns, as summaries (no event bodies). */
  owned(): InboxSummary[] {
    return this.sql
      .exec<{ id: string; failed: number; opener: number; next_at: number; added_at: number }>(
        `SELECT event_id AS id, (json_extract(row, '$.failed') IS NOT NULL) AS failed,
           (${OPENER}) AS opener,
           json_extract(row, '$.nextAt') AS next_at, json_extract(row, '$.addedAt') AS added_at
         FROM inbox WHERE json_extract(row, '$.owned') = 1 ${ORDER}`,
      )
      .toArray()
      .map((r) => ({
        eventId: r.id,
        owned: true,
        failed: r.failed === 1,
        opener: r.opener === 1,
        nextAt: r.next_at,
        addedAt: r.added_at,
      }))
  }

  /** Owned rows due before `untilMs` wait until then (they stand behind `blockerId`). */
  postponeOwned(blockerId: string, untilMs: number): void {
    this.sql.exec(
      `UPDATE inbox SET row = json_set(row, '$.nextAt', ?)
       WHERE json_extract(row, '$.owned') = 1 AND ${NOT_FAILED} AND event_id != ?
         AND json_extract(row, '$.nextAt') < ?`,
      untilMs,
      blockerId,
      untilMs,
    )
  }

  put(row: InboxRow): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO inbox (event_id, received_at, row) VALUES (?, ?, ?)`,
      row.event.id,
      row.event.receivedAt,
      JSON.stringify(row),
    )
  }

  remove(eventId: string): void {
    this.sql.exec(`DELETE FROM inbox WHERE event_id = ?`, eventId)
  }

  /** The source of the waiting events (one thread has one), read without parsing a row. */
  source(): string | undefined {
    const rows = this.sql
      .exec<{ source: string | null }>(
        `SELECT json_extract(row, '$.event.source') AS source FROM inbox LIMIT 1`,
      )
      .toArray()
    return rows[0]?.source ?? undefined
  }

  count(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM inbox`).one().n
  }

  /** Every row, in order: for tests and small inboxes only. */
  all(): InboxRow[] {
    return this.sql
      .exec<{ row: string }>(`SELECT row FROM inbox ${ORDER}`)
      .toArray()
      .map((r) => this.parse(r.row))
  }

  private one(query: string, ...bindings: unknown[]): InboxRow | undefined {
    const rows = this.sql.exec<{ row: string }>(query, ...bindings).toArray()
    return rows[0] && this.parse(rows[0].row)
  }

  private parse(text: string): InboxRow {
    this.charsRead += text.length
    return JSON.parse(text) as InboxRow
  }
}
