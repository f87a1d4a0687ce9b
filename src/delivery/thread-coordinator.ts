import { DurableObject } from 'cloudflare:workers'
import { loadConfig } from '../config'
import type { TicketEvent } from '../ticket-event'
import { createUdeskClient } from '../udesk/client'
import { deadLetter, sendDeadLetter, type DeadLetterReason } from './dead-letters'
import { drainInbox, isOpener, type DrainReport } from './drain'
import { countStats } from './ledger'
import { logDelivery } from './log'
import { MAX_TOKEN_WAIT_MS, rateLimitedFetch, rateLimiterFor } from './rate-limiter'
import { SerialQueue } from './serial'
import type { ApplyContext } from './steps'
import { ThreadStore, type InboxRow } from './thread-store'

/** One queue message's event, as the consumer hands it to its thread. */
export interface DeliveryItem {
  event: TicketEvent
  deliveryId: string
  /** The queue message's attempt, 1 for the first delivery. */
  attempt: number
  /** The last attempt the consumer will make: an event not applied now is given up. */
  final: boolean
}

export type DeliveryOutcome = { eventId: string; ticketId?: number } & (
  | { outcome: 'applied' | 'duplicate' | 'superseded' | 'pending' }
  /** Not applied yet: the message should come back after `delayMs`. */
  | { outcome: 'retry'; delayMs: number; errorCode: string; error: string }
  /** Given up: dead-letter it with this reason. */
  | { outcome: 'failed'; reason: string; attempts: number; errorCode: string; error: string }
)

export function threadCoordinator(
  env: Env,
  source: string,
  thread: string,
): DurableObjectStub<ThreadCoordinator> {
  const ns = env.THREADS as unknown as DurableObjectNamespace<ThreadCoordinator>
  return ns.get(ns.idFromName(`${source}\n${thread}`))
}

/**
 * One per (source, thread): applies the thread's events one at a time and is the strongly
 * consistent record of its ticket and of the events already applied. Replies and resolves that
 * arrive before the ticket wait here (the object owns them then) and go out right after it is
 * created; an alarm retries what it owns and dead-letters what waited too long.
 */
export class ThreadCoordinator extends DurableObject<Env> {
  private readonly serial = new SerialQueue()
  private readonly store = new ThreadStore(this.ctx.storage)

  deliver(items: DeliveryItem[]): Promise<DeliveryOutcome[]> {
    return this.serial.run(() => this.deliverNow(items))
  }

  override alarm(): Promise<void> {
    return this.serial.run(() => this.alarmNow())
  }

  private async deliverNow(items: DeliveryItem[]): Promise<DeliveryOutcome[]> {
    const outcomes = new Map<string, DeliveryOutcome>()
    const fresh = items.filter((item) => !this.settledBefore(item, outcomes))
    for (const item of fresh) {
      const existing = this.store.inboxRow(item.event.id)
      this.store.putInbox({
        attempts: 0,
        nextAt: 0,
        addedAt: Date.now(),
        ...existing,
        event: item.event,
        deliveryId: item.deliveryId,
        owned: false,
      })
    }
    const report = await drainInbox(this.applyContext(), new Set(fresh.map((i) => i.event.id)))
    for (const item of fresh) outcomes.set(item.event.id, this.outcomeFor(item, report))
    await this.settleOwned(report)
    await this.scheduleAlarm()
    const duplicates = [...outcomes.values()].filter((o) => o.outcome === 'duplicate').length
    await countStats(this.env, { delivered: report.results.size, duplicates })
    return items.map((item) => outcomes.get(item.event.id) ?? this.pendingOutcome(item.event))
  }

  /** Applied already (a redelivery), owned by the object, or given up: an answer, no work. */
  private settledBefore(item: DeliveryItem, outcomes: Map<string, DeliveryOutcome>): boolean {
    const id = item.event.id
    const applied = this.store.applied(id)
    const ticketId = this.store.state.ticketId
    if (applied) {
      // Applied while another message's turn drained the inbox: this message reports it.
      if (!applied.seen) this.store.markSeen(id)
      const outcome = applied.seen ? 'duplicate' : applied.outcome
      outcomes.set(id, { eventId: id, ticketId, outcome })
      return true
    }
    const row = this.store.inboxRow(id)
    if (row?.owned) outcomes.set(id, { eventId: id, ticketId, outcome: 'pending' })
    if (row?.failed) outcomes.set(id, this.failedOutcome(row))
    return outcomes.has(id)
  }

