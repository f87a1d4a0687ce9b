import type { Priority } from '../ticket-event'
import { mergeAlert, type AlertRecord, type AlertReport, type ReportOrigin } from './merge-alert'

/** What the ticket shows, as far as the bridge's own writes made it so. */
export interface TicketView {
  /** The group has a ticket. */
  opened: boolean
  /** Unset when a status change's outcome is unknown: the next decision sets it either way. */
  status?: 'open' | 'resolved'
  /** The priority the bridge gave the ticket. */
  priority?: Priority
  /** Digest of the firing set the ticket last reported (content or a note). */
  firing?: string
}

/** One alert group's state: a record per alert (a Map: alert ids are sender-chosen). */
export interface AlertGroupState {
  alerts: Map<string, AlertRecord>
  ticket: TicketView
}

/** One notification of the group, as the thread's coordinator hands it over. */
export interface AlertNotification extends ReportOrigin {
  alerts: AlertReport[]
  /** Plain text of the notification (the ticket's content, or a note's body). */
  content: string
  /** The source's priority for alerts of unknown severity. */
  defaultPriority?: Priority
  /** Grafana's Test button: a ticket that says so and is resolved at once. */
  test?: boolean
}

/** What the coordinator carries out, in order. Texts are plain; delivery renders them. */
export type AlertAction =
  | { type: 'createTicket'; priority?: Priority; content: string }
  | { type: 'addNote'; text: string }
  | { type: 'setStatus'; status: 'open' | 'resolved' }
  | { type: 'setPriority'; priority: Priority }

/** Records of ended alerts last reported longer ago than this are forgotten (bounded state). */
export const ENDED_ALERT_RETENTION_MS = 7 * 24 * 3600 * 1000

const RANK: Record<Priority, number> = { low: 1, medium: 2, high: 3, urgent: 4 }

/**
 * docs/design.md "Alerts", as a pure function: merges the notification into the per-alert records
 * (`mergeAlert`), then compares what the ticket should show with what it shows. The ticket is
 * open while any alert fires and resolved once every alert seen firing has ended; an alert
 * firing again reopens it with a note; a change of the firing set adds one note; a higher
 * severity joining raises the priority (never lowers it). `now` (ms) ages out ended alerts.
 */
export function decideAlertGroup(
  state: AlertGroupState,
  notification: AlertNotification,
  now: number,
): { state: AlertGroupState; actions: AlertAction[] } {
  const alerts = mergeAll(state.alerts, notification, now)
  const firing = [...alerts].filter(([, r]) => r.status === 'firing')
  if (notification.test) return decideTest(state, alerts, notification)
  if (firing.length === 0) return closing(state, alerts, notification.content)
  const digest = firingDigest(firing.map(([id]) => id))
  const wanted = highest(firing.map(([, r]) => r.priority ?? notification.defaultPriority))
  const { ticket } = state
  if (!ticket.opened) {
    const view = { opened: true, status: 'open' as const, priority: wanted, firing: digest }
    const create = {
      type: 'createTicket' as const,
      priority: wanted,
      content: notification.content,
    }
    return { state: { alerts, ticket: view }, actions: [create] }
  }
  const raise = wanted && RANK[wanted] > (ticket.priority ? RANK[ticket.priority] : 0)
  const reopen = ticket.status !== 'open'
  // An uncertain status with the same firing set: this reopening was decided and noted before.
  const reopenNoted = ticket.status === undefined && digest === ticket.firing
  const lines: string[] = []
  if (reopen && !reopenNoted) lines.push(reopenLine(state.alerts, firing))
  if (raise) lines.push(`Priority raised to ${wanted}: a more severe alert is firing.`)
  const actions: AlertAction[] = []
  if (reopen) actions.push({ type: 'setStatus', status: 'open' })
  if (raise) actions.push({ type: 'setPriority', priority: wanted })
  if (lines.length > 0 || digest !== ticket.firing) {
    actions.push({ type: 'addNote', text: [...lines, notification.content].join('\n\n') })
  }
  const priority = raise ? wanted : ticket.priority
  const view: TicketView = { opened: true, status: 'open', priority, firing: digest }
  return { state: { alerts, ticket: view }, actions }
}

