import { bridgeApp, type BridgeApp } from './app'
import { webhooks } from './routes/webhooks'

/**
 * The edge worker (wrangler.toml), the one senders talk to: `/healthz` and `/webhooks/*`
 * (authenticate on the raw bytes, parse, enqueue to DELIVERY_QUEUE, remember replay keys in
 * BRIDGE_KV) and nothing else of its own, so its bundle stays small and a cold start cheap.
 * Everything else the bridge serves lives in the core worker (wrangler.core.toml, src/core.ts)
 * and is passed to it unchanged over the CORE service binding: same URL, same answer.
 */
export function mountIngress(app: BridgeApp): BridgeApp {
  app.route('/webhooks', webhooks)
  return app
}

/** The core worker's routes (src/core.ts `mountCore`), as the edge forwards them. */
export const CORE_PATHS = ['/admin', '/admin/*', '/udesk/*'] as const

const app = mountIngress(bridgeApp())
for (const path of CORE_PATHS) app.all(path, (c) => c.env.CORE.fetch(c.req.raw))

export default { fetch: app.fetch } satisfies ExportedHandler<Env>