  private outcomeFor(item: DeliveryItem, report: DrainReport): DeliveryOutcome {
    const id = item.event.id
    const ticketId = this.store.state.ticketId
    const result = report.results.get(id)
    if (result) return { eventId: id, ticketId, outcome: result.kind }
    const row = this.store.inboxRow(id)
    if (!row) throw new Error(`event ${id} left the inbox unreported`)
    if (row.failed) return this.failedOutcome(row)
    if (ticketId === undefined && !isOpener(item.event)) {
      // No ticket yet: the object keeps it and sends it right after the ticket is created.
      this.store.putInbox({ ...row, owned: true })
      return this.pendingOutcome(item.event)
    }
    const blocked = report.blockedBy
    const own = blocked?.eventId === id
    const errorCode = own ? blocked.errorCode : 'blocked'
    const error = own
      ? blocked.error
      : `waiting behind ${blocked?.eventId ?? 'an earlier event'}: ${blocked?.error ?? ''}`
    if (item.final) {
      this.store.removeInbox(id)
      return {
        eventId: id,
        ticketId,
        outcome: 'failed',
        reason: 'max_attempts',
        attempts: row.attempts,
        errorCode,
        error,
      }
    }
    const untilMs = Math.max(row.nextAt, blocked?.untilMs ?? 0)
    const delayMs = Math.max(1_000, untilMs - Date.now())
    return { eventId: id, ticketId, outcome: 'retry', delayMs, errorCode, error }
  }

  /** The message reports its given-up event, which then leaves the inbox. */
  private failedOutcome(row: InboxRow): DeliveryOutcome {
    this.store.removeInbox(row.event.id)
    return {
      eventId: row.event.id,
      ticketId: this.store.state.ticketId,
      outcome: 'failed',
      reason: row.failed?.reason ?? 'max_attempts',
      attempts: row.attempts,
      errorCode: row.failed?.errorCode ?? 'unknown',
      error: row.lastError ?? '',
    }
  }

  private pendingOutcome(event: TicketEvent): DeliveryOutcome {
    return { eventId: event.id, ticketId: this.store.state.ticketId, outcome: 'pending' }
  }

  private async alarmNow(): Promise<void> {
    const config = loadConfig(this.env)
    const now = Date.now()
    const owned = this.store.inbox().filter((row) => row.owned)
    if (this.store.state.ticketId === undefined) {
      const waitMs = config.DELIVERY_PENDING_WAIT_SECONDS * 1000
      for (const row of owned.filter((r) => r.addedAt + waitMs <= now)) {
        await this.giveUp(row, 'thread_never_opened', 'no event opened the thread in time')
      }
    } else if (owned.some((row) => !row.failed && row.nextAt <= now)) {
      const report = await drainInbox(this.applyContext(), new Set())
      await this.settleOwned(report)
      await countStats(this.env, { delivered: report.results.size })
    }
    await this.scheduleAlarm()
  }

  /**
   * After a drain, for the events the object owns: a given-up one is dead-lettered from here;
   * one waiting behind another event waits as long as that one.
   */
  private async settleOwned(report: DrainReport): Promise<void> {
    const blocked = report.blockedBy
    for (const row of this.store.inbox().filter((r) => r.owned)) {
      if (row.failed) {
        await this.giveUp(row, row.failed.reason, row.lastError ?? '', row.attempts)
      } else if (blocked && row.event.id !== blocked.eventId && row.nextAt < blocked.untilMs) {
        this.store.putInbox({ ...row, nextAt: blocked.untilMs })
      }
    }
  }

  private async giveUp(
    row: InboxRow,
    reason: DeadLetterReason | string,
    error: string,
    attempts = row.attempts,
  ): Promise<void> {
    const message = { event: row.event, deliveryId: row.deliveryId }
    await sendDeadLetter(this.env, deadLetter(message, reason, attempts, error))
    this.store.removeInbox(row.event.id)
    logDelivery(message, { outcome: 'dead_lettered', attempt: attempts, reason, error })
  }

  private async scheduleAlarm(): Promise<void> {
    const owned = this.store.inbox().filter((row) => row.owned && !row.failed)
    if (owned.length === 0) return this.ctx.storage.deleteAlarm()
    const waitMs = loadConfig(this.env).DELIVERY_PENDING_WAIT_SECONDS * 1000
    const hasTicket = this.store.state.ticketId !== undefined
    const due = owned.map((row) => (hasTicket ? row.nextAt : row.addedAt + waitMs))
    await this.ctx.storage.setAlarm(Math.max(Date.now(), Math.min(...due)))
  }

  private applyContext(): ApplyContext {
    const config = loadConfig(this.env)
    const limiter = rateLimiterFor(this.env, config)
    const client = createUdeskClient({
      baseUrl: config.UDESK_BASE_URL,
      credentials: { email: config.UDESK_EMAIL, token: config.UDESK_API_TOKEN },
      fetch: rateLimitedFetch(limiter, Math.min(MAX_TOKEN_WAIT_MS, config.UDESK_TIMEOUT_MS / 2)),
      timeoutMs: config.UDESK_TIMEOUT_MS,
      agentId: config.UDESK_AGENT_ID,
    })
    return { store: this.store, client, config, kv: this.env.BRIDGE_KV }
  }
}
