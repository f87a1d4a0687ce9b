import { plainLabel, visibleLabel } from '../content/render'
import type {
  AttachmentRef,
  ContentFormat,
  OpenEvent,
  TicketEvent,
  TicketOptions,
} from '../ticket-event'
import { UdeskError, type CreateTicketInput, type CustomerLookup } from '../udesk/client'
import { udeskStatusId } from '../udesk/status'
import { followUpCommand } from '../slack/command-follow-up'
import { slackProfileEnricher } from '../slack/slack-profile'
import { ensureCustomer, forgetCustomer } from './customers'
import { deleteFiles, uploadAttachments, uploadForReply, type EventRef } from './attachments'
import { createTicketOnce } from './create-once'
import { findReplyByReference, withReference } from './reference'
import { runStep, type ApplyContext } from './steps'
import type { ThreadRef } from './two-way-hooks'

/** What Udesk answers when a ticket names a customer it does not have. */
const NO_SUCH_CUSTOMER = 'Sorry, no such customer. Please create a customer first'

/** Open, reply and resolve (alerts are `applyAlert`'s). Throws when a Udesk call fails. */
export async function applyTicketEvent(ctx: ApplyContext, event: TicketEvent): Promise<void> {
  const { ticketId } = ctx.store.state
  if (event.type === 'open') {
    // An open that made the ticket and then failed (an upload) finishes opening on its retry.
    if (ticketId === undefined || createdBy(ctx, event.id)) return openTicket(ctx, event)
    return addReply(ctx, event, event.content, event.attachments)
  }
  if (ticketId === undefined) throw new Error(`event ${event.id} needs a ticket`)
  if (event.type === 'reply') return addReply(ctx, event, event.content, event.attachments)
  if (event.type === 'resolve') {
    if (event.content) await addReply(ctx, event, event.content)
    return setStatus(ctx, event, 'resolved')
  }
  throw new Error(`unexpected ${event.type} event ${event.id}`)
}

function createdBy(ctx: ApplyContext, eventId: string): boolean {
  return ctx.store.step(eventId, 'create_ticket')?.status === 'done'
}

async function openTicket(ctx: ApplyContext, event: OpenEvent): Promise<void> {
  if (!createdBy(ctx, event.id)) await createWithCustomer(ctx, event)
  // Again on a retry after the create: starting a watch twice changes nothing.
  const { ticketId } = ctx.store.state
  if (ticketId !== undefined) await ctx.twoWay?.ticketOpened(event, ticketId)
  await uploadAttachments(ctx, event, event.attachments ?? [])
  await followUpCommand(ctx, event)
}

async function createWithCustomer(ctx: ApplyContext, event: OpenEvent): Promise<void> {
  const enrich = slackProfileEnricher(ctx.slack, ctx.config, event.source)
  let customer = await ensureCustomer(ctx.client, ctx.kv, event.customer, enrich)
  try {
    await createTicket(ctx, event.id, ticketInput(ctx, event, customer))
  } catch (err) {
    if (!customer || !isNoSuchCustomer(err)) throw err
    // The cached customer is gone from Udesk: look it up (or create it) again, once.
    await forgetCustomer(ctx.kv, customer)
    customer = await ensureCustomer(ctx.client, ctx.kv, event.customer, enrich)
    await createTicket(ctx, event.id, ticketInput(ctx, event, customer))
  }
}

function isNoSuchCustomer(err: unknown): boolean {
  return err instanceof UdeskError && err.udeskMessage === NO_SUCH_CUSTOMER
}

/** The subject of a ticket whose sender's subject has nothing visible (only control characters). */
export const NO_SUBJECT = '(no subject)'

