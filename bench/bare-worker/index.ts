import { Hono } from 'hono'

/**
 * The benchmark's floor: a Hono worker that reads the body and answers 202, on the same
 * workerd and under the same load as the bridge (bench/ack.ts). What the bridge adds on its
 * acknowledgment path (authentication, parsing, KV, the queue) is its ratio to this.
 */
const app = new Hono()

app.post('*', async (c) => {
  await c.req.arrayBuffer()
  return c.json({ status: 'accepted' }, 202)
})
app.get('*', (c) => c.json({ ok: true }))

export default app
