import { env } from 'cloudflare:workers'
import { threadCoordinator, type DeliveryItem } from '../../src/delivery/thread-coordinator'
import type { TicketEvent } from '../../src/ticket-event'

/** The shared test simulator (test/helpers/global-setup.ts); the bridge's UDESK_BASE_URL. */
export const SIM_URL = (env as unknown as { SIM_URL: string }).SIM_URL

export interface SimReply {
  id: number
  content: string
  function_type: string
  author: { user_type: string } | null
  attachments: { file_name: string }[]
}

export interface SimTicket {
  id: number
  subject: string
  content: string
  priority: string
  status_en: string
  user_id: number | null
  user_email: string | null
  custom_fields: Record<string, unknown>
  attachments: { name?: string; file_name?: string }[]
  replies: SimReply[]
}

export interface SimCall {
  seq: number
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  status: number | null
  code: number | null
  fault: string | null
}

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${SIM_URL}/_sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`simulator ${method} ${path}: HTTP ${response.status}`)
  return response.json()
}

/** A fault on the shared simulator, scoped with `match` to one test's data. */
export function addFault(rule: {
  method?: string
  path?: string
  match: string
  times?: number
  fault: Record<string, unknown>
}): Promise<{ id: string }> {
  return control('POST', '/faults', rule)
}

/** The tickets whose subject contains `tag` (each test tags its subjects uniquely). */
export async function ticketsTagged(tag: string): Promise<SimTicket[]> {
  const state = await control<{ tickets: SimTicket[] }>('GET', '/state')
  return state.tickets.filter((t) => t.subject.includes(tag))
}

export async function customersWithEmail(email: string): Promise<{ id: number }[]> {
  const state = await control<{ customers: { id: number; email: string | null }[] }>(
    'GET',
    '/state',
  )
  return state.customers.filter((c) => c.email === email)
}

/** Calls since `since` whose body or query mentions `text`. */
export async function callsMentioning(text: string, since = 0): Promise<SimCall[]> {
  const { calls } = await control<{ calls: SimCall[] }>('GET', `/calls?since=${since}`)
  return calls.filter((c) => JSON.stringify([c.body, c.query]).includes(text))
}

export async function lastCallSeq(): Promise<number> {
  const { calls } = await control<{ calls: SimCall[] }>('GET', '/calls')
  return calls.at(-1)?.seq ?? 0
}

/**
 * Hands one event to the coordinator of `thread` in the event's source, as the queue consumer
 * does; `attempt` counts the queue's deliveries of it.
 */
export function deliver(thread: string, event: TicketEvent, attempt = 1) {
  const item: DeliveryItem = { event, deliveryId: `msg_${event.id}`, attempt, final: false }
  return threadCoordinator(env, event.source, thread).deliver([item])
}

let counter = 0
/** A tag unique to this run and test: threads, subjects, emails and fault matches use it. */
export function uniqueTag(name: string): string {
  counter += 1
  return `${name}-${Date.now().toString(36)}-${counter}-${crypto.randomUUID().slice(0, 8)}`
}

type Base = { source?: string; thread: string; receivedAt?: number; id: string }

export function openEvent(
  base: Base,
  fields: Partial<Extract<TicketEvent, { type: 'open' }>> = {},
): Extract<TicketEvent, { type: 'open' }> {
  return {
    type: 'open',
    source: base.source ?? 'events',
    thread: base.thread,
    id: base.id,
    receivedAt: base.receivedAt ?? Date.now(),
    subject: `Printer on fire ${base.thread}`,
    content: 'The office printer is smoking. Please send someone.',
    ...fields,
  }
}

export function replyEvent(base: Base, content: string): TicketEvent {
  return {
    type: 'reply',
    source: base.source ?? 'events',
    thread: base.thread,
    id: base.id,
    receivedAt: base.receivedAt ?? Date.now(),
    content,
  }
}

export function resolveEvent(base: Base, content?: string): TicketEvent {
  return {
    type: 'resolve',
    source: base.source ?? 'events',
    thread: base.thread,
    id: base.id,
    receivedAt: base.receivedAt ?? Date.now(),
    content,
  }
}
