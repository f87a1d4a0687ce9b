import type { OutboxState } from './outbox'
import type { OutboundMessage } from './webhook-out'
import type { WatchState } from './watch-state'

/** Everything a thread's watch keeps: whose it is, the watch and the outbound queue. */
export interface WatchRecord {
  source: string
  thread: string
  watch: WatchState
  outbox: OutboxState
}

const RECORD_KEY = 'watch'
const MESSAGE_PREFIX = 'message:'

/** Counted as watched (the console's number): polling, or paused until a fix is replayed. */
export function isWatched(record: WatchRecord): boolean {
  return record.watch.phase !== 'stopped'
}

/**
 * The watch's Durable Object storage (the synchronous KV API of a SQLite-backed object): one
 * record, written whole, so the watch and its queue never disagree; and each webhook
 * message as first built, so a retry sends the same body under the same id.
 */
export class WatchStore {
  constructor(private readonly storage: DurableObjectStorage) {}

  load(): WatchRecord | undefined {
    return this.storage.kv.get<WatchRecord>(RECORD_KEY)
  }

  save(record: WatchRecord): void {
    this.storage.kv.put(RECORD_KEY, record)
  }

  message(itemId: string): OutboundMessage | undefined {
    return this.storage.kv.get<OutboundMessage>(MESSAGE_PREFIX + itemId)
  }

  keepMessage(itemId: string, message: OutboundMessage): void {
    this.storage.kv.put(MESSAGE_PREFIX + itemId, message)
  }

  forgetMessage(itemId: string): void {
    this.storage.kv.delete(MESSAGE_PREFIX + itemId)
  }
}
