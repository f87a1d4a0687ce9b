import { ledgerNamed, STAT_NAMES, type StatName } from './ledger'
import { sumDay, type SourceDay } from './hourly-stats'
import { STAT_SHARDS } from './count-stats'

// Counting lives in count-stats.ts (the edge worker counts too); its importers keep this path.
export { countStats, STAT_SHARDS, statShard } from './count-stats'

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
