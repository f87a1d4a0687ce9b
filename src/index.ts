import { Hono } from 'hono'
import { onError } from './errors'
import type { DeliveryMessage } from './delivery/message'

export { DeliveryLedger } from './delivery/ledger'

const app = new Hono<{ Bindings: Env }>()

app.get('/healthz', (c) => c.json({ ok: true }))
app.onError(onError)
app.notFound((c) => c.json({ error: 'not_found', message: 'no such route' }, 404))

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env, DeliveryMessage>
