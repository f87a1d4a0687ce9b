/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx'
import { escapeHtml } from '../src/content/html'
import { AgentDesk } from './agent-desk'
import { PRIORITIES, STATUSES, STATUSES_EN } from './catalog'
import { fileUrl } from './format'
import type { Customer, Reply, SimInstance, Ticket } from './state'

/** The bridge's names for Udesk's priorities 紧急, 高, 标准, 低 (priority ids 1-4). */
const PRIORITIES_EN = ['urgent', 'high', 'medium', 'low'] as const

/** Udesk's Chinese name with the English one beside it, readable without CJK fonts. */
export const priorityLabel = (id: number) => `${PRIORITIES_EN[id - 1]} (${PRIORITIES[id - 1]})`
export const statusLabel = (id: number) => `${STATUSES_EN[id - 1]} (${STATUSES[id - 1]})`

export function customerLabel(customer: Customer | undefined): string {
  if (!customer) return 'none'
  const handle = customer.email ?? customer.webToken ?? String(customer.id)
  return customer.nickName === handle ? handle : `${customer.nickName} <${handle}>`
}

const FRAME_STYLE = 'body{font:15px/1.5 system-ui,sans-serif;margin:.5rem;color:#1a1a1a}'

/**
 * Content as an agent sees it in Udesk, which renders ticket and reply content as HTML: the
 * HTML goes into its own document (`srcdoc`) that `sandbox=""` keeps from running scripts,
 * submitting forms or reaching this page. Plain-text replies are shown as text.
 */
const Rendered: FC<{ html: string; format: 'html' | 'text'; label: string; kind: string }> = (
  props,
) => {
  const body = props.format === 'html' ? props.html : `<pre>${escapeHtml(props.html)}</pre>`
  const lines = body.split(/<br\s*\/?>|<\/p>|<\/div>|<\/li>|<\/tr>|\n/i).length
  const height = Math.min(30, Math.max(3, lines * 1.6 + Math.ceil(body.length / 2000)))
  return (
    <iframe
      class={`rendered ${props.kind}`}
      title={props.label}
      sandbox=""
      style={`height: ${height}em`}
      srcdoc={`<!DOCTYPE html><meta charset="utf-8"><style>${FRAME_STYLE}</style>${body}`}
    />
  )
}

export const TicketCard: FC<{ sim: SimInstance; ticket: Ticket; origin: string }> = ({
  sim,
  ticket,
  origin,
}) => {
  const customer = ticket.customerId === null ? undefined : sim.customers.get(ticket.customerId)
  const headingId = `ticket-${ticket.id}`
  return (
    <article id={headingId} aria-labelledby={`${headingId}-title`}>
      <h2 id={`${headingId}-title`}>
        Ticket {ticket.id} ({ticket.num}): {ticket.subject}
      </h2>
      <dl>
        <dt>Status</dt>
        <dd>{statusLabel(ticket.statusId)}</dd>
        <dt>Priority</dt>
        <dd>{priorityLabel(ticket.priorityId)}</dd>
        <dt>Customer</dt>
        <dd>{customerLabel(customer)}</dd>
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
      <Rendered
        html={ticket.content}
        format="html"
        label={`Content of ticket ${ticket.id}`}
        kind="content"
      />
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
    <Rendered
      html={reply.content}
      format={reply.contentFormat}
      label={`Reply ${reply.id}`}
      kind={reply.functionType}
    />
  </li>
)
