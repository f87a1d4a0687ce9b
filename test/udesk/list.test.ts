import { beforeAll, describe, it } from 'vitest'
import {
  clientFor,
  collect,
  freshSim,
  lastCallSeq,
  simCalls,
  unique,
  type FreshSim,
} from './fresh-sim'
import { textToHtml } from '../../src/content/html'

// 101 tickets without customer plus 3 of one customer: enough to see the 100-per-page cap.
const ANONYMOUS = 101
const ADAS = 3
const TOTAL = ANONYMOUS + ADAS

let sim: FreshSim
let udesk: ReturnType<typeof clientFor>
let adaEmail: string

beforeAll(async () => {
  sim = await freshSim()
  udesk = clientFor(sim)
  adaEmail = `${unique('ada')}@example.com`
  await udesk.createCustomer({ email: adaEmail, nickName: 'Ada' })
  for (let i = 0; i < ANONYMOUS; i += 25) {
    const batch = Array.from({ length: Math.min(25, ANONYMOUS - i) }, (_, j) =>
      udesk.createTicket({ subject: `Load test ticket ${i + j}`, content: textToHtml('x') }),
    )
    await Promise.all(batch)
  }
  for (let i = 0; i < ADAS; i++) {
    const customer = { type: 'email' as const, content: adaEmail }
    await udesk.createTicket({ subject: `Ada asks ${i}`, content: textToHtml('x'), customer })
  }
})

describe('listTickets', () => {
  it('answers 20 tickets a page by default, with meta', async ({ expect }) => {
    const page = await udesk.listTicketsPage()

    expect(page.items).toHaveLength(20)
    expect(page.meta).toEqual({ current_page: 1, total_pages: 6, total_count: TOTAL })
  })

  it('never answers more than 100 tickets a page', async ({ expect }) => {
    const page = await udesk.listTicketsPage({ perPage: 500, page: 2 })

    expect(page.items).toHaveLength(TOTAL - 100)
    expect(page.meta).toMatchObject({ current_page: 2, total_pages: 2 })
  })

  it('reads every ticket once, asking for pages while meta says there are more', async ({
    expect,
  }) => {
    const before = await lastCallSeq(sim)

    const tickets = await collect(udesk.listTickets({ perPage: 50 }))

    expect(new Set(tickets.map((t) => t.id)).size).toBe(TOTAL)
    const pages = (await simCalls(sim, before)).filter((c) => c.path === '/tickets')
    expect(pages.map((c) => c.query)).toEqual([
      { page: '1', per_page: '50' },
      { page: '2', per_page: '50' },
      { page: '3', per_page: '50' },
    ])
  })

  it("lists one customer's tickets only", async ({ expect }) => {
    const tickets = await collect(
      udesk.listTickets({ customer: { type: 'email', content: adaEmail } }),
    )

    expect(tickets.map((t) => t.subject).sort()).toEqual(['Ada asks 0', 'Ada asks 1', 'Ada asks 2'])
    expect(new Set(tickets.map((t) => t.user_email))).toEqual(new Set([adaEmail]))
  })
})
