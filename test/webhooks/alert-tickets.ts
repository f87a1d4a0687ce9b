import { exports } from 'cloudflare:workers'
import type firing from '../fixtures/alertmanager/firing.json'
import resolved from '../fixtures/alertmanager/resolved.json'
import { bearerRequest, DEV_SECRETS } from '../helpers/signed-request'
import { expect, vi } from 'vitest'
import { escapeHtml } from '../../src/content/html'
import { defaultSim, simState, type SimTicket } from '../helpers/sim'

/**
 * What the simulator holds once the queue consumer delivered: tickets whose content has `tag`,
 * as the sender wrote it (the content is HTML, so `"` in a groupKey arrives as `&quot;`).
 */
export async function ticketsMentioning(tag: string): Promise<SimTicket[]> {
  const { tickets } = await simState(defaultSim().controlUrl)
  const escaped = escapeHtml(tag)
  return tickets.filter((t) => t.content.includes(escaped))
}

/** Waits (the queue consumer delivering) until `check` passes on the ticket mentioning `tag`. */
export function settledTicket(tag: string, check: (ticket: SimTicket) => void) {
  return vi.waitFor(
    async () => {
      const tickets = await ticketsMentioning(tag)
      if (tickets.length !== 1) throw new Error(`${tickets.length} tickets mention ${tag}`)
      check(tickets[0]!)
      return tickets[0]!
    },
    { timeout: 15_000, interval: 100 },
  )
}

/** The internal notes' first lines, oldest first. */
export function noteHeads(ticket: SimTicket): string[] {
  return ticket.replies
    .filter((r) => r.function_type === 'internal')
    .map((r) => (r.content.split(/\n|<br\s*\/?>/)[0] ?? '').trim())
}

export async function send(request: Request | Promise<Request>) {
  const response = await exports.default.fetch(await request)
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** An Alertmanager notification to `source`, with its bearer token. */
export const alertmanager = (payload: unknown, source = 'alertmanager') =>
  bearerRequest(source, payload, DEV_SECRETS.alertmanager)

/** The fixture on a group of its own (alertname and groupKey unique to the test). */
export function groupOf(name: string, payload: typeof firing | typeof resolved) {
  const labels = (l: Record<string, string>) => ({ ...l, alertname: name })
  return {
    ...payload,
    groupKey: `{}:{alertname="${name}"}`,
    groupLabels: { alertname: name },
    commonLabels: labels(payload.commonLabels),
    alerts: payload.alerts.map((a) => ({ ...a, labels: labels(a.labels) })),
  }
}

export const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}`

/**
 * Waits until the ticket mentioning `name` is open again after its resolve: the status and the
 * two notes, not the status alone (the reopen is a status change and a note).
 */
export function reopenedTicket(name: string) {
  return settledTicket(name, (t) => {
    expect(t.status_en).toBe('open')
    expect(noteHeads(t)).toEqual([
      'Resolved: every alert of the group has ended.',
      'Reopened: 2 alerts firing again.',
    ])
  })
}

/** The ticket whose content mentions `tag`, once delivery attached `files` files to it. */
export function ticketWith(tag: string, files: number) {
  return vi.waitFor(
    async () => {
      const [ticket, ...more] = await ticketsMentioning(tag)
      if (!ticket || more.length > 0 || ticket.attachments.length < files) {
        throw new Error(`no ticket with ${files} files mentions ${tag} yet`)
      }
      return ticket
    },
    { timeout: 15_000, interval: 100 },
  )
}

/** Sends the group's resolve (202) and waits until its ticket is resolved. */
export async function resolveGroup(name: string) {
  expect(await send(alertmanager(groupOf(name, resolved)))).toMatchObject({ status: 202 })
  await settledTicket(name, (t) => expect(t.status_en).toBe('resolved'))
}
