import { DurableObject } from 'cloudflare:workers'
import { SerialQueue } from '../delivery/serial'
import { countStats } from '../delivery/stats'
import { loadTwoWayConfig } from '../two-way-config'
import { targetFor, type Target } from './deliver-item'
import { deliverUnlessGone, reopenEndpoint } from './endpoint-gone'
import { storeOutboundLetter } from './outbound-letter'
import {
  afterDelivery,
  emptyOutbox,
  enqueue,
  pollAfterFull,
  roomFor,
  resume,
  type OutboxEffect,
  type OutboxItem,
} from './outbox'
import type { WatchInput } from './watch-input'
import { budgetedReads, watchReads, withTicketNumber } from './ticket-number'
import { tellSweep, watchIndexKey } from './watch-refs'
import { runWatchPoll } from './watch-runner'
import { decideWatch } from './watch-schedule'
import { startWatch, type WatchState } from './watch-state'
import { isWatched, WatchStore, type WatchRecord } from './watch-store'

/** Outbox items attempted in one alarm at most; the rest go on at the next one. */
const MAX_DELIVERIES_PER_ALARM = 10
const MIN_ALARM_GAP_MS = 1_000

/** What the bridge tells a watch about its own writes and the customer (see `WatchInput`). */
export type WatchNote = Extract<
  WatchInput,
  { type: 'customer_message' | 'doorbell' | 'ticket_changed' | 'bridge_reply' | 'bridge_status' }
>

/**
 * One per (source, thread) with a ticket and somewhere to answer, keyed like the thread's
 * `ThreadCoordinator`: polls the ticket when its watch says (`runWatchPoll`, within the
 * budget's spare tokens), queues what it finds for the customer, and delivers the queue's head
 * in order into the Slack thread or to the source's reply URL. Its alarm is the earlier of the
 * next poll and the next delivery attempt.
 */
export class ThreadWatch extends DurableObject<Env> {
  private readonly serial = new SerialQueue()
  private readonly store = new WatchStore(this.ctx.storage)
  /** Notes applied while an alarm runs (undefined when none runs). */
  private lateNotes: WatchNote[] | undefined

  /** Starts watching the ticket the bridge just opened; a second call changes nothing. */
  start(ref: { source: string; thread: string; ticketId: number }): Promise<void> {
    return this.serial.run(async () => {
      if (this.store.load()) return
      const now = Date.now()
      const { timings } = loadTwoWayConfig(this.env)
      const created = { type: 'send_created' as const, ticketId: ref.ticketId }
      const record: WatchRecord = {
        source: ref.source,
        thread: ref.thread,
        watch: startWatch(ref.ticketId, now, timings),
        // The number agents see is read just before the acknowledgement goes out.
        outbox: enqueue(emptyOutbox(), [{ ...created, ticketNumber: '' }], now),
      }
      this.store.save(record)
      await this.env.BRIDGE_KV.put(watchIndexKey(ref.ticketId), JSON.stringify(ref), {
        expirationTtl: WATCH_INDEX_TTL_S,
      })
      await tellSweep(this.env, 'want')
      await this.counted(undefined, record)
      await this.schedule(record)
    })
  }

  /**
   * Applies the bridge's notes at once, without waiting for a running alarm (a delivery must
   * not wait on a poll's budget): an alarm in flight re-applies them to every record it stores
   * from then on, and counts and schedules them with its own. A thread not watched ignores them.
   */
  async note(notes: WatchNote[]): Promise<void> {
    const record = this.store.load()
    if (!record) return
    const next = { ...record, watch: this.applied(record.watch, notes) }
    this.store.save(next)
    if (notes.some((n) => n.type === 'customer_message')) await tellSweep(this.env, 'want')
    if (this.lateNotes) return void this.lateNotes.push(...notes)
    await this.counted(record, next)
    await this.schedule(next)
  }

  private applied(watch: WatchState, notes: WatchNote[]): WatchState {
    const { timings } = loadTwoWayConfig(this.env)
    for (const note of notes) watch = decideWatch(watch, note, Date.now(), timings).state
    return watch
  }

  /** The record with the notes that came in while the alarm awaited (see `note`). */
  private withLateNotes(record: WatchRecord): WatchRecord {
    if (!this.lateNotes?.length) return record
    const watch = this.applied(record.watch, this.lateNotes)
    this.lateNotes = []
    return { ...record, watch }
  }

  /** A dead letter of this thread was replayed: its item first, then the queue and polling. */
  resume(item?: OutboxItem): Promise<boolean> {
    return this.serial.run(async () => {
      const record = this.store.load()
      if (!record) return false
      const now = Date.now()
      const { timings } = loadTwoWayConfig(this.env)
      const watch = decideWatch(record.watch, { type: 'resume' }, now, timings).state
      const next = { ...record, watch, outbox: resume(record.outbox, item, now) }
      this.store.save(next)
      await reopenEndpoint(this.env.BRIDGE_KV, record.source)
      await this.counted(record, next)
      await this.schedule(next)
      return true
    })
  }

  /** For tests and the console: the watch and its queue as stored. */
  view(): WatchRecord | undefined {
    return this.store.load()
  }

