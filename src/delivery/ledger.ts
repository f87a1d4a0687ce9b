import { DurableObject } from 'cloudflare:workers'
import {
  addHourly,
  createHourlyTable,
  readHourly,
  type HourlyRow,
  type SourceCounts,
} from './hourly-stats'
import type { OutboundLetter } from '../outbound/outbound-letter'
import type { StoredLetter as QueueLetter } from './message'

/** What the ledger keeps: letters from the dead-letter queue, and outbound ones (two-way). */
export type StoredLetter = QueueLetter | OutboundLetter

export const STAT_NAMES = [
  'accepted',
  'duplicates',
  'delivered',
  'retried',
  'dead_lettered',
  'replayed',
  /** A gauge: threads whose ticket create has an unknown outcome not yet settled. */
  'threads_awaiting_create',
  /** Udesk kept refusing our timestamp or nonce after fresh signatures: check the clock. */
  'clock_problems',
  /** A gauge: threads whose ticket two-way watches (polling, or paused until a replay). */
  'watched_threads',
] as const
export type StatName = (typeof STAT_NAMES)[number]

export type DeadLetterRecord = StoredLetter & { id: string; storedAt: number }

export interface DeadLetterQuery {
  source?: string
  reason?: string
  /** ms since the epoch */
  failedSince?: number
  limit: number
  offset?: number
}

/** A letter's facts without its payload; `source`, `thread`, `type` are null when unreadable. */
export type DeadLetterSummary = {
  id: string
  storedAt: number
  failedAt: number
  reason: string
  attempts: number
  lastError: string | null
  source: string | null
  thread: string | null
  type: string | null
}

/**
 * The bridge's strongly consistent account: the dead letters with their reasons (instance
 * "global") and the /admin/stats counters, spread over STAT_SHARDS instances ("stats-N") by a
 * hash of the event or request that counts, so no single object sees every delivery.
 */
export class DeliveryLedger extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS stats (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
    )
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS dead_letters (id TEXT PRIMARY KEY, stored_at INTEGER NOT NULL, record TEXT NOT NULL)`,
    )
    createHourlyTable(this.sql)
  }

  /** Adds `counts` to the all-time totals and `bySource` to the hour of `now` (ms). */
  count(
    counts: Partial<Record<StatName, number>>,
    bySource: SourceCounts = {},
    now = Date.now(),
  ): void {
    addHourly(this.sql, bySource, now)
    for (const [name, n] of Object.entries(counts)) {
      if (!n) continue
      this.sql.exec(
        `INSERT INTO stats (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value`,
        name,
        n,
      )
    }
  }

  stats(): Record<StatName, number> {
    const out = Object.fromEntries(STAT_NAMES.map((n) => [n, 0])) as Record<StatName, number>
    for (const row of this.sql.exec<{ name: string; value: number }>(
      `SELECT name, value FROM stats`,
    )) {
      if ((STAT_NAMES as readonly string[]).includes(row.name))
        out[row.name as StatName] = row.value
    }
    return { ...out }
  }

  /** This shard's per-source hourly buckets of the last 24 hours up to `now` (ms). */
  hourly(now = Date.now()): HourlyRow[] {
    return readHourly(this.sql, now)
  }

  /** Stores a dead letter under a stable id, so a redelivered DLQ message is stored once. */
  storeDeadLetter(id: string, letter: StoredLetter): boolean {
    const existing = this.sql.exec(`SELECT 1 FROM dead_letters WHERE id = ?`, id).toArray()
    if (existing.length > 0) return false
    this.sql.exec(
      `INSERT INTO dead_letters (id, stored_at, record) VALUES (?, ?, ?)`,
      id,
      Date.now(),
      JSON.stringify(letter),
    )
    const source =
      'event' in letter
        ? letter.event.source
        : 'outbound' in letter
          ? letter.outbound.source
          : undefined
    this.count({ dead_lettered: 1 }, source ? { [source]: { dead_lettered: 1 } } : {})
    return true
  }

  listDeadLetters(limit = 100, offset = 0): { total: number; items: DeadLetterRecord[] } {
    const total = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM dead_letters`).one().n
    const rows = this.sql
      .exec<{ id: string; stored_at: number; record: string }>(
        `SELECT id, stored_at, record FROM dead_letters ORDER BY stored_at, id LIMIT ? OFFSET ?`,
        limit,
        offset,
      )
      .toArray()
    const items = rows.map((r) => ({
      ...(JSON.parse(r.record) as StoredLetter),
      id: r.id,
      storedAt: r.stored_at,
    }))
    return { total, items }
  }

  /** Removes and returns dead letters for replay (all when `ids` is undefined). */
  takeDeadLetters(ids?: string[]): DeadLetterRecord[] {
    const taken = ids
      ? ids.flatMap((id) => this.listById(id))
      : this.listDeadLetters(Number.MAX_SAFE_INTEGER).items
    for (const letter of taken) this.sql.exec(`DELETE FROM dead_letters WHERE id = ?`, letter.id)
    return taken
  }

  getDeadLetter(id: string): DeadLetterRecord | undefined {
    return this.listById(id)[0]
  }

  /** Deletes letters once they are safely back on the queue (replay sends, then removes). */
  removeDeadLetters(ids: string[]): number {
    let removed = 0
    for (const id of ids) {
      removed += this.sql.exec(`DELETE FROM dead_letters WHERE id = ?`, id).rowsWritten
    }
    return removed
  }

  /**
   * Letters without their payloads (at most a few hundred bytes each), oldest first, matching
   * the filters; `total` counts the matches. What the console lists, filters and charts.
   */
  summarizeDeadLetters(query: DeadLetterQuery): { total: number; items: DeadLetterSummary[] } {
    const source = `COALESCE(json_extract(record, '$.event.source'), json_extract(record, '$.outbound.source'))`
    const where = `WHERE (?1 IS NULL OR ${source} = ?1)
      AND (?2 IS NULL OR json_extract(record, '$.reason') = ?2)
      AND json_extract(record, '$.failedAt') >= ?3`
    const args = [query.source ?? null, query.reason ?? null, query.failedSince ?? 0]
    const total = this.sql
      .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM dead_letters ${where}`, ...args)
      .one().n
    const items = this.sql
      .exec<DeadLetterSummary>(
        `SELECT id, stored_at AS storedAt, json_extract(record, '$.failedAt') AS failedAt,
          json_extract(record, '$.reason') AS reason, json_extract(record, '$.attempts') AS attempts,
          json_extract(record, '$.lastError') AS lastError,
          ${source} AS source,
          COALESCE(json_extract(record, '$.event.thread'), json_extract(record, '$.outbound.thread')) AS thread,
          COALESCE(json_extract(record, '$.event.type'), 'outbound:' || json_extract(record, '$.outbound.item.action.type')) AS type
        FROM dead_letters ${where} ORDER BY stored_at, id LIMIT ?4 OFFSET ?5`,
        ...args,
        query.limit,
        query.offset ?? 0,
      )
      .toArray()
    return { total, items }
  }

  private listById(id: string): DeadLetterRecord[] {
    return this.sql
      .exec<{ id: string; stored_at: number; record: string }>(
        `SELECT id, stored_at, record FROM dead_letters WHERE id = ?`,
        id,
      )
      .toArray()
      .map((r) => ({
        ...(JSON.parse(r.record) as StoredLetter),
        id: r.id,
        storedAt: r.stored_at,
      }))
  }
}

// The stubs live apart from the class, so the edge worker can count without bundling it.
export { ledger, ledgerNamed } from './ledger-stub'
