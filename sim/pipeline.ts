import type { MiddlewareHandler } from 'hono'
import { SIGNING_PARAMS, authenticate } from './auth'
import { type SimEnv, type SimContext, sleep } from './context'
import { ERR, UdeskFailure, messageForCode } from './errors'
import { type FaultRule, takeFault } from './faults'
import { admit } from './rate-limit'
import type { CallRecord, SimInstance } from './state'

const API_PREFIX = '/open_api_v1'
const MAX_LOGGED_CALLS = 20_000

/**
 * Every Udesk API call goes through here, in this order: call log, rate limit, injected fault,
 * authentication, the endpoint. Faults come before authentication because they stand for
 * trouble on the way to Udesk: nothing behind them runs, no nonce is spent.
 */
export function udeskCallPipeline(shutdown: AbortSignal): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
    const sim = c.get('sim')
    const raw = new Uint8Array(await c.req.arrayBuffer())
    const bodyText = new TextDecoder().decode(raw)
    c.set('raw', raw)
    c.set('bodyText', bodyText)
    const url = new URL(c.req.url)
    const path = c.req.path.slice(c.req.path.indexOf(API_PREFIX) + API_PREFIX.length) || '/'
    const record = logCall(sim, c, path, url, raw.length)

    const retryAfter = admit(sim)
    if (retryAfter !== null) return finish(record, rateLimited(retryAfter))
    const rawQuery = url.search.slice(1)
    const rule = takeFault(sim.faults, { method: c.req.method, path, rawQuery, bodyText })
    record.fault = rule?.fault.kind ?? null
    if (rule) {
      const early = await faultBeforeHandling(c, rule, shutdown)
      // A dropped connection answered nothing: its status and code stay null in the log.
      if (early) return rule.fault.kind === 'network' ? early : finish(record, early)
    }
    const denied = await authenticate(sim, url.searchParams, Date.now())
    if (denied) return finish(record, failureResponse(denied))

    await next()
    await finish(record, c.res)
    if (rule?.fault.kind === 'commit_then_timeout') {
      // The change is made (the log shows its code); the caller only sees the gateway give up.
      record.status = 504
      await sleep(rule.fault.ms, shutdown)
      c.res = htmlError(504, 'Gateway Time-out')
    }
  }
}

function logCall(sim: SimInstance, c: SimContext, path: string, url: URL, bytes: number) {
  const query = Object.fromEntries(
    [...url.searchParams].filter(([k]) => !(SIGNING_PARAMS as readonly string[]).includes(k)),
  )
  const record: CallRecord = {
    seq: sim.next('call'),
    at: sim.now(),
    method: c.req.method,
    path,
    query,
    body: loggedBody(c.req.header('content-type') ?? '', c.get('bodyText')),
    bodyBytes: bytes,
    status: null,
    code: null,
    fault: null,
  }
  sim.calls.push(record)
  // Bounded, so a long `npm start` session or a chaos run cannot grow it without end.
  if (sim.calls.length > MAX_LOGGED_CALLS) sim.calls.splice(0, sim.calls.length - MAX_LOGGED_CALLS)
  return record
}

function loggedBody(contentType: string, text: string): unknown {
  if (!contentType.includes('json') && !/^\s*[[{]/.test(text)) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

async function finish(record: CallRecord, response: Response): Promise<Response> {
  record.status = response.status
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => null)
    const code = (body as { code?: unknown } | null)?.code
    record.code = typeof code === 'number' ? code : null
  }
  return response
}

async function faultBeforeHandling(c: SimContext, rule: FaultRule, shutdown: AbortSignal) {
  const fault = rule.fault
  switch (fault.kind) {
    case 'code':
      return failureResponse(
        new UdeskFailure(fault.code, fault.message ?? messageForCode(fault.code)),
      )
    case 'http':
      return httpFault(fault.status, fault.retryAfter)
    case 'latency':
      await sleep(fault.ms, shutdown)
      return null
    case 'network':
      return dropConnection(c)
    case 'commit_then_timeout':
      return null
  }
}

/** Under @hono/node-server the socket is there to destroy: the caller gets no answer at all. */
function dropConnection(c: SimContext): Response {
  const socket = c.env?.incoming?.socket
  if (!socket) return htmlError(502, 'Bad Gateway (network fault outside Node)')
  socket.destroy()
  return new Response(null, { status: 499 })
}

export function failureResponse(failure: UdeskFailure): Response {
  return Response.json(failure.toJSON(), { status: failure.httpStatus })
}

function rateLimited(retryAfter: number): Response {
  const [code, message] = ERR.rateLimited
  return Response.json(
    { code, message },
    { status: 429, headers: { 'Retry-After': `${retryAfter}` } },
  )
}

function httpFault(status: 429 | 500 | 502 | 503 | 504, retryAfter?: number): Response {
  if (status === 429) {
    const [code, message] = ERR.rateLimited
    const headers = retryAfter === undefined ? undefined : { 'Retry-After': `${retryAfter}` }
    return Response.json({ code, message }, { status, headers })
  }
  if (status === 500)
    return Response.json({ code: 500, message: 'Internal Server Error' }, { status })
  const text = {
    502: 'Bad Gateway',
    503: 'Service Temporarily Unavailable',
    504: 'Gateway Time-out',
  }
  return htmlError(status, text[status])
}

/** What the load balancer in front of Udesk answers: nginx's HTML, not JSON. */
function htmlError(status: number, text: string): Response {
  const html = `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  return new Response(html, { status, headers: { 'content-type': 'text/html' } })
}
