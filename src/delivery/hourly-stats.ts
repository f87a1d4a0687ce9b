/**
 * Per-source counters in hourly buckets, kept beside the all-time totals in each ledger shard:
 * what the console's Overview charts for the last 24 hours. Rows older than BUCKET_KEEP_MS are
 * pruned whenever a shard writes, so a shard holds at most 25 hours × sources × counters rows.
 */

export const HOUR_MS = 3_600_000
export const DAY_HOURS = 24
/** One hour more than the window read, so the oldest hour shown is complete. */
const BUCKET_KEEP_MS = (DAY_HOURS + 1) * HOUR_MS

/** Counter name → amount added (may be negative for a gauge). */
export type Counts = Record<string, number | undefined>
/** Source name → what it added in this call. */
export type SourceCounts = Record<string, Counts>

/** One bucket: `hour` is its start in ms since the epoch (UTC, whole hour). */
export type HourlyRow = { source: string; hour: number; name: string; value: number }

/**
 * A gauge's bucket keeps only its rises (threads that began waiting that hour): a fall would
 * land in a later hour and the 24-hour sum could turn negative once the rise is pruned.
 */
const GAUGES = new Set(['threads_awaiting_create'])

export function createHourlyTable(sql: SqlStorage): void {
  sql.exec(
    `CREATE TABLE IF NOT EXISTS hourly (source TEXT NOT NULL, hour INTEGER NOT NULL, name TEXT NOT NULL,
      value INTEGER NOT NULL, PRIMARY KEY (source, hour, name))`,
  )
}

/** Adds `bySource` to the buckets of the hour `now` (ms) falls in, then prunes old hours. */
export function addHourly(sql: SqlStorage, bySource: SourceCounts, now: number): void {
  const hour = Math.floor(now / HOUR_MS) * HOUR_MS
  for (const [source, counts] of Object.entries(bySource)) {
    for (const [name, n] of Object.entries(counts)) {
      if (!n || (GAUGES.has(name) && n < 0)) continue
      sql.exec(
        `INSERT INTO hourly (source, hour, name, value) VALUES (?, ?, ?, ?)
          ON CONFLICT(source, hour, name) DO UPDATE SET value = value + excluded.value`,
        source,
        hour,
        name,
        n,
      )
    }
  }
  sql.exec(`DELETE FROM hourly WHERE hour < ?`, now - BUCKET_KEEP_MS)
}

/** The first hour (ms) of the 24 whole hours ending with the one `now` falls in. */
export function windowStart(now: number): number {
  return Math.floor(now / HOUR_MS) * HOUR_MS - (DAY_HOURS - 1) * HOUR_MS
}

/** The buckets of the last 24 hours up to `now` (ms). */
export function readHourly(sql: SqlStorage, now: number): HourlyRow[] {
  return sql
    .exec<HourlyRow>(
      `SELECT source, hour, name, value FROM hourly WHERE hour >= ? AND hour <= ?`,
      windowStart(now),
      now,
    )
    .toArray()
}

/** One source's last 24 hours: totals per counter, and each counter's 24 hourly amounts. */
export type SourceDay = { totals: Record<string, number>; hours: Record<string, number[]> }

/** Sums buckets (from any number of shards) per source, per counter and per hour. */
export function sumDay(rows: HourlyRow[], now: number): Map<string, SourceDay> {
  const from = windowStart(now)
  const out = new Map<string, SourceDay>()
  for (const row of rows) {
    const i = Math.floor((row.hour - from) / HOUR_MS)
    if (i < 0 || i >= DAY_HOURS) continue
    const day = out.get(row.source) ?? { totals: {}, hours: {} }
    day.totals[row.name] = (day.totals[row.name] ?? 0) + row.value
    const hours = (day.hours[row.name] ??= Array.from({ length: DAY_HOURS }, () => 0))
    hours[i] = (hours[i] ?? 0) + row.value
    out.set(row.source, day)
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)))
}
