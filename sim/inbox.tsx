/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Hono } from 'hono'
import { html } from 'hono/html'
import type { FC } from 'hono/jsx'
import type { SimEnv } from './context'
import { customerLabel, priorityLabel, statusLabel, TicketCard } from './inbox-ticket'
import type { SimInstance, Ticket } from './state'

const REFRESH_SECONDS = 5

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td:nth-child(1), td:nth-child(3), td:nth-child(4) { white-space: nowrap; }
article { border: 1px solid #bbb; border-radius: 6px; padding: 0 1rem 1rem; margin: 1rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
iframe.rendered { display: block; width: 100%; box-sizing: border-box; border: 0; border-radius: 4px; background: #f4f4f4; resize: vertical; }
iframe.internal { background: #fff4d6; border-left: 4px solid #b58100; }
iframe.external { border-left: 4px solid #2a6ebb; }
`

/**
 * The inbox page: every ticket of one instance, newest first, as a compact list and then in
 * full with its replies. Tickets are named by their id, the `ticketId` the bridge logs, and
 * their Udesk number. The page runs no scripts (`script-src 'none'`); ticket content is shown
 * rendered in sandboxed frames (inbox-ticket.tsx).
 */
export function registerInbox(app: Hono<SimEnv>, path: string): void {
  app.get(path, (c) => {
    const sim = c.get('sim')
    const origin = new URL(c.req.url).origin
    const tickets = [...sim.tickets.values()].reverse()
    c.header('content-security-policy', "script-src 'none'")
    return c.html(html`<!DOCTYPE html>${(<Inbox sim={sim} tickets={tickets} origin={origin} />)}`)
  })
}

const Inbox: FC<{ sim: SimInstance; tickets: Ticket[]; origin: string }> = ({
  sim,
  tickets,
  origin,
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta http-equiv="refresh" content={String(REFRESH_SECONDS)} />
      <title>Udesk simulator inbox ({String(tickets.length)})</title>
      <style>{STYLE}</style>
    </head>
    <body>
      <header>
        <h1>Udesk simulator inbox</h1>
        <p>
          Instance <code>{sim.id}</code>: {tickets.length} tickets, {sim.customers.size} customers.
          This page refreshes every {REFRESH_SECONDS} seconds.
        </p>
      </header>
      <main>
        {tickets.length === 0 ? <p>No tickets yet.</p> : <TicketList sim={sim} tickets={tickets} />}
        {tickets.map((ticket) => (
          <TicketCard sim={sim} ticket={ticket} origin={origin} />
        ))}
      </main>
    </body>
  </html>
)

const TicketList: FC<{ sim: SimInstance; tickets: Ticket[] }> = ({ sim, tickets }) => (
  <table aria-label="Tickets, newest first">
    <thead>
      <tr>
        <th scope="col">Ticket</th>
        <th scope="col">Subject</th>
        <th scope="col">Status</th>
        <th scope="col">Priority</th>
        <th scope="col">Customer</th>
        <th scope="col">Replies</th>
      </tr>
    </thead>
    <tbody>
      {tickets.map((ticket) => (
        <tr>
          <td>
            <a href={`#ticket-${ticket.id}`}>
              {ticket.id} ({ticket.num})
            </a>
          </td>
          <td>{ticket.subject}</td>
          <td>{statusLabel(ticket.statusId)}</td>
          <td>{priorityLabel(ticket.priorityId)}</td>
          <td>
            {customerLabel(
              ticket.customerId === null ? undefined : sim.customers.get(ticket.customerId),
            )}
          </td>
          <td>{ticket.replies.length}</td>
        </tr>
      ))}
    </tbody>
  </table>
)
