import { Hono } from 'hono'
import { z } from 'zod'
import { registerCatalogRoutes } from './catalog-routes'
import { type SimEnv, originOf } from './context'
import { controlRoutes, parseBody } from './control'
import { registerCustomerRoutes } from './customers'
import { UdeskFailure } from './errors'
import { registerExportRoutes } from './export'
import { registerInbox } from './inbox'
import { failureResponse, udeskCallPipeline } from './pipeline'
import { registerReplyRoutes } from './replies'
import { type InstanceOptions, SimInstance } from './state'
import { registerTicketUpdateRoute } from './ticket-update'
import { registerTicketRoutes } from './tickets'
import { registerTurnstileRoute } from './turnstile'
import { registerTwoWay } from './two-way'
import { registerUploadRoutes } from './uploads'

export const DEFAULT_EMAIL = 'admin@example.com'
export const DEFAULT_TOKEN = 'dev-udesk-token'

const InstanceInputSchema = z.object({
  email: z.string().min(1).optional(),
  token: z.string().min(1).optional(),
  maxRequestsPerMinute: z.number().int().positive().nullable().optional(),
})

export interface SimApp {
  app: Hono<SimEnv>
  defaultInstance: SimInstance
  /** Ends held answers (latency, commit_then_timeout) at once, for a quick shutdown. */
  shutdown(): void
}

/** The Udesk API: the endpoints of the reference, behind the call pipeline. */
function udeskApi(shutdown: AbortSignal): Hono<SimEnv> {
  const api = new Hono<SimEnv>()
  api.use('*', udeskCallPipeline(shutdown))
  // Static paths first: PUT /tickets/take_survey must not be read as PUT /tickets/:id.
  registerCatalogRoutes(api)
  registerExportRoutes(api)
  registerUploadRoutes(api)
  registerReplyRoutes(api)
  registerCustomerRoutes(api)
  registerTicketRoutes(api)
  registerTicketUpdateRoute(api)
  // Last: a mounted app's notFound is not used, so unmatched API paths end here.
  api.all('*', (c) => {
    const route = `No route matches [${c.req.method}] "${c.req.path}"`
    return failureResponse(new UdeskFailure(2005, 'No such resource found', route, 404))
  })
  api.onError((error, c) => {
    if (error instanceof UdeskFailure) return failureResponse(error)
    console.error('simulator: unexpected error', error)
    return c.json({ code: 500, message: 'Internal Server Error' }, 500)
  })
  return api
}

/**
 * The simulator: a default instance at `/open_api_v1` + `/_sim`, fresh isolated instances at
 * `/_sim/instances/:instance/...`, the inbox page and the Turnstile double.
 */
export function createSimApp(options: InstanceOptions): SimApp {
  const stop = new AbortController()
  const defaultInstance = new SimInstance('default', { ...options })
  const instances = new Map<string, SimInstance>()
  const app = new Hono<SimEnv>()

  app.use('*', async (c, next) => {
    const match = /^\/_sim\/instances\/([^/]+)(\/|$)/.exec(c.req.path)
    const sim = match ? instances.get(match[1]!) : defaultInstance
    if (!sim) return c.json({ error: 'unknown_instance' }, 404)
    c.set('sim', sim)
    await next()
  })

  app.post('/_sim/instances', async (c) => {
    const { data, error } = await parseBody(c.req.raw, InstanceInputSchema)
    if (error) return error
    const id = crypto.randomUUID().slice(0, 8)
    const { email = DEFAULT_EMAIL, token = DEFAULT_TOKEN, maxRequestsPerMinute = null } = data
    instances.set(id, new SimInstance(id, { email, token, maxRequestsPerMinute }))
    const base = `${originOf(c)}/_sim/instances/${id}`
    return c.json({ id, baseUrl: `${base}/open_api_v1`, controlUrl: `${base}/_sim` }, 201)
  })

  app.delete('/_sim/instances/:instance', (c) => {
    return c.json({ deleted: instances.delete(c.req.param('instance')) })
  })

  const api = udeskApi(stop.signal)
  const control = controlRoutes()
  app.route('/_sim/instances/:instance/open_api_v1', api)
  app.route('/_sim/instances/:instance/_sim', control)
  app.route('/open_api_v1', api)
  app.route('/_sim', control)
  registerInbox(app, '/')
  registerInbox(app, '/_sim/instances/:instance')
  registerInbox(app, '/_sim/instances/:instance/')
  registerTurnstileRoute(app)
  registerTwoWay(app)
  app.notFound((c) => c.json({ error: 'not_found' }, 404))
  return { app, defaultInstance, shutdown: () => stop.abort() }
}
