import type { CustomerLookup } from '../udesk/inputs'

/**
 * "A ticket may exist with reference `ref`": a `POST /tickets` whose answer never came (a
 * timeout, a dropped connection, a 5xx after commit, the object reset mid-call), or a replayed
 * opener whose first life is unknown. It belongs to the thread, not to the event that sent it,
 * so it outlives that event's retries, its dead letter and any pruning.
 */
export interface UncertainCreate {
  /** The id of the event whose create it was: the reference the ticket would carry. */
  ref: string
  /** What the thread adopts with the ticket if it is found (Udesk wants it on updates). */
  subject: string
  customer?: CustomerLookup
  /** When the outcome became unknown (ms since the epoch). */
  since: number
}

/** The part of a thread's state these decisions read. */
export interface CreateState {
  ticketId?: number
  uncertainCreates?: UncertainCreate[]
}

/** What an opener on this thread must do before (or instead of) creating a ticket. */
export type OpenerStep =
  | { kind: 'has_ticket'; ticketId: number }
  /** Look this reference up first: found adopts its ticket, certainly absent forgets it. */
  | { kind: 'look_up'; create: UncertainCreate }
  | { kind: 'create' }

export type LookUpResult = { found: number } | { absent: true }

/**
 * DESIGN.md "Unknown outcome", for the whole thread: no opener creates anything while any
 * reference of an earlier create is unresolved. The oldest is looked up first.
 */
export function nextOpenerStep(state: CreateState): OpenerStep {
  if (state.ticketId !== undefined) return { kind: 'has_ticket', ticketId: state.ticketId }
  const [first] = state.uncertainCreates ?? []
  return first ? { kind: 'look_up', create: first } : { kind: 'create' }
}

/** Whether the thread waits on a create of unknown outcome (it has no ticket yet). */
export function isAwaitingCreate(state: CreateState): boolean {
  return state.ticketId === undefined && (state.uncertainCreates?.length ?? 0) > 0
}

/** The intent before a create is sent (or a replayed opener's doubt): one entry per ref. */
export function withUncertain(state: CreateState, create: UncertainCreate): CreateState {
  const others = (state.uncertainCreates ?? []).filter((c) => c.ref !== create.ref)
  return { uncertainCreates: [...others, create] }
}

/** A create whose outcome became known (made, or certainly refused): its doubt is gone. */
export function withoutUncertain(state: CreateState, ref: string): CreateState {
  const left = (state.uncertainCreates ?? []).filter((c) => c.ref !== ref)
  return { uncertainCreates: left.length > 0 ? left : undefined }
}

/**
 * After a look-up: a found ticket becomes the thread's (every other doubt is settled with it:
 * one thread, one ticket), a certainly absent one is forgotten and the next doubt is looked up.
 */
export function afterLookUp(
  state: CreateState,
  create: UncertainCreate,
  result: LookUpResult,
): CreateState & { subject?: string; customer?: CustomerLookup; status?: 'open' } {
  if ('absent' in result) return withoutUncertain(state, create.ref)
  return {
    ticketId: result.found,
    subject: create.subject,
    customer: create.customer,
    status: 'open',
    uncertainCreates: undefined,
  }
}
