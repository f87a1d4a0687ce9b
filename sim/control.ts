import { Hono } from 'hono'
import { z } from 'zod'
import type { SimEnv } from './context'
import { originOf } from './context'
import { FaultRuleInputSchema, createFaultRule, describeRule } from './faults'
import { changeLogJson, customerJson, replyJson, ticketDetail } from './format'

const ClockSchema = z.object({ advanceMs: z.number().int().nonnegative() })
const ConfigSchema = z.object({
  maxRequestsPerMinute: z.number().int().positive().nullable().optional(),
  /** Not in Udesk: lets a test reach the end of an export without 1000 tickets. */
  exportBatchSize: z.number().int().min(1).max(1000).optional(),
})

/** Reads a JSON body with a zod schema; answers 400 with the issues when it does not fit. */
export async function parseBody<T extends z.ZodType>(request: Request, schema: T) {
  const text = await request.text()
  let json: unknown = {}
  try {
    json = text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    return { error: Response.json({ error: 'invalid_json' }, { status: 400 }) }
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    return {
      error: Response.json({ error: 'invalid_body', issues: parsed.error.issues }, { status: 400 }),
    }
  }
  return { data: parsed.data as z.infer<T> }
}

/** The control API of one instance, mounted at `/_sim` and `/_sim/instances/:id/_sim`. */
export function controlRoutes(): Hono<SimEnv> {
  const control = new Hono<SimEnv>()

  control.post('/reset', (c) => {
    c.get('sim').reset()
    return c.json({ ok: true })
  })

  control.post('/faults', async (c) => {
    const { data, error } = await parseBody(c.req.raw, FaultRuleInputSchema)
    if (error) return error
    const rule = createFaultRule(data)
    c.get('sim').faults.push(rule)
    return c.json({ id: rule.id }, 201)
  })

  control.get('/faults', (c) => c.json({ faults: c.get('sim').faults.map(describeRule) }))

  control.delete('/faults', (c) => {
    c.get('sim').faults = []
    return c.json({ ok: true })
  })

  control.get('/calls', (c) => {
    const since = Number(c.req.query('since') ?? 0)
    const calls = c
      .get('sim')
      .calls.filter((call) => call.seq > (Number.isFinite(since) ? since : 0))
    return c.json({ calls })
  })

  control.get('/state', (c) => {
    const sim = c.get('sim')
    const origin = originOf(c)
    const tickets = [...sim.tickets.values()].map((t) => ({
      ...ticketDetail(sim, t, origin),
      replies: t.replies.map((r) => replyJson(sim, r, origin)),
      change_logs: t.changeLogs.map((l) => changeLogJson(sim, l)),
      reply_uploads: t.replyUploads.map((f) => ({
        id: f.id,
        file_name: f.fileName,
        file_size: f.size,
      })),
    }))
    return c.json({ tickets, customers: [...sim.customers.values()].map(customerJson) })
  })

  control.post('/clock', async (c) => {
    const { data, error } = await parseBody(c.req.raw, ClockSchema)
    if (error) return error
    const sim = c.get('sim')
    sim.clockOffsetMs += data.advanceMs
    return c.json({ now: new Date(sim.now()).toISOString(), offsetMs: sim.clockOffsetMs })
  })

  control.put('/config', async (c) => {
    const { data, error } = await parseBody(c.req.raw, ConfigSchema)
    if (error) return error
    const sim = c.get('sim')
    if (data.maxRequestsPerMinute !== undefined) {
      sim.options.maxRequestsPerMinute = data.maxRequestsPerMinute
      sim.admitted = []
    }
    if (data.exportBatchSize !== undefined) sim.exportBatchSize = data.exportBatchSize
    const { maxRequestsPerMinute } = sim.options
    return c.json({ maxRequestsPerMinute, exportBatchSize: sim.exportBatchSize })
  })

  control.get('/files/:fileId/:name', (c) => {
    const id = Number(c.req.param('fileId'))
    for (const ticket of c.get('sim').tickets.values()) {
      const files = [
        ...ticket.attachments,
        ...ticket.replyUploads,
        ...ticket.replies.flatMap((r) => r.attachments),
      ]
      const file = files.find((f) => f.id === id)
      if (file) return c.body(file.bytes.slice().buffer, 200, { 'content-type': file.contentType })
    }
    return c.json({ error: 'not_found' }, 404)
  })

  return control
}
