import type { SourceCounts } from './hourly-stats'
import type { StatName } from './ledger'
import { ledgerNamed } from './ledger-stub'

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
