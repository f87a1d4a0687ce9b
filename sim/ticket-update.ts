import type { Hono } from 'hono'
import { AGENT_GROUPS, PRIORITIES, STATUSES, TEMPLATES, findAgent } from './catalog'
import { type SimEnv, intValue, isBlank, jsonBody, originOf } from './context'
import { SUCCESS, fail, failUpdate } from './errors'
import { ticketAfterUpdate } from './format'
import type { Change, SimInstance, Ticket } from './state'
import {
  CUSTOMER_TYPES,
  customFields,
  findCustomer,
  followerIds,
  idInRange,
  parseTags,
  tooLong,
} from './ticket-rules'

type Input = Record<string, unknown>

export function registerTicketUpdateRoute(api: Hono<SimEnv>): void {
  api.put('/tickets/:id', (c) => {
    const sim = c.get('sim')
    const id = c.req.param('id')
    const ticketId = intValue(id)
    const ticket = typeof ticketId === 'number' ? sim.tickets.get(ticketId) : undefined
    if (!ticket) {
      throw fail('notFound', `Couldn't find Ticket with id=${id} [WHERE tickets.company_id = ?]`)
    }
    const body = jsonBody(c) ?? {}
    const customerId = customerFromIdentifier(sim, body.customer_id_type, body.customer_id_value)
    if (typeof body.ticket !== 'object' || body.ticket === null || Array.isArray(body.ticket)) {
      throw failUpdate('param is missing or the value is empty: ticket')
    }
    updateTicket(sim, ticket, body.ticket as Input, customerId)
    return c.json({ code: SUCCESS, ticket: ticketAfterUpdate(sim, ticket, originOf(c)) })
  })
}

/** Validates and applies an update, logging its changes as made by `authorId` (the inbox too). */
export function updateTicket(
  sim: SimInstance,
  ticket: Ticket,
  update: Input,
  customerId?: number,
  authorId = 1,
): void {
  const changes = applyUpdate(sim, ticket, update, customerId)
  if (changes.length === 0) return
  ticket.updatedAt = sim.now()
  ticket.changeLogs.push({ id: sim.next('log'), createdAt: sim.now(), authorId, changes })
}

/** customer_id_type / customer_id_value: both or neither (40001), a known type (40002). */
function customerFromIdentifier(sim: SimInstance, type: unknown, value: unknown) {
  if (isBlank(type) !== isBlank(value)) throw fail('customerIdPair')
  if (isBlank(type)) return undefined
  if (!(CUSTOMER_TYPES as readonly unknown[]).includes(type)) throw fail('customerIdType')
  const customer = findCustomer(sim, String(type), String(value))
  if (!customer) throw fail('customerIdNotFound')
  return customer.id
}

/** Validates everything first, then applies; returns the change log entries. */
function applyUpdate(sim: SimInstance, ticket: Ticket, t: Input, customerId?: number): Change[] {
  if ('subject' in t && isBlank(t.subject)) throw failUpdate('Title is required')
  const long = tooLong('subject', t.subject)
  if (long) throw long
  const next: Partial<Ticket> = {
    subject: t.subject === undefined ? undefined : String(t.subject),
    content: t.content === undefined ? undefined : String(t.content),
    statusId: idInRange(t.status_id, failUpdate('Status is incorrect')),
    priorityId: idInRange(t.priority_id, failUpdate('Priority is incorrect')),
    templateId: templateOf(t.template_id),
    tags: parseTags(t.tags),
    followerIds: followerIds(sim, t.follower_ids),
    customerId,
    ...assignment(sim, ticket, t),
  }
  const fields = customFields(t.custom_fields)
  const changes = diff(sim, ticket, next)
  Object.assign(ticket, definedOnly(next))
  if (next.statusId !== undefined) stampStatus(sim, ticket)
  if (fields) changes.push(...mergeCustomFields(ticket, fields))
  return changes
}

function templateOf(value: unknown): number | undefined {
  const id = intValue(value)
  if (id === undefined) return undefined
  if (!TEMPLATES.some((tpl) => tpl.id === id)) {
    throw failUpdate('Validation failed: Template "tickettemplate" does not exist')
  }
  return id as number
}

