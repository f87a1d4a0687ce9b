import * as z from '../zod'
import type { UdeskSend } from './http'
import type { AgentReplyInput, CustomerReplyInput, PageQuery } from './inputs'
import { paginate, type Page } from './paginate'
import { ticketRefQuery } from './tickets'
import { ChangeLogSchema, MetaSchema, ReplySchema, type ChangeLog, type Reply } from './schemas'

const RepliesSchema = z.looseObject({ replies: z.array(ReplySchema), meta: z.nullish(MetaSchema) })
const ChangeLogsSchema = z.looseObject({
  change_logs: z.array(ChangeLogSchema),
  meta: z.nullish(MetaSchema),
})
/** Agent and customer replies answer `{ data: { type: 'reply', data: reply } }`. */
const ReplyAnswerSchema = z.looseObject({
  data: z.looseObject({ type: z.optional(z.unknown()), data: ReplySchema }),
})

/** A ticket's replies and change logs, and replying as an agent or as the customer. */
export function replyCalls(send: UdeskSend, defaults: { agentId?: number }) {
  const listRepliesPage = async (ticketId: number, query: PageQuery = {}): Promise<Page<Reply>> => {
    const answer = await send({
      method: 'GET',
      endpoint: '/tickets/:id/replies',
      path: `/tickets/${encodeURIComponent(ticketId)}/replies`,
      query: { page: query.page, per_page: query.perPage },
      schema: RepliesSchema,
    })
    return { items: answer.replies, meta: answer.meta }
  }

  const listChangeLogsPage = async (ticketId: number, query: PageQuery = {}) => {
    const answer = await send({
      method: 'GET',
      endpoint: '/tickets/:id/change_logs',
      path: `/tickets/${encodeURIComponent(ticketId)}/change_logs`,
      query: { page: query.page, per_page: query.perPage },
      schema: ChangeLogsSchema,
    })
    return { items: answer.change_logs, meta: answer.meta } satisfies Page<ChangeLog>
  }

  return {
    /** One page; Udesk clamps `perPage` to 20..100. */
    listRepliesPage,
    listReplies(ticketId: number, query: Omit<PageQuery, 'page'> = {}): AsyncGenerator<Reply> {
      return paginate((page) => listRepliesPage(ticketId, { ...query, page }))
    },

    /** One page; Udesk clamps `perPage` to 20..100. */
    listChangeLogsPage,
    listChangeLogs(ticketId: number, query: Omit<PageQuery, 'page'> = {}) {
      return paginate((page) => listChangeLogsPage(ticketId, { ...query, page }))
    },

    /** An internal note or an external comment by an agent. */
    async agentReply(input: AgentReplyInput): Promise<Reply> {
      const answer = await send({
        method: 'POST',
        endpoint: '/tickets/agent_reply',
        path: '/tickets/agent_reply',
        json: {
          ...ticketRefQuery(input),
          agent_id: input.agentId ?? defaults.agentId,
          function_type: input.functionType,
          new_reply: input.content,
          cc: input.cc,
          cc_customer: input.ccCustomer,
          attachment_ids: input.attachmentIds,
        },
        schema: ReplyAnswerSchema,
      })
      return answer.data.data
    },

    /** A reply in the ticket customer's name; Udesk refuses it on a ticket without customer. */
    async customerReply(input: CustomerReplyInput): Promise<Reply> {
      const answer = await send({
        method: 'POST',
        endpoint: '/tickets/customer_reply',
        path: '/tickets/customer_reply',
        json: {
          ...ticketRefQuery(input),
          new_reply: input.content,
          content_type: input.contentType,
          attachment_ids: input.attachmentIds,
        },
        schema: ReplyAnswerSchema,
      })
      return answer.data.data
    },
  }
}
