import { bridgeApp, type BridgeApp } from './app'
import type { DeliveryMessage } from './delivery/message'
import { handleQueue } from './delivery/queue'
import { adminRoutes } from './routes/admin'
import { udeskHook } from './routes/udesk-hook'

export { DeliveryLedger } from './delivery/ledger'
export { ThreadCoordinator } from './delivery/thread-coordinator'
export { UdeskRateLimiter } from './delivery/rate-limiter'
export { ThreadWatch } from './outbound/thread-watch'
export { WatchSweep } from './outbound/watch-sweep'

/**
 * The core worker (wrangler.core.toml): the queue consumers (deliveries and dead letters),
 * every Durable Object class, the console and admin API (`/admin`) and the Udesk doorbell
 * (`/udesk/hook/:token`). Nobody calls it directly: the edge worker (src/edge.ts) passes it
 * `/admin*` and `/udesk/*` over its CORE service binding, and the queues bring it the events.
 */
export function mountCore(app: BridgeApp): BridgeApp {
  app.route('/admin', adminRoutes)
  app.route('/udesk', udeskHook)
  return app
}

const app = mountCore(bridgeApp())

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Env, DeliveryMessage>
