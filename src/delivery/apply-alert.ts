import type { AlertEvent } from '../ticket-event'
import { addReply, createTicket, setStatus, ticketInput } from './apply-event'
import type { ApplyContext } from './steps'

/**
 * DESIGN.md "Alerts". An alert event carries the group's whole current state. Whether to reopen
 * or resolve is decided by the ticket's own status (saved with each status change, even by an
 * alert event that later failed halfway and was superseded), so Udesk always ends in the newest
 * alert's state; the last applied alert state only decides whether the firing set changed
 * (one internal note). Firing opens the ticket; repeats add nothing; resolved adds a note and
 * resolves; firing again after that reopens with a note.
 */
export async function applyAlert(ctx: ApplyContext, event: AlertEvent): Promise<void> {
  const { ticketId, alert: previous, status } = ctx.store.state
  const keys = firingKeys(event)
  // A ticket a look-up found carrying this event's reference was made by this event.
  const createdHere = ctx.store.step(event.id, 'create_ticket')?.status === 'done'
  if (ticketId === undefined || createdHere) {
    // A group that resolved before we ever saw it firing is not worth a ticket.
    if (event.status === 'firing') {
      await createTicket(ctx, event.id, ticketInput(ctx, event, undefined))
    }
  } else if (event.status === 'firing') {
    // `status` is unset when a superseded event left a status change of unknown outcome.
    const reopen = status !== 'open'
    const changed = !previous || previous.status === 'resolved' || !sameKeys(previous.keys, keys)
    if (reopen) await setStatus(ctx, event.id, 'open')
    if (reopen || changed) await addReply(ctx, event, event.content, [], 'note')
  } else if (status !== 'resolved') {
    await addReply(ctx, event, event.content, [], 'note')
    await setStatus(ctx, event.id, 'resolved')
  }
  ctx.store.setState({ alert: { status: event.status, keys, receivedAt: event.receivedAt } })
}

export function firingKeys(event: AlertEvent): string[] {
  return event.alerts
    .filter((a) => a.status === 'firing')
    .map((a) => a.key)
    .sort()
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i])
}

/** Whether an alert event is older than the alert state the thread has already applied. */
export function isSupersededAlert(ctx: ApplyContext, event: AlertEvent): boolean {
  const applied = ctx.store.state.alert
  return applied !== undefined && event.receivedAt <= applied.receivedAt
}

/**
 * An alert event superseded after it began a status change whose outcome is unknown: the
 * ticket's status is no longer known, so the next alert event sets it either way.
 */
export function forgetUncertainStatus(ctx: ApplyContext, eventId: string): void {
  const started = (step: string) => ctx.store.step(eventId, step)?.status === 'started'
  if (started('status_open') || started('status_resolved'))
    ctx.store.setState({ status: undefined })
}
