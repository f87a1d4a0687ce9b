import { ledgerNamed, STAT_NAMES, type StatName } from './ledger'
import { sumDay, type SourceCounts, type SourceDay } from './hourly-stats'

/** Counter shards: each takes about 1/16 of the writes; a read sums 16 small tables. */
export const STAT_SHARDS = 16

/** FNV-1a (32 bit) of the key, modulo STAT_SHARDS: spreads, needs no secrecy. */
export function statShard(key: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0) % STAT_SHARDS
}

/**
 * Adds to the /admin/stats counters in the shard `key` (an event id, a thread, a delivery id)
 * hashes to, and in the same call `bySource` (source name → counts, usually the same counts
 * split by the events' `source`) to that shard's hourly buckets for the Overview; never fails
 * the caller (stats are not worth a 5xx).
 */
export async function countStats(
  env: Env,
  counts: Partial<Record<StatName, number>>,
  key: string,
  bySource: SourceCounts = {},
): Promise<void> {
  if (!Object.values(counts).some((n) => n)) return
  try {
    await ledgerNamed(env, `stats-${statShard(key)}`).count(counts, bySource)
  } catch (err) {
    console.error(JSON.stringify({ msg: 'stats update failed', error: String(err) }))
  }
}

const STAT_INSTANCES = ['global', ...Array.from({ length: STAT_SHARDS }, (_, i) => `stats-${i}`)]

/**
 * The last 24 whole hours up to `now` (ms) per source, summed over every shard and "global"
 * (which counts dead letters): totals per counter and each counter's 24 hourly amounts.
 */
export async function readDayBySource(env: Env, now = Date.now()): Promise<Map<string, SourceDay>> {
  const parts = await Promise.all(STAT_INSTANCES.map((name) => ledgerNamed(env, name).hourly(now)))
  return sumDay(parts.flat(), now)
}

/** The counters summed over every shard (and "global", which keeps dead_lettered and older counts). */
export async function readStats(env: Env): Promise<Record<StatName, number>> {
  const names = STAT_INSTANCES
  const parts = await Promise.all(names.map((name) => ledgerNamed(env, name).stats()))
  const total = Object.fromEntries(STAT_NAMES.map((n) => [n, 0])) as Record<StatName, number>
  for (const part of parts) for (const name of STAT_NAMES) total[name] += part[name]
  return total
}
