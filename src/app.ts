import { Hono } from 'hono/tiny'
import { onError } from './errors'

/** The Hono app both workers (and the combined test entry) build on. */
export type BridgeApp = Hono<{ Bindings: Env }>

/**
 * A bridge app with `/healthz`, the error mapping (errors.ts) and the JSON 404. `strict:
 * false`: a path with a trailing slash is the same route as without (`/admin/` is the
 * console's overview, as `/admin`), since people type and bookmark either.
 */
export function bridgeApp(): BridgeApp {
  const app: BridgeApp = new Hono({ strict: false })
  app.get('/healthz', (c) => c.json({ ok: true }))
  app.onError(onError)
  app.notFound((c) => c.json({ error: 'not_found', message: 'no such route' }, 404))
  return app
}
