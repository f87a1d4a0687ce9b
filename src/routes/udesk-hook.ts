import { Hono } from 'hono/tiny'
import { readBodyWithin } from '../inbound/body-limit'
import { MAX_DOORBELL_BYTES, readDoorbellTicketId } from '../inbound/doorbell-body'
import { tellSweep, threadWatch, watchIndexKey } from '../outbound/watch-refs'
import { matchesAny } from '../signatures/bearer'
import { loadTwoWayConfig } from '../two-way-config'

/**
 * `POST /udesk/hook/:token`: the doorbell a Udesk ticket trigger rings. The token is compared
 * with each configured one in constant time before anything is read; a wrong one (or none
 * configured) is answered as an unknown route. The body (at most `MAX_DOORBELL_BYTES`) gives
 * only a ticket id: a watched ticket's next poll is brought to now (never closer than the
 * watch's debounce to its last poll), and the poll reads what happened from Udesk itself.
 * Answers: 202 accepted, 200 ignored (a ticket the bridge does not watch), 400 without a
 * positive integer id, 404 for a wrong token.
 */
export const udeskHook = new Hono<{ Bindings: Env }>()

udeskHook.post('/hook/:token', async (c) => {
  // Several space-separated tokens, as every secret takes, so the trigger can be moved to a
  // new one without a gap (README, "Security notes", rotating).
  const expected = loadTwoWayConfig(c.env).settings.UDESK_HOOK_TOKEN?.split(/\s+/) ?? []
  const given = c.req.param('token')
  if (expected.length === 0 || !(await matchesAny(given, expected))) {
    return c.json({ error: 'not_found', message: 'no such route' }, 404)
  }
  const body = new TextDecoder().decode(await readBodyWithin(c.req.raw, MAX_DOORBELL_BYTES))
  const url = new URL(c.req.url)
  const ticketId = readDoorbellTicketId(
    body,
    c.req.header('content-type') ?? null,
    url.searchParams,
  )
  if (ticketId === undefined) {
    const issues = [{ path: ['ticket_id'], message: 'a positive integer ticket id is required' }]
    return c.json({ error: 'invalid_payload', issues }, 400)
  }
  const ref = await c.env.BRIDGE_KV.get<{ source: string; thread: string }>(
    watchIndexKey(ticketId),
    'json',
  )
  // A ticket the bridge does not watch (not its own, or long stopped): nothing to do.
  if (!ref) return c.json({ status: 'ignored' }, 200)
  // With a sweep, one listing (shared by a burst of rings) tells the watch what changed; the
  // watch's own poll still covers a ticket the sweep's filter does not hold.
  await tellSweep(c.env, 'ring')
  await threadWatch(c.env, ref).note([{ type: 'doorbell' }])
  return c.json({ status: 'accepted' }, 202)
})
