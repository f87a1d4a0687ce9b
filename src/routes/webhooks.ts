import type { Context } from 'hono'
import { Hono } from 'hono/tiny'
import { HTTPException } from 'hono/http-exception'
import { loadIntakeConfig, type IntakeConfig, type SourceConfig } from '../config'
import { AppError, InvalidPayloadError, retryAfterSeconds, UnknownSourceError } from '../errors'
import { acceptEvents } from '../inbound/accept'
import { bodyLimitFor, readBodyWithin } from '../inbound/body-limit'
import { allowedOrigin, corsHeaders } from '../inbound/cors'
import { checkClientRate } from '../inbound/form-rate-limit'
import { backLink } from '../inbound/form-redirect'
import type { Intake } from '../inbound/intake'
import { acceptedMediaType } from '../inbound/media-type'
import { tallyDuplicate } from '../inbound/duplicate-tally'
import { refusalPage } from '../inbound/refusal-page'
import { logInbound, type InboundLog } from '../inbound/request-log'
import { runIntake } from '../inbound/run-intake'
import { THANK_YOU_PAGE } from '../inbound/thank-you-page'
import { intakeSlackBot } from '../slack/bot'

type Ctx = Context<{ Bindings: Env }>
type Answer = { outcome: string; response: Response }

/** `POST /webhooks/:source`, with CORS preflight and the thank-you page for forms. */
export const webhooks = new Hono<{ Bindings: Env }>()

webhooks.post('/:source', async (c) => {
  const receivedAt = Date.now()
  const log: Omit<InboundLog, 'outcome' | 'status' | 'durationMs'> = {
    source: c.req.param('source'),
  }
  try {
    const { outcome, response } = await receive(c, receivedAt, log)
    // An accepted delivery is logged where it is delivered (`msg: "delivery"`, same delivery
    // and event ids), and Workers' invocation log has its request: a line here would only
    // double the log volume on the busiest path. Duplicates are logged a window at a time
    // (`tallyDuplicate`), so a replay flood is not a log flood.
    if (outcome !== 'accepted' && outcome !== 'duplicate') {
      logInbound({ ...log, outcome, status: response.status, durationMs: Date.now() - receivedAt })
    }
    return response
  } catch (err) {
    const refused = err instanceof AppError
    logInbound({
      ...log,
      outcome: refused ? err.code : 'internal_error',
      status: refused ? err.status : 500,
      // A refusal's verdict (`stale_timestamp`, ...) or the bug behind a 500, never a value.
      ...(err instanceof Error && 'reason' in err && { reason: String(err.reason) }),
      durationMs: Date.now() - receivedAt,
    })
    if (refused && acceptsHtml(c)) return refusalResponse(c, err)
    throw err
  }
})

webhooks.options('/:source', (c) => {
  const { source } = findSource(c)
  if (source.kind !== 'form') throw new HTTPException(405, { message: 'method not allowed' })
  const origin = allowedOrigin(c.req.header('origin') ?? null, source.allowedOrigins)
  const headers = origin
    ? corsHeaders(origin, c.req.header('access-control-request-headers') ?? null)
    : {}
  return c.body(null, 204, headers)
})

webhooks.get('/:source/thanks', (c) => {
  const { source } = findSource(c)
  if (source.kind !== 'form') throw new UnknownSourceError()
  return c.html(THANK_YOU_PAGE)
})

/** Steps 1-6 of docs/design.md's flow, each refusing with its own error (mapped in errors.ts). */
async function receive(c: Ctx, receivedAt: number, log: Partial<InboundLog>): Promise<Answer> {
  const { name, source, config } = findSource(c)
  log.kind = source.kind
  if (source.kind === 'form') {
    allowForm(c, source.allowedOrigins)
    // Before the body is read: a flood costs one counter call per post, not a parse.
    await checkClientRate(c.env.FORM_RATE_LIMITER, name, c.req.raw.headers)
  }
  const contentType = c.req.header('content-type') ?? null
  // A form is not signed and its content type picks its body limit: checked first. Signed
  // kinds check it after authenticating, so an unsigned caller learns nothing of the format.
  const formType = source.kind === 'form' ? acceptedMediaType('form', contentType) : undefined
  const body = await readBodyWithin(c.req.raw, bodyLimitFor(config, source, formType))
  const intake = await runIntake({
    name,
    source,
    secrets: config.secrets[name] ?? [],
    config,
    headers: c.req.raw.headers,
    body,
    contentType,
    receivedAt,
    kv: c.env.BRIDGE_KV,
    slackBot: source.kind === 'slack' ? intakeSlackBot(c.env) : undefined,
  })
  if (intake.deliveryId) log.deliveryId = intake.deliveryId
  // Read only now that the request is authenticated, and clipped: the sender writes it.
  const retryNum = source.kind === 'slack' && c.req.header('x-slack-retry-num')
  if (retryNum) log.retryNum = clipHeader(retryNum)
  return answer(c, { name, source, config }, intake, log)
}

