/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Hono } from 'hono'
import { html } from 'hono/html'
import type { FC } from 'hono/jsx'
import { AgentDesk } from './agent-desk'
import { PRIORITIES, STATUSES, STATUSES_EN } from './catalog'
import type { SimEnv } from './context'
import { fileUrl } from './format'
import type { Reply, SimInstance, Ticket } from './state'

const REFRESH_SECONDS = 5

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1a1a1a; }
article { border: 1px solid #bbb; border-radius: 6px; padding: 0 1rem 1rem; margin: 1rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
.content, .reply { white-space: pre-wrap; background: #f4f4f4; padding: .5rem; border-radius: 4px; }
.internal { background: #fff4d6; border-left: 4px solid #b58100; }
.external { border-left: 4px solid #2a6ebb; }
`

/** The inbox page: every ticket of one instance, newest first, with its replies. */
export function registerInbox(app: Hono<SimEnv>, path: string): void {
  app.get(path, (c) => {
    const sim = c.get('sim')
    const origin = new URL(c.req.url).origin
    const tickets = [...sim.tickets.values()].reverse()
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
        {tickets.length === 0 ? <p>No tickets yet.</p> : null}
        {tickets.map((ticket) => (
          <TicketCard sim={sim} ticket={ticket} origin={origin} />
        ))}
      </main>
    </body>
  </html>
)

const TicketCard: FC<{ sim: SimInstance; ticket: Ticket; origin: string }> = ({
  sim,
  ticket,
  origin,
}) => {
  const customer = ticket.customerId === null ? undefined : sim.customers.get(ticket.customerId)
  const headingId = `ticket-${ticket.id}`
  return (
    <article aria-labelledby={headingId}>
      <h2 id={headingId}>
        {ticket.num} {ticket.subject}
      </h2>
      <dl>
        <dt>Status</dt>
        <dd>
          {STATUSES[ticket.statusId - 1]} ({STATUSES_EN[ticket.statusId - 1]})
        </dd>
        <dt>Priority</dt>
        <dd>{PRIORITIES[ticket.priorityId - 1]}</dd>
        <dt>Customer</dt>
        <dd>
          {customer
            ? `${customer.nickName} <${customer.email ?? customer.webToken ?? customer.id}>`
            : 'none'}
        </dd>
        <dt>Tags</dt>
        <dd>{ticket.tags.length > 0 ? ticket.tags.join(', ') : 'none'}</dd>
        <dt>Attachments</dt>
        <dd>
          {ticket.attachments.length === 0
            ? 'none'
            : ticket.attachments.map((f) => (
                <a href={fileUrl(origin, sim, f)}>
                  {f.fileName} ({f.size} bytes){' '}
                </a>
              ))}
        </dd>
      </dl>
      <div class="content">{ticket.content}</div>
      <h3>Replies ({ticket.replies.length})</h3>
      {ticket.replies.length > 0 ? (
        <ol>
          {ticket.replies.map((reply) => (
            <ReplyItem reply={reply} />
          ))}
        </ol>
      ) : (
        <p>No replies.</p>
      )}
      <AgentDesk sim={sim} ticket={ticket} />
    </article>
  )
}

const ReplyItem: FC<{ reply: Reply }> = ({ reply }) => (
  <li>
    <p>
      <strong>{reply.author.nickName}</strong> ({reply.author.userType}),{' '}
      {reply.functionType === 'internal' ? 'internal note' : 'external reply'}
      {reply.attachments.length > 0
        ? `, attachments: ${reply.attachments.map((f) => f.fileName).join(', ')}`
        : ''}
    </p>
    <div class={`reply ${reply.functionType}`}>{reply.content}</div>
  </li>
)
