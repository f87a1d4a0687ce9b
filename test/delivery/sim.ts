import { env } from 'cloudflare:workers'
import { threadCoordinator, type DeliveryItem } from '../../src/delivery/thread-coordinator'
import type { TicketEvent } from '../../src/ticket-event'
import { defaultSim, simControl, type SimCall } from '../helpers/sim'

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

/** The shared default simulator's control API (never reset: tests scope by unique tags). */
function control<T>(path: string, json?: unknown): Promise<T> {
  return simControl<T>(defaultSim().controlUrl, path, { json })
}

/** A fault on the shared simulator, scoped with `match` to one test's data. */
export function addFault(rule: {
  method?: string
  path?: string
  match: string
  times?: number
  fault: Record<string, unknown>
}): Promise<{ id: string }> {
  return control('/faults', rule)
}

/** The tickets whose subject contains `tag` (each test tags its subjects uniquely). */
export async function ticketsTagged(tag: string): Promise<SimTicket[]> {
  const state = await control<{ tickets: SimTicket[] }>('/state')
  return state.tickets.filter((t) => t.subject.includes(tag))
}

export async function customersWithEmail(email: string): Promise<{ id: number }[]> {
  const state = await control<{ customers: { id: number; email: string | null }[] }>('/state')
  return state.customers.filter((c) => c.email === email)
}

/** Calls since `since` whose body or query mentions `text`. */
export async function callsMentioning(text: string, since = 0): Promise<SimCall[]> {
  const { calls } = await control<{ calls: SimCall[] }>(`/calls?since=${since}`)
  return calls.filter((c) => JSON.stringify([c.body, c.query]).includes(text))
}

export async function lastCallSeq(): Promise<number> {
  const { calls } = await control<{ calls: SimCall[] }>('/calls')
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

/** The fields every event carries: source `events` and received now unless `base` says. */
function envelope(base: Base) {
  return {
    source: base.source ?? 'events',
    thread: base.thread,
    id: base.id,
    receivedAt: base.receivedAt ?? Date.now(),
  }
}

export function openEvent(
  base: Base,
  fields: Partial<Extract<TicketEvent, { type: 'open' }>> = {},
): Extract<TicketEvent, { type: 'open' }> {
  return {
    type: 'open',
    ...envelope(base),
    subject: `Printer on fire ${base.thread}`,
    content: 'The office printer is smoking. Please send someone.',
    ...fields,
  }
}

export function replyEvent(base: Base, content: string): TicketEvent {
  return { type: 'reply', ...envelope(base), content }
}

export function resolveEvent(base: Base, content?: string): TicketEvent {
  return { type: 'resolve', ...envelope(base), content }
}
