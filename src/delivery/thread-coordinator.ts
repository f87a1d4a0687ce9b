import { DurableObject } from 'cloudflare:workers'
import { AlertGroupStore } from '../alerts/group-store'
import { EventTrail, type TrailEvent } from '../console/trail'
import { nextAlarmAt, rowDueAt } from './alarm'
import { loadConfig } from '../config'
import { createUdeskClient } from '../udesk/client'
import { drainInbox, type DrainReport } from './drain'
import { twoWayFor } from './two-way-hooks'
import { TurnStats } from './turn-stats'
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
import { isPrunable, pruneThread, storageGone } from './thread-pruning'
import { receiveEvent, settleOwned } from './owned-events'
import { ThreadStore } from './thread-store'
import { isAwaitingCreate } from './uncertain-create'

export type { DeliveryItem, DeliveryOutcome } from './outcomes'

/** Alarms in a row that failed: the next one backs off by it. */
const ALARM_FAILURES_KEY = 'alarm_failures'

/** The Udesk refusal a fresh signature did not cure (see `src/udesk/http.ts`). */
const CLOCK_ERROR_CODE = 'udesk_clock'

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
 * created; an alarm retries what it owns, dead-letters what waited too long and prunes what
 * the redelivery horizon no longer needs.
 */
export class ThreadCoordinator extends DurableObject<Env> {
  private readonly serial = new SerialQueue()
  private opened?: ThreadStore
  private openedAlerts?: AlertGroupStore
  private openedTrail?: EventTrail
  /** Set once a one-shot thread deleted its storage: nothing may write it again this turn. */
  private forgotten = false

  /** Opened on first use, so a thread that deleted its storage does not recreate its tables. */
  private get store(): ThreadStore {
    this.opened ??= new ThreadStore(this.ctx.storage)
    return this.opened
  }

  /** The alert group's per-alert state, opened on first use like the thread's store. */
  private get alerts(): AlertGroupStore {
    this.openedAlerts ??= new AlertGroupStore(this.ctx.storage)
    return this.openedAlerts
  }

  /** Each event's steps for the console, opened on first use like the thread's store. */
  private get trail(): EventTrail {
    this.openedTrail ??= new EventTrail(this.ctx.storage, this.env.BRIDGE_KV)
    return this.openedTrail
  }

  private readonly stats = new TurnStats({
    env: this.env,
    key: this.ctx.id.toString(),
    store: () => this.store,
    forgotten: () => this.forgotten,
    begin: () => (this.forgotten = false),
  })

  deliver(items: DeliveryItem[]): Promise<DeliveryOutcome[]> {
    const source = items[0]?.event.source
    return this.serial.run(() => this.stats.run(() => this.deliverNow(items), source))
  }

  /** For the console's thread page: the ticket, the waiting events and each event's steps. */
  view(): { ticketId?: number; status?: string; waiting: number; events: TrailEvent[] } {
    const { ticketId, status } = this.store.state
    return { ticketId, status, waiting: this.store.rows.count(), events: this.trail.events() }
  }

  override alarm(): Promise<void> {
    return this.serial.run(() => this.stats.run(() => this.alarmNow()))
  }

