import { bridgeApp } from './app'
import { mountCore } from './core'
import type { DeliveryMessage } from './delivery/message'
import { handleQueue } from './delivery/queue'
import { mountIngress } from './edge'

export {
  DeliveryLedger,
  ThreadCoordinator,
  ThreadWatch,
  UdeskRateLimiter,
  WatchSweep,
} from './core'

/**
 * Both workers' routes in one: what the unit tests run (vitest.config.mts), built from the same
 * modules as the two deploy entries, src/edge.ts (the senders' side) and src/core.ts (queues,
 * Durable Objects, console, doorbell). Deployed and under `npm start` they are two workers and
 * the edge forwards `/admin*` and `/udesk/*` to the core (README, "Deploying").
 */
const app = mountCore(mountIngress(bridgeApp()))

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Env, DeliveryMessage>
