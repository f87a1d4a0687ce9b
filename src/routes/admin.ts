import type { MiddlewareHandler } from 'hono'
import { Hono } from 'hono/tiny'
import * as z from '../zod'
import { readAdminToken } from '../config'
import { diagnose } from '../console/diagnose'
import { describeLetter, replayAllLetters, replayLetter } from '../console/letters'
import { consoleRoutes } from '../console/routes'
import { ledger } from '../delivery/ledger'
import { readStats } from '../delivery/stats'
import { InvalidPayloadError } from '../errors'
import { verifyBearerToken } from '../signatures/bearer'

type AdminEnv = { Bindings: Env }

const ListQuerySchema = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 100),
  offset: z._default(z.coerce.number().check(z.int(), z.gte(0)), 0),
})

/**
 * Bearer `ADMIN_TOKEN`, compared in constant time. Without a configured token the admin API
 * does not exist (404), so an unconfigured deployment shows nothing to probe.
 */
const requireAdmin: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const token = readAdminToken(c.env)
  if (!token) return c.json({ error: 'not_found', message: 'no such route' }, 404)
  const verdict = await verifyBearerToken(c.req.header('authorization') ?? null, [token])
  if (!verdict.ok) return c.json({ error: 'unauthorized', message: 'bearer token required' }, 401)
  await next()
}

/** The JSON API (bearer token) for scripts and `npm run doctor`. */
const api = new Hono<AdminEnv>()

for (const path of ['/stats', '/doctor', '/dead-letters', '/dead-letters/*']) {
  api.use(path, requireAdmin)
}

api.get('/stats', async (c) => c.json(await readStats(c.env)))

api.get('/doctor', async (c) => c.json({ checks: await diagnose(c.env, c.req.url) }))

api.get('/dead-letters', async (c) => {
  const query = ListQuerySchema.safeParse(c.req.query())
  if (!query.success) throw new InvalidPayloadError(query.error.issues)
  const { total, items } = await ledger(c.env).listDeadLetters(query.data.limit, query.data.offset)
  return c.json({ total, items: items.map(describeLetter) })
})

api.post('/dead-letters/replay', async (c) => c.json({ replayed: await replayAllLetters(c.env) }))

api.post('/dead-letters/:id/replay', async (c) => {
  const result = await replayLetter(c.env, c.req.param('id'))
  if (result === 'not_found') {
    return c.json({ error: 'not_found', message: 'no such dead letter' }, 404)
  }
  if (result === 'not_replayable') {
    const message = 'an unreadable message has no event to replay; see its raw body and issues'
    return c.json({ error: 'not_replayable', message }, 409)
  }
  return c.json(result)
})

/**
 * `/admin`: the console's pages (session cookie) and the JSON API (bearer token) side by side.
 * The API's routes come first: its paths answer before the console's session check is reached.
 */
export const adminRoutes = new Hono<AdminEnv>()

adminRoutes.route('/', api)
adminRoutes.route('/', consoleRoutes)
