/** Notifications for decideAlertGroup's unit tests, and a runner feeding them in order. */
import {
  decideAlertGroup,
  type AlertAction,
  type AlertGroupState,
  type AlertNotification,
} from '../../src/alerts/decide-alert-group'
import type { AlertReport } from '../../src/alerts/merge-alert'

export const S = Date.UTC(2024, 4, 14, 9, 21) // the alert's startsAt
export const E = S + 10 * 60_000 // its endsAt
export const PEER_A = 'http://am-0:9093'
export const PEER_B = 'http://am-1:9093'

const empty = (): AlertGroupState => ({ alerts: new Map(), ticket: { opened: false } })

export function firing(id: string, at: number, sender = PEER_A, extra: Partial<AlertReport> = {}) {
  return note([{ id, status: 'firing', startsAt: S, ...extra }], at, sender)
}
export function resolved(id: string, at: number, sender = PEER_A, endsAt = E) {
  return note([{ id, status: 'resolved', startsAt: S, endsAt }], at, sender)
}
export function note(alerts: AlertReport[], receivedAt: number, sender: string): AlertNotification {
  return { alerts, receivedAt, sender, haWindowMs: 60_000, content: `${sender} at ${receivedAt}` }
}

/** Feeds the notifications in order, as the thread's coordinator does; all actions in order. */
export function run(notifications: AlertNotification[], state = empty()) {
  const actions: AlertAction[] = []
  for (const n of notifications) {
    const decided = decideAlertGroup(state, n, n.receivedAt)
    state = decided.state
    actions.push(...decided.actions)
  }
  return { state, actions, kinds: actions.map(kind) }
}
export const kind = (a: AlertAction) =>
  a.type === 'setStatus'
    ? `status:${a.status}`
    : a.type === 'setPriority'
      ? `priority:${a.priority}`
      : a.type
