import { beforeAll, describe, it } from 'vitest'
import {
  type SimInstanceInfo,
  type UdeskAnswer,
  advanceClock,
  createSimInstance,
  simControl,
  udeskJson,
} from '../helpers/sim'

let sim: SimInstanceInfo

beforeAll(async () => {
  sim = await createSimInstance()
})

const call = (method: string, path: string, body?: unknown) =>
  udeskJson(sim.baseUrl, method, path, body)

async function ticket(subject: string) {
  const answer = await call('POST', '/tickets', { ticket: { subject, content: 'x' } })
  return answer.ticket_id as number
}

describe('tickets_in_filter', () => {
  it('lists the tickets the filter matches', async ({ expect }) => {
    const open = await ticket('Still open')
    const done = await ticket('Done already')
    await call('PUT', `/tickets/${done}`, { ticket: { status_id: 2 } })

    const resolved = await call('GET', '/tickets/tickets_in_filter?filter_id=3&per_page=100')

    const ids = (resolved.contents as { ticket: { id: number } }[]).map((c) => c.ticket.id)
    expect(ids).toContain(done)
    expect(ids).not.toContain(open)
  })

  it('refuses a filter that does not exist', async ({ expect }) => {
    const answer = await call('GET', '/tickets/tickets_in_filter?filter_id=999999')

    expect(answer).toEqual({ code: 2000, message: 'Specific filter not found' })
  })
})

describe('export', () => {
  it('pages through a filter by scroll_id until an empty batch', async ({ expect }) => {
    const exporter = await createSimInstance()
    for (const subject of ['One', 'Two', 'Three']) {
      await udeskJson(exporter.baseUrl, 'POST', '/tickets', { ticket: { subject, content: 'x' } })
    }
    await simControl(exporter.controlUrl, '/config', {
      method: 'PUT',
      json: { exportBatchSize: 2 },
    })

    const batches: string[][] = []
    let answer: UdeskAnswer = await udeskJson(
      exporter.baseUrl,
      'GET',
      '/tickets/export?filter_id=1',
    )
    for (;;) {
      const contents = answer.contents as { ticket: { subject: string } }[]
      batches.push(contents.map((c) => c.ticket.subject))
      if (contents.length === 0) break
      const next = `/tickets/export?scroll_id=${answer.scroll_id}`
      answer = await udeskJson(exporter.baseUrl, 'GET', next)
    }

    expect(answer.total).toBe(3)
    expect(batches).toEqual([['One', 'Two'], ['Three'], []])
  })

  it('expires a scroll_id after a minute of simulator time (2062)', async ({ expect }) => {
    await ticket('To export')
    const first = await call('GET', '/tickets/export?filter_id=1')
    await advanceClock(sim, 61_000)

    const late = await call('GET', `/tickets/export?scroll_id=${first.scroll_id}`)

    expect(late).toMatchObject({ code: 2062, message: 'Failed to get ticket information' })
  })

  it('refuses filter_id and scroll_id together (2062)', async ({ expect }) => {
    const first = await call('GET', '/tickets/export?filter_id=1')

    const both = await call('GET', `/tickets/export?filter_id=1&scroll_id=${first.scroll_id}`)

    expect(both).toEqual({ code: 2062, message: 'Failed to get ticket information' })
  })

  it('pages filters by at most 50', async ({ expect }) => {
    const page = await call('GET', '/tickets/filters?per_page=100')

    expect((page.filters as unknown[]).length).toBe(50)
    expect((page.meta as { total_count: number }).total_count).toBeGreaterThan(50)
  })
})
