import type { AlertEvent } from '../ticket-event'
import { addReply, createTicket, setStatus, ticketInput } from './apply-event'
import type { ApplyContext } from './steps'

/**
 * DESIGN.md "Alerts". An alert event carries the group's whole current state, so the thread
 * compares it with the last state it applied: firing opens the ticket; repeats add nothing; a
 * changed set of firing alerts adds one internal note; resolved adds a note and resolves;
 * firing again after that reopens with a note.
 */
export async function applyAlert(ctx: ApplyContext, event: AlertEvent): Promise<void> {
  const { ticketId, alert: previous } = ctx.store.state
  const keys = firingKeys(event)
  if (ticketId === undefined) {
    // A group that resolved before we ever saw it firing is not worth a ticket.
    if (event.status === 'firing') {
      await createTicket(ctx, event.id, ticketInput(ctx, event, undefined))
    }
  } else if (event.status === 'firing') {
    if (previous?.status === 'resolved') {
      await setStatus(ctx, event.id, 'open')
      await addReply(ctx, event, event.content, [], 'note')
    } else if (!previous || !sameKeys(previous.keys, keys)) {
      await addReply(ctx, event, event.content, [], 'note')
    }
  } else if (previous?.status !== 'resolved') {
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
