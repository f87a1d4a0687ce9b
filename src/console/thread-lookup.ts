import { loadConfig } from '../config'
import { MAX_TOKEN_WAIT_MS, rateLimitedFetch, rateLimiterFor } from '../delivery/rate-limiter'
import { threadCoordinator } from '../delivery/thread-coordinator'
import { createUdeskClient, UdeskError } from '../udesk/client'
import { threadOfDelivery, threadOfTicket, type ThreadName } from './thread-index'

/** What the thread search form holds; one of thread, delivery, ticket id or number is used. */
export interface ThreadQuery {
  source?: string
  thread?: string
  delivery?: string
  ticket?: string
  num?: string
}

export type Lookup = { ok: true; name: ThreadName } | { ok: false; why: string }

/** Finds the thread a query names, through the trail's KV index or Udesk for a ticket number. */
export async function findThread(env: Env, query: ThreadQuery): Promise<Lookup> {
  const source = query.source?.trim()
  const sources = Object.keys(loadConfig(env).SOURCES)
  const needsSource = query.thread || query.delivery
  if (needsSource && (!source || !sources.includes(source))) {
    return { ok: false, why: 'Choose the source the thread key or delivery id belongs to.' }
  }
  if (query.thread?.trim())
    return { ok: true, name: { source: source!, thread: query.thread.trim() } }
  if (query.delivery?.trim()) {
    const name = await threadOfDelivery(env.BRIDGE_KV, source!, query.delivery.trim())
    return name ? { ok: true, name } : { ok: false, why: 'No thread has seen that delivery id.' }
  }
  const ticketId = query.num?.trim()
    ? await ticketIdOf(env, query.num.trim())
    : Number(query.ticket)
  if (typeof ticketId === 'string') return { ok: false, why: ticketId }
  if (!Number.isSafeInteger(ticketId) || ticketId <= 0) {
    return { ok: false, why: 'Give a thread key, a delivery id, a ticket id or a ticket number.' }
  }
  const name = await threadOfTicket(env.BRIDGE_KV, ticketId)
  return name ? { ok: true, name } : { ok: false, why: `No thread has opened ticket ${ticketId}.` }
}

/** Udesk's id for a ticket number (`#848`, or `848`), or why not; one rate-limited GET. */
async function ticketIdOf(env: Env, num: string): Promise<number | string> {
  const config = loadConfig(env)
  const client = createUdeskClient({
    baseUrl: config.UDESK_BASE_URL,
    credentials: { email: config.UDESK_EMAIL, token: config.UDESK_API_TOKEN },
    fetch: rateLimitedFetch(rateLimiterFor(env, config), MAX_TOKEN_WAIT_MS),
    timeoutMs: config.UDESK_TIMEOUT_MS,
  })
  try {
    const ticket = await client.getTicket({ num: num.startsWith('#') ? num : `#${num}` })
    return ticket.id
  } catch (err) {
    if (err instanceof UdeskError && err.kind === 'udesk_code') return `Udesk has no ticket ${num}.`
    return `Udesk could not be asked: ${err instanceof Error ? err.message : String(err)}`
  }
}

export async function threadView(env: Env, name: ThreadName) {
  return threadCoordinator(env, name.source, name.thread).view()
}
