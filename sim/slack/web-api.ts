import { Hono } from 'hono'
import type { SimEnv } from '../context'
import { slackMethods, type MethodAnswer } from './methods'
import { DEV_SLACK_BOT_TOKEN, workspaceOf, type SlackWorkspace } from './workspace'

/**
 * The Slack Web API double: `POST /api/{method}` with a form or JSON body and the bot token as
 * a bearer (or a `token` parameter), answered as Slack answers: HTTP 200 with `ok`, HTTP 429
 * with `Retry-After` when rate limited. Every call is recorded; faults are injected through
 * the control routes.
 */
export function slackWebApi(): Hono<SimEnv> {
  const api = new Hono<SimEnv>()
  api.all('/api/:method', async (c) => {
    const workspace = workspaceOf(c.get('sim'))
    const method = c.req.param('method')
    const params = await readParams(c.req.raw)
    const token = bearer(c.req.header('authorization')) ?? params.token
    delete params.token
    const { answer, hangMs } = answerCall(workspace, method, params, token)
    workspace.calls.push({
      seq: workspace.nextSeq(),
      at: Date.now(),
      method,
      params,
      status: answer.status,
      ok: answer.body.ok === true,
      error: typeof answer.body.error === 'string' ? answer.body.error : null,
    })
    if (hangMs > 0) await new Promise((resolve) => setTimeout(resolve, hangMs).unref())
    return c.json(answer.body, answer.status as 200, answer.headers)
  })
  api.post('/commands/*', async (c) => {
    const workspace = workspaceOf(c.get('sim'))
    const { status, text } = responseAnswer(workspace, c.req.path)
    const contentType = c.req.header('content-type') ?? null
    const raw = await c.req.text()
    workspace.responses.push({
      seq: workspace.nextSeq(),
      at: Date.now(),
      path: c.req.path.slice(c.req.path.indexOf('/commands/')),
      status,
      contentType,
      body: readJson(raw),
    })
    return c.text(text, status as 200)
  })
  return api
}

/**
 * Slack answers a response URL with 200 `ok`, and a refusal as 404 with its code in plain
 * text (`expired_url`, `used_url`); faults for method `response_url` make it answer so.
 */
function responseAnswer(workspace: SlackWorkspace, path: string) {
  const fault = workspace.takeFault('response_url', { path })
  if (fault?.kind === 'http') return { status: fault.status, text: 'http' }
  if (fault?.kind === 'error') return { status: 404, text: fault.error }
  return { status: 200, text: 'ok' }
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function answerCall(
  workspace: SlackWorkspace,
  method: string,
  params: Record<string, string>,
  token: string | undefined,
): { answer: MethodAnswer; hangMs: number } {
  const now = (answer: MethodAnswer) => ({ answer, hangMs: 0 })
  if (!token) return now(refuse('not_authed'))
  if (token !== DEV_SLACK_BOT_TOKEN) return now(refuse('invalid_auth'))
  const handler = slackMethods[method]
  if (!handler) return now(refuse('unknown_method'))
  const fault = workspace.takeFault(method, params)
  if (fault?.kind === 'ratelimited') {
    const headers = { 'retry-after': String(fault.retryAfter) }
    return now({ status: 429, body: { ok: false, error: 'ratelimited' }, headers })
  }
  if (fault?.kind === 'http')
    return now({ status: fault.status, body: { ok: false, error: 'http' } })
  if (fault?.kind === 'error') return now(refuse(fault.error))
  return { answer: handler(workspace, params), hangMs: fault?.kind === 'hang' ? fault.ms : 0 }
}

function refuse(error: string): MethodAnswer {
  return { status: 200, body: { ok: false, error } }
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  return match?.[1]
}

/** Slack takes form-encoded bodies, JSON bodies (with a bearer token) and query strings. */
async function readParams(request: Request): Promise<Record<string, string>> {
  const params: Record<string, string> = Object.fromEntries(new URL(request.url).searchParams)
  const type = request.headers.get('content-type') ?? ''
  const text = await request.text()
  if (type.includes('json')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>
      for (const [key, value] of Object.entries(json)) {
        params[key] = typeof value === 'string' ? value : JSON.stringify(value)
      }
    } catch {
      // Slack answers `invalid_json`; the missing fields below produce a refusal anyway.
    }
    return params
  }
  for (const [key, value] of new URLSearchParams(text)) params[key] = value
  return params
}
