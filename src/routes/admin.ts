import { Hono, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { loadConfig } from '../config'
import { countStats, ledger, readStats, type DeadLetterRecord } from '../delivery/ledger'
import { isUnreadable, type DeadLetterMessage, type DeliveryMessage } from '../delivery/message'
import { InvalidPayloadError } from '../errors'
import { verifyBearerToken } from '../signatures/bearer'
import { chunkBySize } from '../delivery/replay-chunks'

type AdminEnv = { Bindings: Env }

/** Letters read from the ledger at a time (by count; they are sent in chunks by size). */
const REPLAY_PAGE = 25

const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
})

/**
 * Bearer `ADMIN_TOKEN`, compared in constant time. Without a configured token the admin API
 * does not exist (404), so an unconfigured deployment shows nothing to probe.
 */
const requireAdmin: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const token = loadConfig(c.env).ADMIN_TOKEN
  if (!token) return c.json({ error: 'not_found', message: 'no such route' }, 404)
  const verdict = await verifyBearerToken(c.req.header('authorization') ?? null, [token])
  if (!verdict.ok) return c.json({ error: 'unauthorized', message: 'bearer token required' }, 401)
  await next()
}

export const adminRoutes = new Hono<AdminEnv>()

adminRoutes.use('*', requireAdmin)

adminRoutes.get('/stats', async (c) => c.json(await readStats(c.env)))

adminRoutes.get('/dead-letters', async (c) => {
  const query = ListQuerySchema.safeParse(c.req.query())
  if (!query.success) throw new InvalidPayloadError(query.error.issues)
  const { total, items } = await ledger(c.env).listDeadLetters(query.data.limit, query.data.offset)
  return c.json({ total, items: items.map(describeLetter) })
})

adminRoutes.post('/dead-letters/replay', async (c) => {
  const book = ledger(c.env)
  // Bounded by what is there now: a letter that fails again while we replay waits for later.
  let remaining = (await book.listDeadLetters(1)).total
  let replayed = 0
  // Unreadable letters cannot be replayed; they stay at the front of the list and are skipped.
  let skipped = 0
  while (remaining > 0) {
    const { items } = await book.listDeadLetters(Math.min(REPLAY_PAGE, remaining), skipped)
    if (items.length === 0) break
    const readable = items.filter(isReplayable)
    skipped += items.length - readable.length
    for (const chunk of chunkBySize(readable.map(replayMessage))) {
      replayed += await replay(c.env, chunk)
    }
    remaining -= items.length
  }
  return c.json({ replayed })
})

adminRoutes.post('/dead-letters/:id/replay', async (c) => {
  const letter = await ledger(c.env).getDeadLetter(c.req.param('id'))
  if (!letter) return c.json({ error: 'not_found', message: 'no such dead letter' }, 404)
  if (!isReplayable(letter)) {
    const message = 'an unreadable message has no event to replay; see its raw body and issues'
    return c.json({ error: 'not_replayable', message }, 409)
  }
  return c.json({ replayed: await replay(c.env, [replayMessage(letter)]) })
})

type ReplayableRecord = DeadLetterRecord & DeadLetterMessage

function isReplayable(letter: DeadLetterRecord): letter is ReplayableRecord {
  return !isUnreadable(letter)
}

interface ReplayMessage {
  id: string
  body: DeliveryMessage
  bytes: number
}

function replayMessage(letter: ReplayableRecord): ReplayMessage {
  // Marked: the thread looks up what the event may have written before it writes again.
  const body: DeliveryMessage = { event: letter.event, deliveryId: letter.deliveryId, replay: true }
  return { id: letter.id, body, bytes: new TextEncoder().encode(JSON.stringify(body)).length }
}

/**
 * Puts the letters' events back on the delivery queue, then forgets them. Sent before removed:
 * a crash in between replays twice, which the thread coordinator drops as a duplicate.
 */
async function replay(env: Env, messages: ReplayMessage[]): Promise<number> {
  const batch = messages.map((m) => ({ body: m.body, contentType: 'json' as const }))
  await env.DELIVERY_QUEUE.sendBatch(batch)
  await ledger(env).removeDeadLetters(messages.map((m) => m.id))
  await countStats(env, { replayed: messages.length }, messages[0]?.id ?? '')
  return messages.length
}

function describeLetter(letter: DeadLetterRecord) {
  const common = {
    id: letter.id,
    reason: letter.reason,
    attempts: letter.attempts,
    lastError: letter.lastError ?? null,
    failedAt: new Date(letter.failedAt).toISOString(),
    storedAt: new Date(letter.storedAt).toISOString(),
  }
  if (isUnreadable(letter)) {
    const none = { source: null, thread: null, eventId: null, eventType: null, deliveryId: null }
    return { ...common, ...none, payload: null, raw: letter.raw, issues: letter.issues }
  }
  return {
    ...common,
    source: letter.event.source,
    thread: letter.event.thread,
    eventId: letter.event.id,
    eventType: letter.event.type,
    deliveryId: letter.deliveryId,
    payload: letter.event,
  }
}