export function ticketInput(
  ctx: ApplyContext,
  event: {
    id: string
    subject: string
    content: string
    format?: ContentFormat
    preface?: string
    ticket?: TicketOptions
  },
  customer: CustomerLookup | undefined,
): CreateTicketInput {
  const options = event.ticket ?? {}
  const fields: Record<string, string> = {}
  for (const [name, value] of Object.entries(options.fields ?? {})) {
    fields[name] = plainLabel(Array.isArray(value) ? value.join(',') : value)
  }
  const referenceField = ctx.config.UDESK_REFERENCE_FIELD
  if (referenceField) fields[referenceField] = event.id
  return {
    subject: visibleLabel(event.subject) ?? NO_SUBJECT,
    content: withReference(opening(event), event.id, event.format),
    customer,
    priority: options.priority,
    tags: visibleTags(options.tags),
    templateId: options.templateId,
    agentGroupName: options.agentGroup,
    assigneeEmail: options.assigneeEmail,
    fields: Object.keys(fields).length > 0 ? fields : undefined,
  }
}

/**
 * Tags as Udesk shows them, unescaped like a name: cleaned by `visibleLabel`, the blank ones
 * dropped, `undefined` when none is left.
 */
function visibleTags(tags: string[] | undefined): string[] | undefined {
  const kept = (tags ?? []).flatMap((tag) => visibleLabel(tag) ?? [])
  return kept.length > 0 ? kept : undefined
}

/** The content a ticket opens with: the preface (if any), a blank line, the sender's text. */
function opening(event: { content: string; preface?: string }): string {
  return event.preface ? `${event.preface}\n\n${event.content}` : event.content
}

/** POST /tickets once per thread: see `createTicketOnce` (a lost answer is looked up first). */
export function createTicket(
  ctx: ApplyContext,
  eventId: string,
  input: CreateTicketInput,
): Promise<number> {
  return createTicketOnce(ctx, eventId, input)
}

/** A customer reply when the ticket has a customer, else an internal note. */
export async function addReply(
  ctx: ApplyContext,
  event: EventRef & ThreadRef & { format?: ContentFormat },
  content: string,
  attachments: AttachmentRef[] = [],
  as: 'thread' | 'note' = 'thread',
): Promise<void> {
  const eventId = event.id
  const { ticketId, customer } = ctx.store.state
  if (ticketId === undefined) throw new Error(`event ${eventId} needs a ticket`)
  const attachmentIds = await uploadForReply(ctx, event, ticketId, attachments)
  const text = withReference(content, eventId, event.format)
  const written = await runStep(ctx, eventId, as === 'note' ? 'note' : 'reply', {
    run: async () => {
      const reply =
        customer && as === 'thread'
          ? await ctx.client.customerReply({
              id: ticketId,
              content: text,
              contentType: 'html',
              attachmentIds,
            })
          : await ctx.client.agentReply({
              id: ticketId,
              content: text,
              functionType: 'internal',
              agentId: ctx.config.UDESK_AGENT_ID,
              attachmentIds,
            })
      return { replyId: reply.id ?? null }
    },
    check: async () => {
      const found = await findReplyByReference(ctx.client, ticketId, eventId)
      return found && { replyId: found.id ?? null }
    },
  })
  await ctx.twoWay?.bridgeReply(event, written.replyId, as === 'thread')
  await deleteFiles(ctx, attachments)
}

/** PUT status: idempotent, so a lost answer is simply repeated. */
export async function setStatus(
  ctx: ApplyContext,
  event: { id: string } & ThreadRef,
  status: 'open' | 'resolved',
): Promise<void> {
  const { ticketId, subject } = ctx.store.state
  const eventId = event.id
  if (ticketId === undefined) throw new Error(`event ${eventId} needs a ticket`)
  if (ctx.store.step(eventId, `status_${status}`)?.status !== 'done') {
    await ctx.twoWay?.bridgeStatus(event, status)
  }
  await runStep(ctx, eventId, `status_${status}`, {
    run: async () => {
      await ctx.client.updateTicket(ticketId, { subject, statusId: udeskStatusId(status) })
      return status
    },
    patch: () => ({ status }),
  })
}
