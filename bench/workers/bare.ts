/**
 * The bench's baseline worker (never deployed): Hono answering `POST /webhooks/:source` with
 * 202, as small as a Worker on the same framework gets. Its bundle size and start-up are what
 * the bridge's are compared with.
 */
import { Hono } from 'hono'

const app = new Hono()

app.post('/webhooks/:source', (c) => c.json({ status: 'accepted', id: crypto.randomUUID() }, 202))

export default app
