import type { StatName } from './ledger'
import { countStats } from './stats'
import type { ThreadStore } from './thread-store'
import { isAwaitingCreate } from './uncertain-create'

/** What a thread's turn counter reads from its Durable Object. */
export interface TurnHost {
  env: Env
  /** The object's id: the stats shard its counts go to. */
  key: string
  store(): ThreadStore
  /** The thread deleted its storage during the turn (a one-shot thread done). */
  forgotten(): boolean
  /** Called as a turn starts. */
  begin(): void
}

/**
 * Counts what one turn of a thread changed: deliveries, duplicates, clock problems, and the
 * awaiting-create gauge, also under the thread's source (the delivered events', else the
 * waiting rows'), written in one stats call at the end of the turn.
 */
export class TurnStats {
  counts: Partial<Record<StatName, number>> = {}

  constructor(private readonly host: TurnHost) {}

  add(name: StatName, n: number): void {
    this.counts[name] = (this.counts[name] ?? 0) + n
  }

  async run<T>(turn: () => Promise<T>, given?: string): Promise<T> {
    this.host.begin()
    const before = isAwaitingCreate(this.host.store().state)
    const source = given ?? this.host.store().rows.source()
    this.counts = {}
    const result = await turn()
    const after = !this.host.forgotten() && isAwaitingCreate(this.host.store().state)
    if (before !== after) this.counts.threads_awaiting_create = after ? 1 : -1
    const bySource = source ? { [source]: this.counts } : {}
    await countStats(this.host.env, this.counts, this.host.key, bySource)
    return result
  }
}