async function answer(c: Ctx, found: Found, intake: Intake, log: Partial<InboundLog>) {
  switch (intake.kind) {
    case 'answer':
      return { outcome: intake.outcome, response: c.json(intake.body, 200) }
    case 'honeypot':
      return {
        outcome: 'honeypot',
        response: accepted(c, found, intake.deliveryId, intake.redirect),
      }
    case 'duplicate':
      countDuplicate(c, found, intake.deliveryId)
      return { outcome: 'duplicate', response: duplicate(c, found, intake.redirect) }
    case 'events': {
      log.eventIds = intake.events.map((e) => e.id)
      const outcome = await acceptEvents(c.env, found.config, found.name, intake)
      // Accepted events are counted by the queue consumer, off the sender's ack path.
      if (outcome !== 'accepted') countDuplicate(c, found, intake.deliveryId)
      const custom = intake.answers?.[outcome]
      const response = custom
        ? c.json(custom, 200)
        : outcome === 'accepted'
          ? accepted(c, found, intake.deliveryId, intake.redirect)
          : duplicate(c, found, intake.redirect)
      return { outcome, response }
    }
  }
}

/** A sender-chosen header as logged: at most 16 printable characters. */
const MAX_LOGGED_HEADER_CHARS = 16
function clipHeader(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_LOGGED_HEADER_CHARS)
}

/**
 * A duplicate is logged, and a signed sender's counted in the console's stats, a second's worth
 * at a time per isolate (`tallyDuplicate`); a form's is not counted: anyone can post a form,
 * and an anonymous request never writes shared state.
 */
function countDuplicate(c: Ctx, found: Found, deliveryId: string | undefined): void {
  const duplicate = { source: found.name, deliveryId, counted: found.source.kind !== 'form' }
  tallyDuplicate(c.env, duplicate, (p) => c.executionCtx.waitUntil(p))
}

type Found = { name: string; source: SourceConfig; config: IntakeConfig }

function findSource(c: Ctx): Found {
  const config = loadIntakeConfig(c.env)
  const name = c.req.param('source') ?? ''
  const source = Object.hasOwn(config.SOURCES, name) ? config.SOURCES[name] : undefined
  if (!source) throw new UnknownSourceError()
  return { name, source, config }
}

/** Refuses a browser post from an origin the form does not list; lets its script read us. */
function allowForm(c: Ctx, allowedOrigins: string[]) {
  const origin = allowedOrigin(c.req.header('origin') ?? null, allowedOrigins)
  if (origin) for (const [k, v] of Object.entries(corsHeaders(origin))) c.header(k, v)
}

function acceptsHtml(c: Ctx): boolean {
  return (c.req.header('accept') ?? '').includes('text/html')
}

/** A browser that posted a form (it accepts HTML) goes on to a page; scripts get JSON. */
function wantsPage(c: Ctx, found: Found): found is Found & { source: { kind: 'form' } } {
  return found.source.kind === 'form' && acceptsHtml(c)
}

/** A refusal as a page for a person, linking back to the form when its page is known. */
async function refusalResponse(c: Ctx, err: AppError): Promise<Response> {
  const retryAfterS = retryAfterSeconds(err)
  if (retryAfterS !== undefined) c.header('Retry-After', String(retryAfterS))
  const page = refusalPage({
    status: err.status,
    code: err.code,
    message: err.message,
    ...(err instanceof InvalidPayloadError && { issues: err.issues }),
    ...(retryAfterS !== undefined && { retryAfterS }),
    back: backLink(c.req.header('referer') ?? null, formOrigins(c)),
  })
  return await c.html(page, err.status)
}

/** The allowed origins of the form posted to; none when the source is unknown or not a form. */
function formOrigins(c: Ctx): string[] {
  try {
    const { source } = findSource(c)
    return source.kind === 'form' ? source.allowedOrigins : []
  } catch {
    return []
  }
}

function thankYouUrl(
  c: Ctx,
  found: Found & { source: { kind: 'form' } },
  redirect: string | undefined,
): string {
  if (redirect) return redirect
  const builtIn = new URL(`/webhooks/${encodeURIComponent(found.name)}/thanks`, c.req.url)
  return found.source.thankYouUrl ?? builtIn.href
}

function accepted(c: Ctx, found: Found, id: string, redirect?: string): Response {
  if (wantsPage(c, found)) return c.redirect(thankYouUrl(c, found, redirect), 303)
  return c.json({ status: 'accepted', id }, 202)
}

/** A browser resubmitting gets the same page; senders get the README's duplicate answer. */
function duplicate(c: Ctx, found: Found, redirect?: string): Response {
  if (wantsPage(c, found)) return c.redirect(thankYouUrl(c, found, redirect), 303)
  return c.json({ status: 'duplicate' }, 200)
}
