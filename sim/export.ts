import type { Hono } from 'hono'
import { FILTERS } from './catalog'
import { type SimEnv, intValue, isBlank, originOf, pageParams } from './context'
import { SUCCESS, fail } from './errors'
import { paginate, ticketDetail } from './format'
import type { SimInstance, Ticket } from './state'

/** "The scroll_id expires after 1 minute", on the domain clock (`POST /clock` moves it). */
export const SCROLL_TTL_MS = 60_000

export function registerExportRoutes(api: Hono<SimEnv>): void {
  api.get('/tickets/tickets_in_filter', (c) => {
    const sim = c.get('sim')
    const tickets = ticketsInFilter(sim, c.req.query('filter_id'))
    const { page, perPage } = pageParams(c, { min: 1, max: 100 })
    const { slice, meta } = paginate(tickets, page, perPage)
    const contents = slice.map((t) => ({ ticket: ticketDetail(sim, t, originOf(c)) }))
    return c.json({ code: SUCCESS, message: 'success', contents, meta })
  })

  /**
   * First call with filter_id: a snapshot of the filter's tickets, the first batch and a
   * scroll_id; each call with a scroll_id gives the next batch and a new scroll_id; an empty
   * batch ends the export. filter_id and scroll_id together are refused with 2062.
   */
  api.get('/tickets/export', (c) => {
    const sim = c.get('sim')
    const filterId = c.req.query('filter_id')
    const scrollId = c.req.query('scroll_id')
    if (!isBlank(filterId) && !isBlank(scrollId)) throw fail('exportFailed')
    const cursor = isBlank(scrollId) ? startExport(sim, filterId) : resumeExport(sim, scrollId!)
    const ids = cursor.ids.slice(cursor.offset, cursor.offset + sim.exportBatchSize)
    const next = crypto.randomUUID().replace(/-/g, '')
    sim.scrolls.set(next, {
      ids: cursor.ids,
      offset: cursor.offset + ids.length,
      expiresAt: sim.now() + SCROLL_TTL_MS,
    })
    const contents = ids
      .map((id) => sim.tickets.get(id))
      .filter((t): t is Ticket => t !== undefined)
      .map((t) => ({ ticket: ticketDetail(sim, t, originOf(c)) }))
    return c.json({ code: SUCCESS, scroll_id: next, total: cursor.ids.length, contents })
  })
}

function ticketsInFilter(sim: SimInstance, filterId: unknown): Ticket[] {
  const id = intValue(filterId)
  const filter = FILTERS.find((f) => f.id === id)
  if (!filter) throw fail('filterNotFound')
  return [...sim.tickets.values()].filter(filter.matches)
}

function startExport(sim: SimInstance, filterId: unknown) {
  return { ids: ticketsInFilter(sim, filterId).map((t) => t.id), offset: 0 }
}

function resumeExport(sim: SimInstance, scrollId: string) {
  const now = sim.now()
  for (const [id, scroll] of sim.scrolls) if (scroll.expiresAt <= now) sim.scrolls.delete(id)
  const scroll = sim.scrolls.get(scrollId)
  if (!scroll) throw fail('exportFailed', `scroll_id ${scrollId} is unknown or has expired`)
  return scroll
}
