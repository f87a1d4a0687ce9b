import * as z from 'zod/mini'

/** Largest doorbell body read: a ticket id needs a few bytes; a trigger body a few hundred. */
export const MAX_DOORBELL_BYTES = 4096

const TicketId = z
  .pipe(z.union([z.number(), z.string().check(z.regex(/^\s*\d{1,15}\s*$/))]), z.transform(Number))
  .check(z.int(), z.positive())

/** `{"ticket_id": 123}`, `{"ticket": {"id": 123}}` or `{"id": 123}`; numbers or digit strings. */
const JsonBodySchema = z.union([
  z.object({ ticket_id: TicketId }),
  z.object({ ticket: z.object({ id: TicketId }) }),
  z.object({ id: TicketId }),
])

/**
 * The ticket id of a Udesk trigger's request, and nothing else of it: Udesk signs nothing, so
 * the body only says which ticket to look at now, never what happened to it. The admin
 * writes the body (README, "Two-way"): JSON as `JsonBodySchema` reads it, or a form
 * (`ticket_id=123`), or no body and `?ticket_id=123` in the URL. Undefined when none is found.
 */
export function readDoorbellTicketId(
  body: string,
  contentType: string | null,
  query: URLSearchParams,
): number | undefined {
  const fromQuery = query.get('ticket_id')
  if (fromQuery !== null) return parseId(fromQuery)
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') {
    const value = new URLSearchParams(body).get('ticket_id')
    return value === null ? undefined : parseId(value)
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return undefined
  }
  const parsed = z.safeParse(JsonBodySchema, json)
  if (!parsed.success) return undefined
  const data = parsed.data
  return 'ticket_id' in data ? data.ticket_id : 'ticket' in data ? data.ticket.id : data.id
}

function parseId(value: string): number | undefined {
  const parsed = z.safeParse(TicketId, value)
  return parsed.success ? parsed.data : undefined
}
