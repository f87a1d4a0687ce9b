import { UdeskError, type CreateTicketInput } from '../udesk/client'
import { findTicketByReference } from './reference'
import type { ApplyContext } from './steps'
import { nextOpenerStep, type UncertainCreate } from './uncertain-create'

export const CREATE_STEP = 'create_ticket'

/** Udesk's answer when a ticket search names a customer it does not have. */
const NO_SUCH_CUSTOMER = 'Sorry, no such customer. Please create a customer first'

/**
 * Looks up every create of unknown outcome the thread remembers, oldest first, until one is
 * found (its ticket becomes the thread's) or all are certainly absent. Throws when a look-up
 * fails; the doubts stay in the thread state for the next try, however long that takes.
 */
export async function settleUncertainCreates(ctx: ApplyContext): Promise<void> {
  for (;;) {
    const step = nextOpenerStep(ctx.store.state)
    if (step.kind !== 'look_up') return
    const found = await lookUp(ctx, step.create)
    ctx.store.settleLookUp(step.create, found === undefined ? { absent: true } : { found })
  }
}

/**
 * The ticket carrying the create's reference, if any. A customer Udesk does not know has no
 * tickets (a replayed opener whose customer was never created): certainly absent.
 */
async function lookUp(ctx: ApplyContext, create: UncertainCreate): Promise<number | undefined> {
  const search = { eventId: create.ref, referenceField: ctx.config.UDESK_REFERENCE_FIELD }
  try {
    return await findTicketByReference(ctx.client, { ...search, customer: create.customer })
  } catch (err) {
    if (err instanceof UdeskError && err.udeskMessage === NO_SUCH_CUSTOMER) return undefined
    throw err
  }
}

/**
 * `POST /tickets` for the event at most once per ticket the thread can have: doubts are
 * settled first, then the intent ("a ticket may exist with this reference") is stored in the
 * thread state before the call and replaced by the ticket after it. Only a certain refusal
 * removes it. Returns the thread's ticket (the one created, or one a look-up adopted).
 */
export async function createTicketOnce(
  ctx: ApplyContext,
  eventId: string,
  input: CreateTicketInput,
): Promise<number> {
  const previous = ctx.store.step(eventId, CREATE_STEP)
  if (previous?.status === 'done') return previous.result as number
  const create: UncertainCreate = {
    ref: eventId,
    subject: input.subject,
    customer: input.customer,
    since: Date.now(),
  }
  // An intent left by an older version of the bridge: the same doubt, kept in the thread now.
  if (previous?.status === 'started') {
    ctx.store.beginCreate(create)
    ctx.store.dropStep(eventId, CREATE_STEP)
  }
  await settleUncertainCreates(ctx)
  const step = nextOpenerStep(ctx.store.state)
  if (step.kind === 'has_ticket') return step.ticketId
  ctx.store.beginCreate(create)
  let ticketId: number
  try {
    ticketId = (await ctx.client.createTicket(input)).ticketId
  } catch (err) {
    // Udesk certainly did not apply it (a refusal, a 429, our own rate limit): no doubt left.
    if (err instanceof UdeskError && !err.outcomeUnknown) ctx.store.dropCreate(eventId)
    throw err
  }
  ctx.store.endCreate(eventId, ticketId, {
    subject: input.subject,
    customer: input.customer,
    status: 'open',
  })
  return ticketId
}
