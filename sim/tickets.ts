import type { Hono } from 'hono'
import { AGENT_GROUPS, TEMPLATES, findAgent } from './catalog'
import { type SimEnv, isBlank, jsonBody, originOf, pageParams, ticketByIdOrNum } from './context'
import { SUCCESS, fail } from './errors'
import { paginate, ticketDetail } from './format'
import type { SimInstance, Ticket } from './state'
import {
  CUSTOMER_TYPES,
  customFields,
  findCustomer,
  followerIds,
  idInRange,
  isEmail,
  parseTags,
  priorityIdFromName,
  tooLong,
} from './ticket-rules'

type Input = Record<string, unknown>

export function registerTicketRoutes(api: Hono<SimEnv>): void {
  api.post('/tickets', (c) => {
    const ticket = createTicket(c.get('sim'), jsonBody(c)?.ticket)
    return c.json({ code: SUCCESS, message: 'ticket create success', ticket_id: ticket.id })
  })

  api.get('/tickets/detail', (c) => {
    const sim = c.get('sim')
    const ticket = ticketByIdOrNum(sim, c.req.query('id'), c.req.query('num'))
    return c.json({
      code: SUCCESS,
      message: 'success',
      ticket: ticketDetail(sim, ticket, originOf(c)),
    })
  })

  api.delete('/tickets/destroy_ticket', (c) => {
    const sim = c.get('sim')
    const ticket = ticketByIdOrNum(sim, c.req.query('id'), c.req.query('num'))
    sim.tickets.delete(ticket.id)
    return c.json({ code: SUCCESS, message: 'success' })
  })

  api.get('/tickets', (c) => {
    const sim = c.get('sim')
    const tickets = ticketsOfCustomer(sim, c.req.query('type'), c.req.query('content'))
    const { page, perPage } = pageParams(c, { min: 1, max: 100 })
    const { slice, meta } = paginate(tickets, page, perPage)
    const contents = slice.map((t) => ({ ticket: ticketDetail(sim, t, originOf(c)) }))
    return c.json({
      code: SUCCESS,
      message: 'success',
      total_pages: meta.total_pages,
      contents,
      meta,
    })
  })
}

/** GET /tickets lists every ticket, oldest first as in the reference, or one customer's. */
function ticketsOfCustomer(sim: SimInstance, type?: string, content?: string): Ticket[] {
  const all = [...sim.tickets.values()]
  if (isBlank(type) && isBlank(content)) return all
  const customer = customerFor(sim, type, content)
  return all.filter((t) => t.customerId === customer.id)
}

function customerFor(sim: SimInstance, type: unknown, content: unknown) {
  const known = (CUSTOMER_TYPES as readonly unknown[]).includes(type)
  const customer =
    known && !isBlank(content) ? findCustomer(sim, String(type), String(content)) : undefined
  if (!customer) throw fail('noSuchCustomer')
  return customer
}

function createTicket(sim: SimInstance, input: unknown): Ticket {
  if (typeof input !== 'object' || input === null || Object.keys(input).length === 0) {
    throw fail('ticketObjectEmpty')
  }
  const t = input as Input
  if (isBlank(t.subject)) throw fail('subjectEmpty')
  if (isBlank(t.content)) throw fail('contentEmpty')
  for (const field of [
    'subject',
    'type_content',
    'assignee_email',
    'agent_group_name',
    'creator_email',
  ]) {
    const error = tooLong(field, t[field])
    if (error) throw error
  }
  const customer =
    isBlank(t.type) && isBlank(t.type_content) ? null : customerFor(sim, t.type, t.type_content)
  const priorityId = priorityIdFromName(t.priority)
  const statusId = idInRange(t.status_id, fail('statusError')) ?? 1
  const { assigneeId, groupId } = assignment(sim, t)
  const creatorId = creatorOf(sim, t.creator_email)
  const followers = followerIds(sim, t.follower_ids) ?? []
  const fields = customFields(t.ticket_field) ?? {}
  const now = sim.now()
  const ticket: Ticket = {
    id: sim.next('ticket'),
    num: `#${sim.next('num')}`,
    subject: String(t.subject),
    content: String(t.content),
    customerId: customer?.id ?? null,
    assigneeId,
    groupId,
    // "use default template if no value is passed or an incorrect value is passed"
    templateId: TEMPLATES.find((tpl) => tpl.id === Number(t.template_id))?.id ?? 1,
    priorityId,
    statusId,
    customFields: fields,
    tags: parseTags(t.tags) ?? [],
    followerIds: followers,
    creatorId,
    createdAt: now,
    updatedAt: now,
    solvingAt: statusId === 4 ? now : null,
    resolvedAt: statusId === 2 ? now : null,
    closedAt: statusId === 3 ? now : null,
    repliedAt: null,
    agentRepliedAt: null,
    customerRepliedAt: null,
    repliedBy: null,
    satisfaction: null,
    attachments: [],
    replyUploads: [],
    replies: [],
    changeLogs: [],
  }
  sim.tickets.set(ticket.id, ticket)
  return ticket
}

function assignment(sim: SimInstance, t: Input) {
  let assigneeId: number | null = null
  let groupId: number | null = null
  if (!isBlank(t.assignee_email)) {
    if (!isEmail(t.assignee_email)) throw fail('assigneeEmailError')
    const agent = findAgent(sim, { email: t.assignee_email })
    if (!agent) throw fail('assigneeNotFound')
    assigneeId = agent.id
  }
  if (!isBlank(t.agent_group_name)) {
    const group = AGENT_GROUPS.find((g) => g.name === t.agent_group_name)
    if (!group) throw fail('groupNotFound')
    if (assigneeId !== null && !findAgent(sim, { id: assigneeId })?.groupIds.includes(group.id)) {
      throw fail('assigneeNotInGroup')
    }
    groupId = group.id
  }
  return { assigneeId, groupId }
}

function creatorOf(sim: SimInstance, email: unknown): number {
  if (isBlank(email)) return 1
  if (!isEmail(email)) throw fail('creatorEmailError')
  const agent = findAgent(sim, { email })
  if (!agent) throw fail('creatorNotFound')
  return agent.id
}
