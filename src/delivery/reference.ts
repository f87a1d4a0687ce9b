import { escapeHtml, joinHtml, type Html } from '../content/html'
import { renderContent } from '../content/render'
import type { ContentFormat } from '../ticket-event'
import type { UdeskClient } from '../udesk/client'
import type { CustomerLookup, Reply, Ticket } from '../udesk/client'

/**
 * Every ticket and reply the bridge writes carries the id of the event that wrote it, so a
 * write whose answer was lost (timeout, dropped connection, 5xx after commit) can be found
 * before it is repeated.
 */
export const REFERENCE_PREFIX = 'udesk-bridge-ref: '

/** Newest-ticket pages searched when the ticket has no customer to narrow the search. */
export const MAX_TICKET_PAGES = 3
/** Pages of one customer's tickets searched. */
export const MAX_CUSTOMER_TICKET_PAGES = 10
/** Reply pages searched on one ticket. */
export const MAX_REPLY_PAGES = 20
const PAGE_SIZE = 100

/**
 * The one place sender text becomes what Udesk stores: the content rendered to HTML (escaped,
 * Slack markup read when `format` is `slack`), a blank line, then the escaped reference line.
 */
export function withReference(
  content: string,
  eventId: string,
  format: ContentFormat = 'text',
): Html {
  const reference = escapeHtml(`${REFERENCE_PREFIX}${eventId}`)
  return joinHtml([renderContent(content, format), reference], '<br>\n<br>\n' as Html)
}

/**
 * Whether `text` carries exactly this event's reference (not one that merely starts alike),
 * as written (escaped, the way `withReference` writes it) or as plain text.
 */
export function hasReference(text: string | null | undefined, eventId: string): boolean {
  if (!text) return false
  for (const id of [eventId, escapeHtml(eventId)]) {
    const marker = REFERENCE_PREFIX + id
    let at = text.indexOf(marker)
    while (at >= 0) {
      const next = text.charAt(at + marker.length)
      if (next === '' || /[\s<]/.test(next)) return true
      at = text.indexOf(marker, at + 1)
    }
  }
  return false
}

export interface TicketSearch {
  eventId: string
  customer?: CustomerLookup
  /** `UDESK_REFERENCE_FIELD`: a custom field that holds the reference. */
  referenceField?: string
}

function isReferenced(ticket: Ticket, search: TicketSearch): boolean {
  const field = search.referenceField && ticket.custom_fields?.[search.referenceField]
  return field === search.eventId || hasReference(ticket.content, search.eventId)
}

/**
 * The ticket an earlier attempt of this event created, if any: among the customer's tickets
 * when there is a customer, else among the newest tickets. Udesk does not document the list's
 * order, so both ends of it are read (page 1, then the last pages backwards), a bounded number
 * of pages.
 */
export async function findTicketByReference(
  client: UdeskClient,
  search: TicketSearch,
): Promise<number | undefined> {
  const query = { customer: search.customer, perPage: PAGE_SIZE }
  const first = await client.listTicketsPage({ ...query, page: 1 })
  const hit = first.items.find((t) => isReferenced(t, search))
  if (hit) return hit.id
  const totalPages = first.meta?.total_pages ?? 1
  const budget = search.customer ? MAX_CUSTOMER_TICKET_PAGES : MAX_TICKET_PAGES
  for (let page = totalPages; page > 1 && page > totalPages - budget; page--) {
    const { items } = await client.listTicketsPage({ ...query, page })
    const found = items.find((t) => isReferenced(t, search))
    if (found) return found.id
  }
  return undefined
}

/** The reply an earlier attempt of this event added to the ticket, if any. */
export async function findReplyByReference(
  client: UdeskClient,
  ticketId: number,
  eventId: string,
): Promise<Reply | undefined> {
  let pages = 0
  for (let page = 1; pages < MAX_REPLY_PAGES; page++, pages++) {
    const { items, meta } = await client.listRepliesPage(ticketId, { page, perPage: PAGE_SIZE })
    const found = items.find((r) => hasReference(r.content, eventId))
    if (found) return found
    if (items.length === 0 || !meta || meta.current_page >= meta.total_pages) return undefined
  }
  return undefined
}

/** A file an earlier attempt uploaded to the ticket, found by its name. */
export async function findAttachment(
  client: UdeskClient,
  ticketId: number,
  fileName: string,
): Promise<boolean> {
  const ticket = await client.getTicket({ id: ticketId })
  return (ticket.attachments ?? []).some((a) => (a.file_name ?? a.name) === fileName)
}