  override alarm(): Promise<void> {
    return this.serial.run(async () => {
      const before = this.store.load()
      if (!before) return
      let record = before
      this.lateNotes = []
      try {
        // What is due goes out before the poll, which may wait in the budget's line.
        record = await this.deliver(record)
        record = await this.poll(record)
        record = await this.deliver(record)
      } catch (err) {
        console.error(JSON.stringify({ msg: 'thread watch alarm failed', error: String(err) }))
        // The stored record already holds every note (each was stored as it came).
        record = this.store.load() ?? record
        this.lateNotes = []
      }
      if (this.lateNotes.length > 0) this.store.save((record = this.withLateNotes(record)))
      this.lateNotes = undefined
      await this.counted(before, record)
      await this.schedule(record, true)
    })
  }

  /** A due poll, its findings queued and stored before anything is delivered. */
  private async poll(record: WatchRecord): Promise<WatchRecord> {
    const { watch } = record
    if (watch.phase !== 'watching' || watch.nextPollAt === null || watch.nextPollAt > Date.now()) {
      return record
    }
    const { timings } = loadTwoWayConfig(this.env)
    const room = roomFor(record.outbox)
    if (room === 0) {
      const held = {
        ...record,
        watch: { ...watch, nextPollAt: pollAfterFull(record.outbox, Date.now(), timings) },
      }
      this.store.save(held)
      return held
    }
    const reads = watchReads(this.env, watch.nextPollAt)
    const result = await runWatchPoll(watch, reads, Date.now, timings, room)
    const outbox = enqueue(record.outbox, result.outbound, Date.now())
    const next = this.withLateNotes({ ...record, watch: result.state, outbox })
    this.store.save(next)
    return next
  }

  /** The acknowledgement at the head gets the ticket's number, once, stored before it is sent. */
  private async numbered(record: WatchRecord): Promise<WatchRecord> {
    const numbered = await withTicketNumber(record, budgetedReads(this.env))
    if (numbered === record) return record
    const next = this.withLateNotes(numbered)
    this.store.save(next)
    return next
  }

  /** Attempts the queue's head while it is due, storing each result before the next. */
  private async deliver(record: WatchRecord): Promise<WatchRecord> {
    let next = record
    for (let n = 0; n < MAX_DELIVERIES_PER_ALARM; n++) {
      const head = next.outbox.items[0]
      const due = next.outbox.nextAttemptAt
      if (!head || due === null || due > Date.now()) break
      const target = this.target(next)
      if (!target) break
      next = await this.numbered(next)
      const kv = this.env.BRIDGE_KV
      const result = await deliverUnlessGone(kv, next.source, next.outbox.items[0]!, target)
      const after = afterDelivery(next.outbox, result, Date.now())
      next = { ...next, outbox: after.state }
      if (result.ok || after.effects.length > 0) this.store.forgetMessage(head.id)
      next = this.withLateNotes(await this.apply(next, after.effects))
      this.store.save(next)
    }
    return next
  }

  private async apply(record: WatchRecord, effects: OutboxEffect[]): Promise<WatchRecord> {
    let next = record
    for (const effect of effects) {
      if (effect.type === 'pause_watch') {
        const { timings } = loadTwoWayConfig(this.env)
        const input = { type: 'delivery_failed' as const }
        next = { ...next, watch: decideWatch(next.watch, input, Date.now(), timings).state }
        continue
      }
      const destination = this.target(next)?.kind ?? 'slack'
      await storeOutboundLetter(this.env, { ...next, destination }, effect)
    }
    return next
  }

  /** The thread's destination now; undefined when two-way was switched off for its source. */
  private target(record: WatchRecord): Target | undefined {
    return targetFor(loadTwoWayConfig(this.env), record, this.store)
  }

  /** Keeps the `watched_threads` gauge: +1 when a thread starts being watched, -1 when it stops. */
  private async counted(before: WatchRecord | undefined, after: WatchRecord): Promise<void> {
    const change = Number(isWatched(after)) - Number(before ? isWatched(before) : false)
    if (change === 0) return
    const counts = { watched_threads: change }
    await countStats(this.env, counts, this.ctx.id.toString(), { [after.source]: counts })
  }

  /**
   * The alarm at the next poll or delivery attempt (none without a destination). After an
   * alarm, never sooner than `MIN_ALARM_GAP_MS`: Slack takes about one message a second.
   */
  private async schedule(given: WatchRecord, fromAlarm = false): Promise<void> {
    // The stored record: a note may have come in while this turn awaited.
    const record = this.store.load() ?? given
    const delivery = this.target(record) ? record.outbox.nextAttemptAt : null
    const times = [record.watch.nextPollAt, delivery].filter((t): t is number => t !== null)
    if (times.length === 0) return this.ctx.storage.deleteAlarm()
    const earliest = Math.min(...times)
    const at = fromAlarm ? Math.max(earliest, Date.now() + MIN_ALARM_GAP_MS) : earliest
    const current = fromAlarm ? null : await this.ctx.storage.getAlarm()
    if (current === null || current > at) await this.ctx.storage.setAlarm(at)
  }
}
/**
 * Written when the watch starts. A ticket still open after 90 days is polled on, only no longer
 * rung (its cold interval is at most tens of minutes anyway).
 */
const WATCH_INDEX_TTL_S = 90 * 24 * 3600
