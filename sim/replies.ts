import type { Hono } from 'hono'
import { findAgent } from './catalog'
import {
  type SimContext,
  type SimEnv,
  intValue,
  isBlank,
  jsonBody,
  originOf,
  pageParams,
  ticketByIdOrNum,
} from './context'
import { SUCCESS, UdeskFailure, fail } from './errors'
import { changeLogJson, paginate, replyJson } from './format'
import type { Reply, SimInstance, StoredFile, Ticket } from './state'

/** Reply uploads not used within two hours of the last upload are dropped (the reference). */
export const REPLY_UPLOAD_TTL_MS = 2 * 3600 * 1000
const MAX_CC = 10
// "If per_page is less than 20, it will still display 20 items" (replies and change logs).
const CLAMP = { min: 20, max: 100 }

type Input = Record<string, unknown>

export function registerReplyRoutes(api: Hono<SimEnv>): void {
  api.post('/tickets/agent_reply', replyRoute(agentReply))
  api.post('/tickets/customer_reply', replyRoute(customerReply))

  api.get('/tickets/:id/replies', (c) => {
    const sim = c.get('sim')
    const ticket = ticketFromPath(sim, c.req.param('id'))
    const { page, perPage } = pageParams(c, CLAMP)
    const { slice, meta } = paginate(ticket.replies, page, perPage)
    return c.json({
      code: SUCCESS,
      replies: slice.map((r) => replyJson(sim, r, originOf(c))),
      meta,
    })
  })

  api.get('/tickets/:id/change_logs', (c) => {
    const sim = c.get('sim')
    const ticket = ticketFromPath(sim, c.req.param('id'))
    const { page, perPage } = pageParams(c, CLAMP)
    const { slice, meta } = paginate(ticket.changeLogs, page, perPage)
    return c.json({ code: SUCCESS, meta, change_logs: slice.map((l) => changeLogJson(sim, l)) })
  })
}

/** agent_reply and customer_reply: find the ticket by id or num, add the reply, answer it. */
function replyRoute(addTo: (sim: SimInstance, ticket: Ticket, body: Input) => Reply) {
  return (c: SimContext) => {
    const sim = c.get('sim')
    const body = jsonBody(c) ?? {}
    const ticket = ticketByIdOrNum(sim, body.id, body.num)
    const reply = addTo(sim, ticket, body)
    return c.json({
      code: SUCCESS,
      data: { type: 'reply', data: replyJson(sim, reply, originOf(c)) },
    })
  }
}

function ticketFromPath(sim: SimInstance, id: string): Ticket {
  const ticketId = intValue(id)
  const ticket = typeof ticketId === 'number' ? sim.tickets.get(ticketId) : undefined
  if (!ticket)
    throw fail('notFound', `Couldn't find Ticket with id=${id} [WHERE tickets.company_id = ?]`)
  return ticket
}

/** Adds an agent's reply as `POST /tickets/agent_reply` does (the inbox's form too). */
export function agentReply(sim: SimInstance, ticket: Ticket, body: Input): Reply {
  if (isBlank(body.new_reply)) throw fail('newReplyRequired')
  if (body.function_type !== 'internal' && body.function_type !== 'external') {
    throw fail('functionTypeRequired')
  }
  if (isBlank(body.agent_id)) throw fail('agentIdRequired')
  const agentId = intValue(body.agent_id)
  if (typeof agentId !== 'number') throw fail('agentIdInteger')
  const agent = findAgent(sim, { id: agentId })
  if (!agent) throw fail('assigneeNotFound')
  const cc = [
    ...ccList(body.cc, 'ccNotArray', 'tooManyCcAgents'),
    ...ccList(body.cc_customer, 'ccCustomerNotArray', 'tooManyCcCustomers'),
  ]
  const attachments = takeReplyUploads(sim, ticket, body.attachment_ids)
  const reply = addReply(sim, ticket, {
    content: String(body.new_reply),
    contentFormat: 'html',
    functionType: body.function_type,
    cc: cc.join(', '),
    author: { id: agent.id, userType: 'agent', email: agent.email, nickName: agent.nickName },
    attachments,
  })
  if (reply.functionType === 'external') {
    ticket.agentRepliedAt = reply.createdAt
    ticket.repliedAt = reply.createdAt
    ticket.repliedBy = agent.nickName
  }
  return reply
}

function customerReply(sim: SimInstance, ticket: Ticket, body: Input): Reply {
  if (isBlank(body.new_reply)) throw fail('newReplyRequired')
  // The reference names function_type in the message although the parameter is content_type.
  if (body.content_type !== 'html' && body.content_type !== 'text')
    throw fail('functionTypeRequired')
  const customer = ticket.customerId === null ? undefined : sim.customers.get(ticket.customerId)
  if (!customer) throw fail('ticketWithoutCustomer')
  const attachments = takeReplyUploads(sim, ticket, body.attachment_ids)
  const reply = addReply(sim, ticket, {
    content: String(body.new_reply),
    contentFormat: body.content_type,
    functionType: 'external',
    cc: '',
    author: {
      id: customer.id,
      userType: 'customer',
      email: customer.email,
      nickName: customer.nickName,
    },
    attachments,
  })
  ticket.customerRepliedAt = reply.createdAt
  ticket.repliedAt = reply.createdAt
  ticket.repliedBy = customer.nickName
  return reply
}

function ccList(
  value: unknown,
  notArray: 'ccNotArray' | 'ccCustomerNotArray',
  tooMany: 'tooManyCcAgents' | 'tooManyCcCustomers',
): string[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw fail(notArray)
  if (value.length > MAX_CC) throw fail(tooMany)
  return value.map(String)
}

/**
 * attachment_ids name uploads made with upload_file_for_reply for this ticket. Two hours after
 * the last upload they are all void and the reply simply has no attachments (the reference).
 */
function takeReplyUploads(sim: SimInstance, ticket: Ticket, ids: unknown): StoredFile[] {
  if (dropExpiredReplyUploads(sim, ticket)) return []
  if (!Array.isArray(ids) || ids.length === 0) return []
  if (ticket.replyUploads.length === 0) {
    throw new UdeskFailure(
      2000,
      `Sorry, there is no attachment associated with the ticket ${ticket.id}`,
    )
  }
  const files = ids.map((id) => {
    const file = ticket.replyUploads.find((f) => f.id === Number(id))
    if (!file) throw new UdeskFailure(2000, `The attachment with id ${String(id)} is not found`)
    return file
  })
  ticket.replyUploads = ticket.replyUploads.filter((f) => !files.includes(f))
  return files
}

/** Voids the ticket's reply uploads two hours after the last one; true when it did. */
export function dropExpiredReplyUploads(sim: SimInstance, ticket: Ticket): boolean {
  const lastUpload = Math.max(0, ...ticket.replyUploads.map((f) => f.uploadedAt))
  if (ticket.replyUploads.length === 0 || sim.now() - lastUpload <= REPLY_UPLOAD_TTL_MS)
    return false
  ticket.replyUploads = []
  return true
}

function addReply(sim: SimInstance, ticket: Ticket, reply: Omit<Reply, 'id' | 'createdAt'>): Reply {
  const stored: Reply = { id: sim.next('reply'), createdAt: sim.now(), ...reply }
  ticket.replies.push(stored)
  ticket.updatedAt = stored.createdAt
  return stored
}
