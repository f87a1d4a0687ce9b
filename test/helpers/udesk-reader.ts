import { env } from 'cloudflare:workers'
import { vi } from 'vitest'
import { createUdeskClient, type Ticket } from '../../src/udesk/client'
import { DEV_UDESK } from './sim'

/** Reads what the simulator holds through the signed Udesk API, as an account owner would. */
export const udesk = createUdeskClient({ baseUrl: env.UDESK_BASE_URL, credentials: DEV_UDESK })
export const settle = { timeout: 15_000, interval: 100 }

export async function ticketsWhere(match: (ticket: Ticket) => boolean): Promise<Ticket[]> {
  const found: Ticket[] = []
  for await (const ticket of udesk.listTickets({ perPage: 100 }))
    if (match(ticket)) found.push(ticket)
  return found
}

/** The ticket the simulator holds whose content mentions `marker`, once the queue delivered it. */
export async function ticketWith(marker: string) {
  return vi.waitFor(async () => {
    const [found] = await ticketsWhere((t) => (t.content ?? '').includes(marker))
    if (!found) throw new Error(`no ticket with ${marker}`)
    return found
  }, settle)
}

export async function repliesOf(ticketId: number) {
  const all = []
  for await (const reply of udesk.listReplies(ticketId)) all.push(reply)
  return all
}
