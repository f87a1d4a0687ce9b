import { beforeAll, describe, it } from 'vitest'
import {
  advanceClock,
  clientFor,
  collect,
  configureSim,
  freshSim,
  lastCallSeq,
  rejection,
  simCalls,
  type FreshSim,
} from './fresh-sim'
import { textToHtml } from '../../src/content/html'

/** Seeded filters of the simulated account (sim/catalog.ts mirrors the reference's). */
const ALL_TICKETS = 1
const URGENT_AND_OPEN = 10

let sim: FreshSim
let udesk: ReturnType<typeof clientFor>
const urgentIds: number[] = []

beforeAll(async () => {
  sim = await freshSim()
  udesk = clientFor(sim)
  for (let i = 0; i < 3; i += 1) {
    const { ticketId } = await udesk.createTicket({
      subject: `Production down ${i}`,
      content: textToHtml('x'),
      priority: 'urgent',
    })
    urgentIds.push(ticketId)
  }
  for (let i = 0; i < 22; i += 1) {
    await udesk.createTicket({
      subject: `Question ${i}`,
      content: textToHtml('x'),
      priority: 'low',
    })
  }
})

describe('listFilters', () => {
  it('answers 20 filters a page by default and reads them all', async ({ expect }) => {
    const first = await udesk.listFiltersPage()
    const all = await collect(udesk.listFilters())

    expect(first.items).toHaveLength(20)
    expect(all).toHaveLength(first.meta?.total_count ?? -1)
    expect(new Set(all.map((f) => f.id)).size).toBe(all.length)
  })

  it('never answers more than 50 filters a page', async ({ expect }) => {
    const page = await udesk.listFiltersPage({ perPage: 100 })

    expect(page.items.length).toBeLessThanOrEqual(50)
    expect(page.items).toHaveLength(Math.min(50, page.meta?.total_count ?? 0))
  })

  it('lists the filters one agent can see', async ({ expect }) => {
    const filters = await collect(udesk.listFilters({ type: 'agent', id: 2 }))

    expect(filters.length).toBeGreaterThan(0)
    expect(filters.every((f) => f.permission === 'agent' && f.permission_id === 2)).toBe(true)
  })

  it('fails for an agent that does not exist', async ({ expect }) => {
    const error = await rejection(udesk.listFiltersPage({ type: 'agent', id: 999 }))

    expect(error).toMatchObject({
      udeskCode: 2000,
      udeskMessage: 'Customer service does not exist',
    })
  })
})

describe('ticketsInFilter', () => {
  it('reads the tickets a filter selects', async ({ expect }) => {
    const tickets = await collect(udesk.ticketsInFilter(URGENT_AND_OPEN))

    expect(tickets.map((t) => t.id).sort()).toEqual([...urgentIds].sort())
  })

  it('pages through a filter by per_page', async ({ expect }) => {
    const before = await lastCallSeq(sim)

    const tickets = await collect(udesk.ticketsInFilter(ALL_TICKETS, { perPage: 10 }))

    expect(tickets).toHaveLength(25)
    const calls = (await simCalls(sim, before)).filter(
      (c) => c.path === '/tickets/tickets_in_filter',
    )
    expect(calls.map((c) => c.query.page)).toEqual(['1', '2', '3'])
  })

  it('fails for a filter that does not exist', async ({ expect }) => {
    const error = await rejection(collect(udesk.ticketsInFilter(424242)))

    expect(error).toMatchObject({ udeskCode: 2000, udeskMessage: 'Specific filter not found' })
  })
})

describe('exportTickets', () => {
  it('exports a filter batch by batch, passing only the scroll id after the first', async ({
    expect,
  }) => {
    const before = await lastCallSeq(sim)

    // Udesk's batches hold 1000; the simulator's can be smaller, to see several of them.
    await configureSim(sim, { exportBatchSize: 10 })

    const batches = await collect(udesk.exportTickets(ALL_TICKETS))

    expect(batches.map((b) => b.items.length)).toEqual([10, 10, 5])
    expect(new Set(batches.flatMap((b) => b.items.map((t) => t.id))).size).toBe(25)
    expect(batches[0]?.total).toBe(25)
    const calls = (await simCalls(sim, before)).filter((c) => c.path === '/tickets/export')
    expect(calls[0]?.query).toEqual({ filter_id: String(ALL_TICKETS) })
    // The batch after the last ticket is empty: that call ends the export.
    expect(calls).toHaveLength(batches.length + 1)
    for (const call of calls.slice(1)) {
      expect(Object.keys(call.query)).toEqual(['scroll_id'])
    }
  })

  it('fails when the scroll id has expired, a minute after the last batch', async ({ expect }) => {
    const batches = udesk.exportTickets(URGENT_AND_OPEN)
    const first = await batches.next()

    await advanceClock(sim, 61_000)
    const error = await rejection(batches.next())

    expect(first.value).toMatchObject({ total: 3 })
    expect(error).toMatchObject({
      endpoint: 'GET /tickets/export',
      udeskCode: 2062,
      udeskMessage: 'Failed to get ticket information',
      retryable: false,
    })
  })
})