/** The records after a notification, ended alerts past retention forgotten. */
export function mergeAll(
  previous: Map<string, AlertRecord>,
  notification: AlertNotification,
  now: number,
): Map<string, AlertRecord> {
  const alerts = new Map(previous)
  for (const report of notification.alerts) {
    alerts.set(report.id, mergeAlert(alerts.get(report.id), report, notification))
  }
  for (const [id, record] of alerts) {
    // Bridge time, not the sender's clock: a skewed sender cannot age out live records.
    if (record.status === 'resolved' && now - record.at > ENDED_ALERT_RETENTION_MS)
      alerts.delete(id)
  }
  return alerts
}

/**
 * Every alert ended: note and resolve an open (or uncertain) ticket; nothing without one. A
 * ticket that already reported an empty firing set was noted resolved before (its status
 * change's outcome unknown, or not made yet): it is only set again, so a sender's repeat of
 * the resolve never notes it twice.
 */
function closing(
  state: AlertGroupState,
  alerts: Map<string, AlertRecord>,
  content: string,
): { state: AlertGroupState; actions: AlertAction[] } {
  const { ticket } = state
  if (!ticket.opened || ticket.status === 'resolved')
    return { state: { alerts, ticket }, actions: [] }
  const ended = firingDigest([])
  const note = `Resolved: every alert of the group has ended.\n\n${content}`
  const actions: AlertAction[] = [
    ...(ticket.firing === ended ? [] : [{ type: 'addNote' as const, text: note }]),
    { type: 'setStatus', status: 'resolved' },
  ]
  return { state: { alerts, ticket: { ...ticket, status: 'resolved', firing: ended } }, actions }
}

/**
 * Grafana's Test button: the ticket says it is a test and is resolved at once; the test
 * alert leaves no firing record behind. A test sent as resolved opens nothing.
 */
function decideTest(
  state: AlertGroupState,
  merged: Map<string, AlertRecord>,
  notification: AlertNotification,
): { state: AlertGroupState; actions: AlertAction[] } {
  const alerts = new Map([...merged].filter(([, r]) => r.status !== 'firing'))
  const fires = notification.alerts.some((a) => a.status === 'firing')
  if (!fires) return { state: { alerts, ticket: state.ticket }, actions: [] }
  const text = `This is a test notification: nothing is wrong.\n\n${notification.content}`
  const actions: AlertAction[] = state.ticket.opened
    ? [{ type: 'addNote', text }]
    : [{ type: 'createTicket', priority: notification.defaultPriority, content: text }]
  actions.push({ type: 'setStatus', status: 'resolved' })
  return {
    state: { alerts, ticket: { ...state.ticket, opened: true, status: 'resolved' } },
    actions,
  }
}

function reopenLine(before: Map<string, AlertRecord>, firing: [string, AlertRecord][]): string {
  const again = firing.filter(([id]) => before.get(id)?.status === 'resolved').length
  const count = again > 0 ? again : firing.length
  return `Reopened: ${count} alert${count === 1 ? '' : 's'} firing again.`
}

/** The highest priority given; undefined when none is. */
export function highest(priorities: (Priority | undefined)[]): Priority | undefined {
  let best: Priority | undefined
  for (const p of priorities) if (p && (!best || RANK[p] > RANK[best])) best = p
  return best
}

/** FNV-1a over the sorted ids: a short, stable name for the firing set. */
export function firingDigest(ids: string[]): string {
  let hash = 0x811c9dc5
  for (const id of [...ids].sort()) {
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193)
    hash = Math.imul(hash ^ 0x0a, 0x01000193)
  }
  return `${ids.length}:${(hash >>> 0).toString(16)}`
}
