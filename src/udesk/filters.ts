import * as z from '../zod'
import type { UdeskSend } from './http'
import type { ListFiltersQuery, PageQuery } from './inputs'
import { paginate, scroll, type Page, type ScrollBatch } from './paginate'
import {
  FilterSchema,
  ListedTicketSchema,
  MetaSchema,
  type Filter,
  type ListedTicket,
  type Ticket,
} from './schemas'
import { TicketListSchema } from './tickets'

const FiltersSchema = z.looseObject({ filters: z.array(FilterSchema), meta: z.nullish(MetaSchema) })
const ExportSchema = z.looseObject({
  scroll_id: z.nullish(z.string()),
  total: z.nullish(z.int()),
  contents: z.array(z.looseObject({ ticket: ListedTicketSchema })),
})

/**
 * The most bytes of one export answer the bridge reads: a batch holds up to 1000 whole tickets
 * (contents included), a worker 128 MB, and parsing takes a few times the text's size. 24 MiB
 * is 1000 tickets of 24 KB; a longer answer fails permanently instead of the worker.
 */
export const MAX_EXPORT_ANSWER_BYTES = 24 * 1024 * 1024

/** Ticket filters, the tickets a filter selects, and the scroll export over a filter. */
export function filterCalls(send: UdeskSend) {
  const listFiltersPage = async (query: ListFiltersQuery = {}): Promise<Page<Filter>> => {
    const answer = await send({
      method: 'GET',
      endpoint: '/tickets/filters',
      path: '/tickets/filters',
      query: { type: query.type, id: query.id, page: query.page, per_page: query.perPage },
      schema: FiltersSchema,
    })
    return { items: answer.filters, meta: answer.meta }
  }

  const ticketsInFilterPage = async (filterId: number, query: PageQuery = {}) => {
    const answer = await send({
      method: 'GET',
      endpoint: '/tickets/tickets_in_filter',
      path: '/tickets/tickets_in_filter',
      query: { filter_id: filterId, page: query.page, per_page: query.perPage },
      schema: TicketListSchema,
    })
    return { items: answer.contents.map((c) => c.ticket), meta: answer.meta } satisfies Page<Ticket>
  }

  const exportBatch = async (filterId: number, scrollId: string | undefined) => {
    const answer = await send({
      method: 'GET',
      endpoint: '/tickets/export',
      path: '/tickets/export',
      // Udesk refuses filter_id and scroll_id together (code 2062).
      query: scrollId === undefined ? { filter_id: filterId } : { scroll_id: scrollId },
      schema: ExportSchema,
      maxAnswerBytes: MAX_EXPORT_ANSWER_BYTES,
    })
    const items = answer.contents.map((c) => c.ticket)
    return {
      items,
      total: answer.total,
      scrollId: answer.scroll_id,
    } satisfies ScrollBatch<ListedTicket>
  }

  return {
    /** One page; `perPage` defaults to 20, at most 50. */
    listFiltersPage,
    listFilters(query: Omit<ListFiltersQuery, 'page'> = {}): AsyncGenerator<Filter> {
      return paginate((page) => listFiltersPage({ ...query, page }))
    },

    /** One page; `perPage` defaults to 20, at most 100. */
    ticketsInFilterPage,
    ticketsInFilter(filterId: number, query: Omit<PageQuery, 'page'> = {}) {
      return paginate((page) => ticketsInFilterPage(filterId, { ...query, page }))
    },

    /**
     * One batch of the scroll export: the first with `scrollId` undefined (Udesk refuses
     * `filter_id` and `scroll_id` together), each later one with the id the previous answered.
     * Each ticket is read as the sweep needs it (`ListedTicketSchema`: id, status,
     * `agent_replied_at`; every other field passes untyped).
     */
    exportBatch,

    /**
     * Every ticket the filter selects, in batches of up to 1000, until Udesk answers an empty
     * batch. Read each batch within a minute: the scroll id expires after that.
     */
    exportTickets(filterId: number): AsyncGenerator<ScrollBatch<ListedTicket>> {
      return scroll((scrollId) => exportBatch(filterId, scrollId))
    },
  }
}
