/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import { escapeHtml } from '../src/content/html'
import type { FC } from 'hono/jsx'
import { agentsOf, STATUSES_EN } from './catalog'
import type { SimEnv } from './context'
import { UdeskFailure } from './errors'
import { agentReply } from './replies'
import type { SimInstance, Ticket } from './state'
import { updateTicket } from './ticket-update'

/** The status buttons, in the order an agent works a ticket (status ids of the reference). */
const STATUS_BUTTONS = [4, 2, 3, 1] as const

/** Where an instance's pages live: `/` for the default instance. */
export function instancePrefix(sim: SimInstance): string {
  return sim.id === 'default' ? '' : `/_sim/instances/${sim.id}`
}

/**
 * What Udesk's rich editor makes of typed text: one `<p>` per line and `<p><br></p>` for an
 * empty one, so the inbox's replies look like an agent's real ones.
 */
export function editorHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => (line.trim() === '' ? '<p><br></p>' : `<p>${escapeHtml(line)}</p>`))
    .join('')
}

/** Answer a ticket as an agent (a public reply or an internal note) and set its status. */
export const AgentDesk: FC<{ sim: SimInstance; ticket: Ticket }> = ({ sim, ticket }) => {
  const base = `${instancePrefix(sim)}/_sim/inbox/tickets/${ticket.id}`
  return (
    <section aria-label={`Answer ticket ${ticket.num}`}>
      <form method="post" action={`${base}/reply`}>
        <label>
          Reply as{' '}
          <select name="agent_id">
            {agentsOf(sim).map((agent) => (
              <option value={String(agent.id)} selected={agent.id === 2}>
                {agent.nickName}
              </option>
            ))}
          </select>
        </label>
        <textarea name="content" rows={3} cols={60} required aria-label="Reply text"></textarea>
        <button type="submit" name="visibility" value="public">
          Send public reply
        </button>{' '}
        <button type="submit" name="visibility" value="internal">
          Add internal note
        </button>
      </form>
      <form method="post" action={`${base}/status`}>
        {STATUS_BUTTONS.map((id) => (
          <button
            type="submit"
            name="status_id"
            value={String(id)}
            disabled={ticket.statusId === id}
          >
            Mark {STATUSES_EN[id - 1]}
          </button>
        ))}
      </form>
    </section>
  )
}

/** The forms' routes, mounted at `/_sim/inbox` (and per instance); each ends on the inbox. */
export function agentDeskRoutes(): Hono<SimEnv> {
  const app = new Hono<SimEnv>()

  app.post('/tickets/:id/reply', async (c) => {
    const sim = c.get('sim')
    const ticket = sim.tickets.get(Number(c.req.param('id')))
    if (!ticket) return c.text('No such ticket', 404)
    const form = await c.req.parseBody()
    const content = String(form.content ?? '')
    const functionType = form.visibility === 'internal' ? 'internal' : 'external'
    try {
      agentReply(sim, ticket, {
        new_reply: content.trim() === '' ? '' : editorHtml(content),
        function_type: functionType,
        agent_id: String(form.agent_id ?? '2'),
      })
    } catch (error) {
      if (error instanceof UdeskFailure) return c.text(error.message, 400)
      throw error
    }
    return c.redirect(`${instancePrefix(sim)}/`, 303)
  })

  app.post('/tickets/:id/status', async (c) => {
    const sim = c.get('sim')
    const ticket = sim.tickets.get(Number(c.req.param('id')))
    if (!ticket) return c.text('No such ticket', 404)
    const form = await c.req.parseBody()
    try {
      updateTicket(sim, ticket, { status_id: String(form.status_id ?? '') }, undefined, 2)
    } catch (error) {
      if (error instanceof UdeskFailure) return c.text(error.message, 400)
      throw error
    }
    return c.redirect(`${instancePrefix(sim)}/`, 303)
  })

  return app
}
