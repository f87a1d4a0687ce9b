import type { HttpBindings } from '@hono/node-server'
import type { Context } from 'hono'
import { UdeskFailure, fail } from './errors'
import type { SimInstance } from './state'

/** Hono environment of every simulator route; `incoming` is absent outside Node. */
export type SimEnv = {
  Bindings: Partial<HttpBindings>
  Variables: { sim: SimInstance; raw: Uint8Array; bodyText: string }
}
export type SimContext = Context<SimEnv>

/** Waits `ms`, or less when the server shuts down, so held answers never keep Node alive. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
}

/** The origin callers used, for URLs the simulator hands out. */
export function originOf(c: SimContext): string {
  return new URL(c.req.url).origin
}

/**
 * The JSON body of a Udesk call, or null when there is none. Like Rails, a body sent with
 * another content type is not parsed, so a client that forgets the header sees "cannot be
 * empty" errors; malformed JSON is a 400.
 */
export function jsonBody(c: SimContext): Record<string, unknown> | null {
  const type = c.req.header('content-type') ?? ''
  const text = c.get('bodyText')
  if (!type.includes('json') || text.trim() === '') return null
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new UdeskFailure(2000, 'Unknown error', 'Malformed JSON in the request body', 400)
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : null
}

/** A positive integer from a query or body value, or undefined when absent/blank. */
export function intValue(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined
  const n = typeof value === 'number' ? value : Number(String(value).trim())
  return Number.isInteger(n) && n > 0 ? n : 'invalid'
}

export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}

/** `page` / `per_page` as the reference reads them: defaults, then the endpoint's clamp. */
export function pageParams(c: SimContext, rule: { min: number; max: number }) {
  const page = intValue(c.req.query('page'))
  const perPage = intValue(c.req.query('per_page'))
  return {
    page: typeof page === 'number' ? page : 1,
    perPage: typeof perPage === 'number' ? Math.min(rule.max, Math.max(rule.min, perPage)) : 20,
  }
}

/**
 * `id` xor `num` (the reference: one of them, never both); `num` arrives URL-decoded, `#848`.
 * Used by detail, destroy_ticket, agent_reply and customer_reply.
 */
export function ticketByIdOrNum(sim: SimInstance, id: unknown, num: unknown) {
  const hasId = !isBlank(id)
  const hasNum = !isBlank(num)
  if (hasId && hasNum) throw fail('idAndNum')
  if (!hasId && !hasNum) throw fail('idOrNumRequired')
  const ticketId = intValue(id)
  const ticket = hasId
    ? typeof ticketId === 'number'
      ? sim.tickets.get(ticketId)
      : undefined
    : sim.findTicket({ num: String(num) })
  if (!ticket) throw fail('resourceMissing')
  return ticket
}