/** agent_id and agent_group_id must agree: the agent has to belong to the group. */
function assignment(sim: SimInstance, ticket: Ticket, t: Input) {
  const agentId = intValue(t.agent_id)
  const groupId = intValue(t.agent_group_id)
  if (agentId === 'invalid' || (agentId && !findAgent(sim, { id: agentId }))) {
    throw failUpdate('Unable to find agent')
  }
  const group = typeof groupId === 'number' ? AGENT_GROUPS.find((g) => g.id === groupId) : null
  if (groupId === 'invalid' || group === undefined) {
    throw failUpdate('The responsible group for the ticket owner is incorrect.')
  }
  const finalAgent = agentId ?? ticket.assigneeId
  const finalGroup = group?.id ?? ticket.groupId
  if (finalAgent !== null && finalGroup !== null) {
    if (!findAgent(sim, { id: finalAgent })?.groupIds.includes(finalGroup)) {
      throw failUpdate('The responsible group for the ticket owner is incorrect.')
    }
  }
  return { assigneeId: agentId, groupId: group?.id }
}

function stampStatus(sim: SimInstance, ticket: Ticket): void {
  const now = sim.now()
  if (ticket.statusId === 4) ticket.solvingAt = now
  if (ticket.statusId === 2) ticket.resolvedAt = now
  if (ticket.statusId === 3) ticket.closedAt = now
  if (ticket.statusId === 1) {
    ticket.resolvedAt = null
    ticket.closedAt = null
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

const LABELS: Record<string, [string, string, (sim: SimInstance, v: unknown) => string | null]> = {
  subject: ['subject', 'Title', (_, v) => String(v)],
  content: ['content', 'Content', (_, v) => String(v)],
  statusId: ['status_id', 'Status', (_, v) => STATUSES[Number(v) - 1] ?? null],
  priorityId: ['priority_id', 'Priority', (_, v) => PRIORITIES[Number(v) - 1] ?? null],
  templateId: [
    'template_id',
    'Template',
    (_, v) => TEMPLATES.find((t) => t.id === v)?.name ?? null,
  ],
  tags: ['tags', 'Tags', (_, v) => (v as string[]).join(',')],
  followerIds: ['follower_ids', 'Followers', (sim, v) => names(sim, v as number[])],
  customerId: ['user_id', 'Customer', (sim, v) => sim.customers.get(Number(v))?.nickName ?? null],
  assigneeId: ['assignee_id', 'Assignee', (sim, v) => names(sim, [Number(v)])],
  groupId: [
    'user_group_id',
    'Agent Group',
    (_, v) => AGENT_GROUPS.find((g) => g.id === v)?.name ?? null,
  ],
}

function names(sim: SimInstance, ids: number[]): string {
  return ids.map((id) => findAgent(sim, { id })?.nickName ?? String(id)).join(',')
}

function diff(sim: SimInstance, ticket: Ticket, next: Partial<Ticket>): Change[] {
  const changes: Change[] = []
  for (const [key, [field, fieldName, show]] of Object.entries(LABELS)) {
    const after = next[key as keyof Ticket]
    const before = ticket[key as keyof Ticket]
    if (after === undefined || JSON.stringify(after) === JSON.stringify(before)) continue
    const shown = (v: unknown) => (v === null ? null : show(sim, v))
    changes.push({
      field,
      fieldName,
      fieldType: 'static',
      oldValue: shown(before),
      newValue: shown(after),
    })
  }
  return changes
}

function mergeCustomFields(ticket: Ticket, fields: Record<string, unknown>): Change[] {
  const changes: Change[] = []
  for (const [name, value] of Object.entries(fields)) {
    const before = ticket.customFields[name]
    if (JSON.stringify(before) === JSON.stringify(value)) continue
    const text = (v: unknown) =>
      v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v)
    changes.push({
      field: name,
      fieldName: name,
      fieldType: 'custom',
      oldValue: text(before),
      newValue: text(value),
    })
    ticket.customFields[name] = value
  }
  return changes
}
