import { decideAlertGroup, mergeAll, type AlertAction } from '../alerts/decide-alert-group'
import type { AlertTicketMarks, PendingDecision } from '../alerts/group-store'
import type { AlertEvent, Priority } from '../ticket-event'
import { addReply, createTicket, setStatus, ticketInput } from './apply-event'
import { CREATE_STEP } from './create-once'
import { findReplyByReference } from './reference'
import { runStep, type ApplyContext } from './steps'

/** The default HA window (Alertmanager's `peer_timeout` is 15 s; a resolve may race longer). */
export const DEFAULT_HA_WINDOW_SECONDS = 60

/**
 * docs/design.md, Alerts: decide, then act. The group's state (`decideAlertGroup`'s input) is
 * stored with the decision before any Udesk call, so a retry of the same event carries out the
 * same actions (each step exactly once), and a decision abandoned halfway (its event superseded
 * or given up) is decided again by the next event, from the marks it left (`marksLeftBy`).
 */
export async function applyAlert(ctx: ApplyContext, event: AlertEvent): Promise<void> {
  const groups = ctx.alerts
  let pending = groups.group.pending
  if (pending?.eventId !== event.id) {
    const records = groups.records()
    const marks = pending ? await marksLeftBy(ctx, pending, groups.group.marks) : groups.group.marks
    const thread = ctx.store.state
    const ticket = { opened: thread.ticketId !== undefined, status: thread.status, ...marks }
    const notification = notificationOf(ctx, event)
    const decided = decideAlertGroup({ alerts: records, ticket }, notification, Date.now())
    pending = { eventId: event.id, actions: decided.actions, before: marks }
    const { priority, firing } = decided.state.ticket
    groups.save(records, decided.state.alerts, { marks: { priority, firing }, pending })
  }
  await perform(ctx, event, pending)
  groups.finish()
}

/**
 * The marks a decision abandoned halfway (superseded or given up) leaves, for the next decision
 * to start from. A status change of unknown outcome is forgotten first, so the next decision
 * sets the status again. Its own marks (`decided`) once every action is done, or once its note
 * is in the ticket: a note comes after its other actions but a resolve's status, which the
 * next decision sets again from the thread's status. Else those from before it; but when it
 * changed the status without its note, the ticket no longer shows what it last reported, so
 * the next decision notes it (`firing` unset). A note whose outcome is unknown is looked up by
 * its event's reference: a sender's repeat of a resolve must not note it twice, nor a lost
 * note stay lost.
 */
async function marksLeftBy(
  ctx: ApplyContext,
  pending: PendingDecision,
  decided: AlertTicketMarks,
): Promise<AlertTicketMarks> {
  forgetUncertainStatus(ctx, pending.eventId)
  const allDone = pending.actions.every(
    (action) => ctx.store.step(pending.eventId, stepOf(action))?.status === 'done',
  )
  if (allDone || (await noteWritten(ctx, pending))) return decided
  const done = (step: string) => ctx.store.step(pending.eventId, step)?.status === 'done'
  const moved = done('status_open') || done('status_resolved')
  return moved ? { ...pending.before, firing: undefined } : pending.before
}

/** The step (src/delivery/steps.ts) an action's Udesk write is recorded under. */
function stepOf(action: AlertAction): string {
  switch (action.type) {
    case 'createTicket':
      return CREATE_STEP
    case 'addNote':
      return 'note'
    case 'setStatus':
      return `status_${action.status}`
    case 'setPriority':
      return 'priority'
  }
}

async function noteWritten(ctx: ApplyContext, pending: PendingDecision): Promise<boolean> {
  const step = ctx.store.step(pending.eventId, 'note')?.status
  const { ticketId } = ctx.store.state
  if (step === undefined || ticketId === undefined) return false
  if (step === 'done') return true
  return (await findReplyByReference(ctx.client, ticketId, pending.eventId)) !== undefined
}

/**
 * An alert event superseded by a newer one of its thread still tells the state of its alerts
 * (another cluster's, an HA peer's): merged without any Udesk call; the newer event acts.
 */
export function mergeSupersededAlert(ctx: ApplyContext, event: AlertEvent): void {
  const groups = ctx.alerts
  const records = groups.records()
  const merged = mergeAll(records, notificationOf(ctx, event), Date.now())
  groups.save(records, merged, groups.group)
}

function notificationOf(ctx: ApplyContext, event: AlertEvent) {
  const sources = ctx.config.SOURCES
  const source = Object.hasOwn(sources, event.source) ? sources[event.source] : undefined
  const kind = source?.kind
  const windowS =
    kind === 'alertmanager' || kind === 'grafana' ? source!.haWindowSeconds : undefined
  return {
    alerts: event.alerts,
    sender: event.sender,
    receivedAt: event.receivedAt,
    haWindowMs: (windowS ?? DEFAULT_HA_WINDOW_SECONDS) * 1000,
    content: event.content,
    defaultPriority: event.ticket?.priority,
    test: event.test,
  }
}

async function perform(ctx: ApplyContext, event: AlertEvent, pending: PendingDecision) {
  for (const action of pending.actions) await performAction(ctx, event, action)
}

async function performAction(ctx: ApplyContext, event: AlertEvent, action: AlertAction) {
  switch (action.type) {
    case 'createTicket': {
      const ticket = { ...event.ticket, priority: action.priority }
      const input = ticketInput(ctx, { ...event, content: action.content, ticket }, undefined)
      return void (await createTicket(ctx, event.id, input))
    }
    case 'addNote':
      return addReply(ctx, event, action.text, [], 'note')
    case 'setStatus':
      return setStatus(ctx, event, action.status)
    case 'setPriority':
      return setPriority(ctx, event.id, action.priority)
  }
}

/** PUT priority_id: idempotent, so a lost answer is simply repeated. */
async function setPriority(ctx: ApplyContext, eventId: string, priority: Priority) {
  const { ticketId, subject } = ctx.store.state
  if (ticketId === undefined) throw new Error(`event ${eventId} needs a ticket`)
  await runStep(ctx, eventId, 'priority', {
    run: async () => {
      await ctx.client.updateTicket(ticketId, { subject, priority })
      return priority
    },
  })
}

/**
 * An alert event superseded or given up after it began a status change whose outcome is
 * unknown: the ticket's status is no longer known, so the next alert event sets it either way.
 */
export function forgetUncertainStatus(ctx: ApplyContext, eventId: string): void {
  const started = (step: string) => ctx.store.step(eventId, step)?.status === 'started'
  if (started('status_open') || started('status_resolved'))
    ctx.store.setState({ status: undefined })
}
