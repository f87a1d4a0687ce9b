import { DurableObject } from 'cloudflare:workers'
import { AlertGroupStore } from '../alerts/group-store'
import { nextAlarmAt } from './alarm'
import { loadConfig } from '../config'
import { createUdeskClient } from '../udesk/client'
import { deadLetter, sendDeadLetter } from './dead-letters'
import { drainInbox, type DrainReport } from './drain'
import { countStats } from './ledger'
import { logDelivery } from './log'
import {
  duplicateOutcome,
  failedOutcome,
  outcomeFor,
  pendingOutcome,
  type DeliveryItem,
  type DeliveryOutcome,
} from './outcomes'
import {
  deliveryPriority,
  MAX_TOKEN_WAIT_MS,
  rateLimitedFetch,
  rateLimiterFor,
} from './rate-limiter'
import { SerialQueue } from './serial'
import type { ApplyContext } from './steps'
import { ThreadStore, type InboxRow } from './thread-store'
import { EventTrail, type TrailEvent } from '../console/trail'

export type { DeliveryItem, DeliveryOutcome } from './outcomes'

/** Alarms in a row that failed: the next one backs off by it. */
const ALARM_FAILURES_KEY = 'alarm_failures'

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
  private readonly alerts = new AlertGroupStore(this.ctx.storage)
  private readonly trail = new EventTrail(this.ctx.storage, this.env.BRIDGE_KV)

  deliver(items: DeliveryItem[]): Promise<DeliveryOutcome[]> {
    return this.serial.run(() => this.deliverNow(items))
  }

  /** For the console's thread page: the ticket, the waiting events and each event's steps. */
  view(): { ticketId?: number; status?: string; waiting: number; events: TrailEvent[] } {
    const { ticketId, status } = this.store.state
    return { ticketId, status, waiting: this.store.inbox().length, events: this.trail.events() }
  }

  override alarm(): Promise<void> {
    return this.serial.run(() => this.alarmNow())
  }

  private async deliverNow(all: DeliveryItem[]): Promise<DeliveryOutcome[]> {
    // One event in two messages of a batch: the first carries it, the others are duplicates.
    const items = all.filter((item, i) => all.findIndex((o) => o.event.id === item.event.id) === i)
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
    const config = loadConfig(this.env)
    for (const item of fresh) {
      outcomes.set(item.event.id, outcomeFor(this.store, item, report, config))
    }
    const settled = await this.settleOwned(report)
    await this.scheduleAlarm(settled)
    const duplicates =
      [...outcomes.values()].filter((o) => o.outcome === 'duplicate').length +
      (all.length - items.length)
    await countStats(this.env, { delivered: report.results.size, duplicates })
    const answers = all.map((item) =>
      items.includes(item)
        ? (outcomes.get(item.event.id) ?? pendingOutcome(this.store, item.event))
        : duplicateOutcome(this.store, item.event),
    )
    await this.trail.delivered(all, answers, report.results.keys())
    return answers
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
    if (row?.failed) outcomes.set(id, failedOutcome(this.store, row))
    return outcomes.has(id)
  }

  /** Never throws past its rescheduling: an alarm that failed rings again after a backoff. */
  private async alarmNow(): Promise<void> {
    let ok = false
    try {
      ok = await this.alarmWork()
    } catch (err) {
      console.error(JSON.stringify({ msg: 'thread alarm failed', error: String(err) }))
    } finally {
      await this.scheduleAlarm(ok)
    }
  }

  /** Dead-letters what waited too long or was given up, and retries what is due. */
  private async alarmWork(): Promise<boolean> {
    const now = Date.now()
    const owned = this.store.inbox().filter((row) => row.owned && !row.failed)
    if (this.store.state.ticketId === undefined) {
      const waitMs = loadConfig(this.env).DELIVERY_PENDING_WAIT_SECONDS * 1000
      for (const row of owned.filter((r) => r.addedAt + waitMs <= now)) {
        const failed = { reason: 'thread_never_opened', errorCode: 'pending_wait' }
        this.store.putInbox({ ...row, failed, lastError: 'no event opened the thread in time' })
      }
    } else if (owned.some((row) => row.nextAt <= now)) {
      const report = await drainInbox(this.applyContext(), new Set())
      await this.trail.drained(report.results.keys(), this.store.state.ticketId, report.blockedBy)
      await countStats(this.env, { delivered: report.results.size })
      return this.settleOwned(report)
    }
    return this.settleOwned()
  }

  /**
   * After a drain, for the events the object owns: a given-up one is dead-lettered from here;
   * one waiting behind another event waits as long as that one. False when a dead-letter send
   * failed (the event stays, and the alarm tries again).
   */
  private async settleOwned(report?: DrainReport): Promise<boolean> {
    const blocked = report?.blockedBy
    let ok = true
    for (const row of this.store.inbox().filter((r) => r.owned)) {
      if (row.failed) {
        ok = (await this.giveUp(row)) && ok
      } else if (blocked && row.event.id !== blocked.eventId && row.nextAt < blocked.untilMs) {
        this.store.putInbox({ ...row, nextAt: blocked.untilMs })
      }
    }
    return ok
  }

  /** Sends a given-up event to the dead letters and forgets it; false (kept) when that fails. */
  private async giveUp(row: InboxRow): Promise<boolean> {
    const message = { event: row.event, deliveryId: row.deliveryId }
    const [attempt, reason, error] = [row.attempts, row.failed?.reason, row.lastError ?? '']
    try {
      await sendDeadLetter(this.env, deadLetter(message, reason ?? 'max_attempts', attempt, error))
    } catch (err) {
      const failure = { errorCode: 'dead_letter_send', error: String(err) }
      logDelivery(message, { outcome: 'retry', attempt, ...failure })
      return false
    }
    this.store.removeInbox(row.event.id)
    await this.trail.deadLettered(row.event.id, { reason, attempts: attempt, error })
    logDelivery(message, { outcome: 'dead_lettered', attempt, reason, error })
    return true
  }

  private async scheduleAlarm(ok = true): Promise<void> {
    const failures = ok ? 0 : (this.ctx.storage.kv.get<number>(ALARM_FAILURES_KEY) ?? 0) + 1
    this.ctx.storage.kv.put(ALARM_FAILURES_KEY, failures)
    const at = nextAlarmAt({
      owned: this.store.inbox().filter((row) => row.owned),
      hasTicket: this.store.state.ticketId !== undefined,
      pendingWaitMs: loadConfig(this.env).DELIVERY_PENDING_WAIT_SECONDS * 1000,
      failures,
      now: Date.now(),
      random: Math.random(),
    })
    if (at === undefined) return this.ctx.storage.deleteAlarm()
    await this.ctx.storage.setAlarm(at)
  }

  private applyContext(): ApplyContext {
    const config = loadConfig(this.env)
    const limiter = rateLimiterFor(this.env, config)
    const source = this.store.inbox()[0]?.event.source
    const priority = deliveryPriority(source ? config.SOURCES[source] : undefined)
    const maxWaitMs = Math.min(MAX_TOKEN_WAIT_MS, config.UDESK_TIMEOUT_MS / 2)
    const client = createUdeskClient({
      baseUrl: config.UDESK_BASE_URL,
      credentials: { email: config.UDESK_EMAIL, token: config.UDESK_API_TOKEN },
      fetch: rateLimitedFetch(limiter, maxWaitMs, undefined, priority),
      timeoutMs: config.UDESK_TIMEOUT_MS,
      agentId: config.UDESK_AGENT_ID,
    })
    return { store: this.store, client, config, kv: this.env.BRIDGE_KV, alerts: this.alerts }
  }
}
