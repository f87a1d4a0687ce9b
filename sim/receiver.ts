import { Hono } from 'hono'
import { Webhook } from 'standardwebhooks'
import { z } from 'zod'
import type { SimEnv } from './context'
import { parseBody } from './control'
import type { SimInstance } from './state'

/** The `events` source's outbound reply secret (DESIGN.md's table). */
export const DEV_EVENTS_REPLY_SECRET = 'whsec_LWNM5nSJBfEA2EeizrQ4LTEIdHxspwSY'

export interface ReceivedWebhook {
  seq: number
  at: number
  /** `webhook-id`; the same id twice is one message delivered twice. */
  id: string | null
  duplicate: boolean
  verified: boolean
  /** Why verification failed, from the standardwebhooks library. */
  reason: string | null
  status: number
  type: string | null
  payload: unknown
}

interface Endpoint {
  secret: string
  received: ReceivedWebhook[]
  /** Answer these statuses, one per delivery, before accepting again. */
  faults: number[]
}

const ConfigSchema = z.object({ secret: z.string().startsWith('whsec_') })
const FaultSchema = z.object({
  status: z.number().int().min(300).max(599),
  times: z.number().int().positive().default(1),
})

const endpoints = new WeakMap<SimInstance, Map<string, Endpoint>>()

function endpointOf(sim: SimInstance, name: string): Endpoint {
  let byName = endpoints.get(sim)
  if (!byName) endpoints.set(sim, (byName = new Map()))
  let endpoint = byName.get(name)
  if (!endpoint) {
    byName.set(name, (endpoint = { secret: DEV_EVENTS_REPLY_SECRET, received: [], faults: [] }))
  }
  return endpoint
}

/**
 * A receiver for the bridge's outbound Standard Webhooks, mounted at `/_sim/receiver`:
 * `POST /:endpoint` verifies the signature with the `standardwebhooks` library (secret per
 * endpoint, the development reply secret unless configured) and answers 204, or 401 when the
 * signature is wrong; every delivery is listed by `GET /:endpoint/messages`.
 */
export function webhookReceiver(): Hono<SimEnv> {
  const app = new Hono<SimEnv>()

  app.post('/:endpoint', async (c) => {
    const endpoint = endpointOf(c.get('sim'), c.req.param('endpoint'))
    const body = await c.req.text()
    const headers = Object.fromEntries(c.req.raw.headers)
    const id = headers['webhook-id'] ?? null
    const duplicate = endpoint.received.some((r) => r.verified && r.id !== null && r.id === id)
    const { verified, reason, payload } = verify(endpoint.secret, body, headers)
    const status = endpoint.faults.shift() ?? (verified ? 204 : 401)
    const type = (payload as { type?: unknown } | null)?.type
    endpoint.received.push({
      seq: endpoint.received.length + 1,
      at: Date.now(),
      id,
      duplicate,
      verified,
      reason,
      status,
      type: typeof type === 'string' ? type : null,
      payload,
    })
    return c.body(null, status as 204)
  })

  app.get('/:endpoint/messages', (c) => {
    return c.json({ messages: endpointOf(c.get('sim'), c.req.param('endpoint')).received })
  })

  app.put('/:endpoint/config', async (c) => {
    const { data, error } = await parseBody(c.req.raw, ConfigSchema)
    if (error) return error
    endpointOf(c.get('sim'), c.req.param('endpoint')).secret = data.secret
    return c.json({ ok: true })
  })

  app.post('/:endpoint/faults', async (c) => {
    const { data, error } = await parseBody(c.req.raw, FaultSchema)
    if (error) return error
    const endpoint = endpointOf(c.get('sim'), c.req.param('endpoint'))
    endpoint.faults.push(...Array<number>(data.times).fill(data.status))
    return c.json({ queued: endpoint.faults.length }, 201)
  })

  app.delete('/:endpoint', (c) => {
    const endpoint = endpointOf(c.get('sim'), c.req.param('endpoint'))
    endpoint.received = []
    endpoint.faults = []
    return c.json({ ok: true })
  })

  return app
}

function verify(secret: string, body: string, headers: Record<string, string>) {
  try {
    const payload = new Webhook(secret).verify(body, headers)
    return { verified: true, reason: null, payload }
  } catch (error) {
    let payload: unknown = null
    try {
      payload = JSON.parse(body)
    } catch {
      payload = body
    }
    return { verified: false, reason: error instanceof Error ? error.message : 'invalid', payload }
  }
}
