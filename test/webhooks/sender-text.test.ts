import { exports } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import { ticketsWhere, settle } from '../helpers/udesk-reader'
import { jsonPost, visitor } from './form-requests'

/** The ticket the simulator holds whose content mentions `marker`, once the queue delivered it. */
async function ticketWith(marker: string) {
  return vi.waitFor(async () => {
    const [found] = await ticketsWhere((t) => (t.content ?? '').includes(marker))
    if (!found) throw new Error(`no ticket with ${marker}`)
    return found
  }, settle)
}

describe('a form message keeps its room in the ticket', () => {
  it('cuts a 100,000-character field name, not the message beside it', async ({ expect }) => {
    // Before: the name filled the content and the message became "xxxxxxx…[message cut: it
    // had 10 bytes, tickets keep 90,000]".
    const email = visitor()
    const fields = { email, ['n'.repeat(100_000)]: 'v', message: 'xxxxxxxxxx' }

    const response = await exports.default.fetch(jsonPost('contact', fields))

    expect(response.status).toBe(202)
    const ticket = await ticketWith(email)
    expect(ticket.content).toMatch(/^xxxxxxxxxx<br>\n/)
    expect(ticket.content).not.toContain('message cut')
    expect(ticket.content).toContain(`${'n'.repeat(99)}…: v`)
  })

  it('cuts the listed fields, with a note, when they and the message overflow', async ({
    expect,
  }) => {
    const email = visitor()
    const fields: Record<string, string> = { email, message: 'm'.repeat(80_000) }
    for (let n = 0; n < 5; n++) fields[`field${n}`] = 'f'.repeat(5_000)

    const response = await exports.default.fetch(jsonPost('contact', fields))

    expect(response.status).toBe(202)
    const ticket = await ticketWith(email)
    expect(ticket.content?.startsWith(`${'m'.repeat(80_000)}<br>\n`)).toBe(true)
    const content = ticket.content ?? ''
    expect(content.includes('message cut')).toBe(false)
    expect(content.match(/\[fields cut: [^\]]*\]/)?.[0]).toMatch(
      /^\[fields cut: they had 25,045 bytes, the message left room for [\d,]+\]$/,
    )
  })
})
