import { Hono } from 'hono/tiny'
import { onError } from './errors'
import type { DeliveryMessage } from './delivery/message'
import { handleQueue } from './delivery/queue'
import { adminRoutes } from './routes/admin'
import { udeskHook } from './routes/udesk-hook'
import { webhooks } from './routes/webhooks'

export { DeliveryLedger } from './delivery/ledger'
export { ThreadCoordinator } from './delivery/thread-coordinator'
export { UdeskRateLimiter } from './delivery/rate-limiter'
export { ThreadWatch } from './outbound/thread-watch'
export { WatchSweep } from './outbound/watch-sweep'

/**
 * `strict: false`: a path with a trailing slash is the same route as without (`/admin/` is the
 * console's overview, as `/admin`), since people type and bookmark either.
 */
const app = new Hono<{ Bindings: Env }>({ strict: false })

app.get('/healthz', (c) => c.json({ ok: true }))
app.route('/admin', adminRoutes)
app.route('/webhooks', webhooks)
app.route('/udesk', udeskHook)
app.onError(onError)
app.notFound((c) => c.json({ error: 'not_found', message: 'no such route' }, 404))

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Env, DeliveryMessage>