  private async deliverNow(all: DeliveryItem[]): Promise<DeliveryOutcome[]> {
    // One event in two messages of a batch: the first carries it, the others are duplicates.
    const items = all.filter((item, i) => all.findIndex((o) => o.event.id === item.event.id) === i)
    const outcomes = new Map<string, DeliveryOutcome>()
    const fresh = items.filter((item) => !this.settledBefore(item, outcomes))
    const config = loadConfig(this.env)
    for (const item of fresh) receiveEvent(this.store, item, config)
    const report = await drainInbox(this.applyContext(), new Set(fresh.map((i) => i.event.id)))
    this.noteDrain(report)
    for (const item of fresh) {
      outcomes.set(item.event.id, outcomeFor(this.store, item, report, config))
    }
    const settled = await this.settleOwned(report)
    pruneThread(this.store, config, Date.now())
    await this.scheduleAlarm(settled)
    const duplicates = [...outcomes.values()].filter((o) => o.outcome === 'duplicate').length
    this.stats.add('duplicates', duplicates + all.length - items.length)
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

  private noteDrain(report: DrainReport): void {
    this.stats.add('delivered', report.results.size)
    if (report.blockedBy?.errorCode === CLOCK_ERROR_CODE) this.stats.counts.clock_problems = 1
  }

  /** Never throws past its rescheduling: an alarm that failed rings again after a backoff. */
  private async alarmNow(): Promise<void> {
    let ok = false
    try {
      ok = await this.alarmWork()
    } catch (err) {
      console.error(JSON.stringify({ msg: 'thread alarm failed', error: String(err) }))
    }
    const config = loadConfig(this.env)
    pruneThread(this.store, config, Date.now())
    if (ok && isPrunable(this.store)) return this.forgetEverything()
    await this.scheduleAlarm(ok)
  }

  /** Dead-letters what waited too long or was given up, and retries what is due. */
  private async alarmWork(): Promise<boolean> {
    const now = Date.now()
    const state = this.store.state
    const timing = this.timing(now)
    const owned = this.store.rows.owned().filter((row) => !row.failed)
    if (state.ticketId === undefined && !isAwaitingCreate(state)) {
      for (const summary of owned.filter((r) => !r.opener && rowDueAt(r, timing) <= now)) {
        const row = this.store.inboxRow(summary.eventId)
        const failed = { reason: 'thread_never_opened', errorCode: 'pending_wait' }
        if (row)
          this.store.putInbox({ ...row, failed, lastError: 'no event opened the thread in time' })
      }
    }
    const due = owned.some(
      (r) => (timing.hasTicket || timing.awaitingCreate || r.opener) && r.nextAt <= now,
    )
    if (!due) return this.settleOwned()
    const report = await drainInbox(this.applyContext(), new Set())
    this.noteDrain(report)
    await this.trail.drained(report.results.keys(), this.store.state.ticketId, report.blockedBy)
    return this.settleOwned(report)
  }

  private settleOwned(report?: DrainReport): Promise<boolean> {
    return settleOwned(this.env, this.store, report, (eventId, detail) =>
      this.trail.deadLettered(eventId, detail),
    )
  }

  private timing(now: number) {
    const state = this.store.state
    return {
      hasTicket: state.ticketId !== undefined,
      awaitingCreate: isAwaitingCreate(state),
      pendingWaitMs: loadConfig(this.env).DELIVERY_PENDING_WAIT_SECONDS * 1000,
      now,
    }
  }

  private async scheduleAlarm(ok = true): Promise<void> {
    const failures = ok ? 0 : (this.ctx.storage.kv.get<number>(ALARM_FAILURES_KEY) ?? 0) + 1
    this.ctx.storage.kv.put(ALARM_FAILURES_KEY, failures)
    const now = Date.now()
    const at = nextAlarmAt({
      ...this.timing(now),
      owned: this.store.rows.owned(),
      pruneAt: storageGone(this.store, loadConfig(this.env)),
      failures,
      random: Math.random(),
    })
    if (at === undefined) return this.ctx.storage.deleteAlarm()
    await this.ctx.storage.setAlarm(at)
  }

  /** A one-shot thread with its ticket and nothing left to remember: no storage at all. */
  private async forgetEverything(): Promise<void> {
    await this.ctx.storage.deleteAlarm()
    await this.ctx.storage.deleteAll()
    this.opened = undefined
    this.openedAlerts = undefined
    this.openedTrail = undefined
    this.forgotten = true
  }

  private applyContext(): ApplyContext {
    const config = loadConfig(this.env)
    const limiter = rateLimiterFor(this.env, config)
    const source = this.store.rows.source()
    const priority = deliveryPriority(source ? config.SOURCES[source] : undefined)
    const maxWaitMs = Math.min(MAX_TOKEN_WAIT_MS, config.UDESK_TIMEOUT_MS / 2)
    const client = createUdeskClient({
      baseUrl: config.UDESK_BASE_URL,
      credentials: { email: config.UDESK_EMAIL, token: config.UDESK_API_TOKEN },
      fetch: rateLimitedFetch(limiter, maxWaitMs, undefined, priority),
      timeoutMs: config.UDESK_TIMEOUT_MS,
      agentId: config.UDESK_AGENT_ID,
    })
    const { store, alerts } = this
    return { store, client, config, kv: this.env.BRIDGE_KV, alerts, twoWay: twoWayFor(this.env) }
  }
}
