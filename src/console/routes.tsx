import type { MiddlewareHandler } from 'hono'
import { Hono } from 'hono/tiny'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import { secureHeaders } from 'hono/secure-headers'
import { readAdminToken } from '../config'
import { withinClientRate } from '../inbound/form-rate-limit'
import { Layout, Notice } from './layout'
import { letterPages } from './letters-page'
import { overviewPage } from './overview-page'
import { endSession, hasSession, isAdminToken, startSession } from './session'
import { settingsPages } from './settings-pages'
import { CONSOLE_CSS } from './style'
import { threadPage } from './thread-page'

export type ConsoleEnv = { Bindings: Env; Variables: { adminToken: string } }

/** No ADMIN_TOKEN, no console: the same 404 as the JSON API, nothing to probe. */
const requireToken: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const token = readAdminToken(c.env)
  if (!token) return c.json({ error: 'not_found', message: 'no such route' }, 404)
  c.set('adminToken', token)
  await next()
}

const requireSession: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  if (!(await hasSession(c, c.get('adminToken')))) return c.redirect('/admin/sign-in', 303)
  await next()
}

/**
 * The operator's console: server-rendered pages, no script. Pages may only load their own
 * stylesheet (CSP), are never framed or cached, and every POST must come from the console's own
 * origin (`hono/csrf`: Origin or Sec-Fetch-Site), on top of the SameSite=Strict session cookie.
 */
export const consoleRoutes = new Hono<ConsoleEnv>()

consoleRoutes.use('*', requireToken)
consoleRoutes.use(
  '*',
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
  }),
)
consoleRoutes.use('*', csrf())
/**
 * The console's forms carry a token or an id: 64 KiB is ample. Without a limit, `parseBody` on
 * the unauthenticated sign-in form read any body into memory (12 MB took it whole).
 */
export const CONSOLE_MAX_BODY_BYTES = 64 * 1024
consoleRoutes.use(
  '*',
  bodyLimit({
    maxSize: CONSOLE_MAX_BODY_BYTES,
    onError: (c) =>
      c.json({ error: 'payload_too_large', message: 'the console only takes small forms' }, 413),
  }),
)
consoleRoutes.use('*', async (c, next) => {
  await next()
  c.header('cache-control', 'no-store')
})

consoleRoutes.get('/console.css', (c) =>
  c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8' }),
)

function SignIn(props: { refused?: boolean }) {
  return (
    <Layout title="Sign in" signedIn={false}>
      {props.refused && <Notice error>That is not the admin token.</Notice>}
      <form method="post" action="/admin/sign-in" class="search">
        <label>
          Admin token
          <input name="token" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <p>The token is the bridge's ADMIN_TOKEN secret.</p>
    </Layout>
  )
}

consoleRoutes.get('/sign-in', (c) => c.html(<SignIn />))

/** wrangler.toml's `[[ratelimits]]` period for ADMIN_SIGNIN_LIMITER: the longest a client waits. */
export const SIGN_IN_RATE_PERIOD_S = 60

function TooManyAttempts() {
  return (
    <Layout title="Sign in" signedIn={false}>
      <Notice error>Too many sign-in attempts from this address. Try again in a minute.</Notice>
    </Layout>
  )
}

/**
 * Each attempt, right or wrong, counts against the client's allowance (ADMIN_SIGNIN_LIMITER, 10
 * a minute per `CF-Connecting-IP`), before the token is read: past it, 429 with `Retry-After`,
 * so guessing ADMIN_TOKEN cannot go faster than that.
 */
consoleRoutes.post('/sign-in', async (c) => {
  if (!(await withinClientRate(c.env.ADMIN_SIGNIN_LIMITER, 'admin-sign-in', c.req.raw.headers))) {
    c.header('retry-after', String(SIGN_IN_RATE_PERIOD_S))
    return c.html(<TooManyAttempts />, 429)
  }
  const body = await c.req.parseBody()
  const token = typeof body.token === 'string' ? body.token : ''
  if (!(await isAdminToken(token, c.get('adminToken')))) {
    return c.html(<SignIn refused />, 401)
  }
  await startSession(c, c.get('adminToken'))
  return c.redirect('/admin', 303)
})

consoleRoutes.post('/sign-out', (c) => {
  endSession(c)
  return c.redirect('/admin/sign-in', 303)
})

consoleRoutes.use('*', requireSession)
consoleRoutes.get('/', overviewPage)
consoleRoutes.route('/letters', letterPages)
consoleRoutes.get('/threads', threadPage)
consoleRoutes.route('/', settingsPages)
