import * as z from '../zod'
import type { UdeskSend } from './http'
import type {
  CreateTicketInput,
  CustomerIdentifier,
  ListTicketsQuery,
  TicketRef,
  UpdateTicketInput,
} from './inputs'
import { paginate, type Page } from './paginate'
import { udeskPriorityId, udeskPriorityName } from './priority'
import {
  DoneSchema,
  MetaSchema,
  TicketContentsSchema,
  TicketSchema,
  UpdatedTicketSchema,
  type Ticket,
  IdSchema,
} from './schemas'

const CreatedSchema = z.looseObject({ ticket_id: IdSchema })
const DetailSchema = z.looseObject({ ticket: TicketSchema })
const UpdatedSchema = z.looseObject({ ticket: UpdatedTicketSchema })
export const TicketListSchema = z.looseObject({
  contents: TicketContentsSchema,
  meta: z.nullish(MetaSchema),
})

/**
 * `id` or `num`, never both (the reference refuses that); in a query string URLSearchParams
 * encodes `#848` as `%23848`.
 */
export function ticketRefQuery(ref: TicketRef): { id?: number; num?: string } {
  return 'id' in ref ? { id: ref.id } : { num: ref.num }
}

/** Create, read, update, delete and list tickets ("Create Work Order" .. "Retrieve Ticket List"). */
export function ticketCalls(send: UdeskSend) {
  const listTicketsPage = async (query: ListTicketsQuery = {}): Promise<Page<Ticket>> => {
    const answer = await send({
      method: 'GET',
      endpoint: '/tickets',
      path: '/tickets',
      query: {
        type: query.customer?.type,
        content: query.customer?.content,
        page: query.page,
        per_page: query.perPage,
      },
      schema: TicketListSchema,
    })
    return { items: answer.contents.map((c) => c.ticket), meta: answer.meta }
  }

  return {
    async createTicket(input: CreateTicketInput): Promise<{ ticketId: number }> {
      const answer = await send({
        method: 'POST',
        endpoint: '/tickets',
        path: '/tickets',
        json: { ticket: createTicketBody(input) },
        schema: CreatedSchema,
      })
      return { ticketId: answer.ticket_id }
    },

    async getTicket(ref: TicketRef): Promise<Ticket> {
      const answer = await send({
        method: 'GET',
        endpoint: '/tickets/detail',
        path: '/tickets/detail',
        query: ticketRefQuery(ref),
        schema: DetailSchema,
      })
      return answer.ticket
    },

    /** `customer` attaches the customer found by that identifier to the ticket. */
    async updateTicket(id: number, ticket: UpdateTicketInput, customer?: CustomerIdentifier) {
      const answer = await send({
        method: 'PUT',
        endpoint: '/tickets/:id',
        path: `/tickets/${encodeURIComponent(id)}`,
        json: {
          ticket: updateTicketBody(ticket),
          customer_id_type: customer?.type,
          customer_id_value: customer?.value,
        },
        schema: UpdatedSchema,
      })
      return answer.ticket
    },

    async deleteTicket(ref: TicketRef): Promise<void> {
      await send({
        method: 'DELETE',
        endpoint: '/tickets/destroy_ticket',
        path: '/tickets/destroy_ticket',
        query: ticketRefQuery(ref),
        schema: DoneSchema,
      })
    },

    /** One page, with Udesk's `meta`; `perPage` defaults to 20, at most 100. */
    listTicketsPage,

    /** Every ticket (of one customer, with `customer`), page after page as the caller reads. */
    listTickets(query: Omit<ListTicketsQuery, 'page'> = {}): AsyncGenerator<Ticket> {
      return paginate((page) => listTicketsPage({ ...query, page }))
    },
  }
}

function createTicketBody(input: CreateTicketInput) {
  return {
    subject: input.subject,
    content: input.content,
    type: input.customer?.type,
    type_content: input.customer?.content,
    priority: input.priority && udeskPriorityName(input.priority),
    assignee_email: input.assigneeEmail,
    agent_group_name: input.agentGroupName,
    template_id: input.templateId,
    follower_ids: input.followerIds,
    tags: input.tags?.join(','),
    status_id: input.statusId,
    ticket_field: input.fields,
    creator_email: input.creatorEmail,
  }
}

function updateTicketBody(input: UpdateTicketInput) {
  return {
    subject: input.subject,
    content: input.content,
    agent_id: input.agentId,
    agent_group_id: input.agentGroupId,
    template_id: input.templateId,
    status_id: input.statusId,
    priority_id: input.priority && udeskPriorityId(input.priority),
    follower_ids: input.followerIds,
    custom_fields: input.customFields,
    tags: input.tags?.join(','),
  }
}
