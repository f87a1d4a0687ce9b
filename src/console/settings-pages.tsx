import { Hono } from 'hono/tiny'
import { inspectConfig, type SecretBinding, type SourceConfig } from '../config'
import { diagnose } from './diagnose'
import type { CheckResult } from './doctor'
import { Layout, Notice } from './layout'
import type { ConsoleEnv } from './routes'

/** The console's configuration pages: what each source is, and the doctor's findings. */
export const settingsPages = new Hono<ConsoleEnv>()

/** How a source's senders prove who they are, by kind (DESIGN.md, "Sources"). */
function authMode(source: SourceConfig): string {
  const configured = (source as { auth?: unknown }).auth
  if (configured !== undefined)
    return typeof configured === 'string' ? configured : JSON.stringify(configured)
  switch (source.kind) {
    case 'form':
      return source.turnstileSecret ? 'Turnstile' : 'none (honeypot and origins only)'
    case 'slack':
      return 'Slack request signature (v0 HMAC-SHA256)'
    case 'webhook':
      return 'Standard Webhooks signature'
    default:
      return 'bearer token'
  }
}

/** Options as shown: everything but the names of secret bindings, which get their own rows. */
function options(source: SourceConfig): [string, string][] {
  return Object.entries(source)
    .filter(([key]) => !['kind', 'secret', 'turnstileSecret', 'auth'].includes(key))
    .map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])
}

function SourceCard(props: { name: string; source: SourceConfig; secrets: SecretBinding[] }) {
  const { name, source, secrets } = props
  return (
    <section aria-labelledby={`source-${name}`}>
      <h2 id={`source-${name}`}>{name}</h2>
      <dl>
        <dt>Kind</dt>
        <dd>{source.kind}</dd>
        <dt>Authentication</dt>
        <dd>{authMode(source)}</dd>
        {secrets.map((s) => (
          <>
            <dt>{s.purpose === 'turnstile' ? 'Turnstile secret' : 'Secret'}</dt>
            <dd class={s.set ? 'ok' : 'bad'}>
              {s.binding}: {s.set ? 'set' : 'not set'}
            </dd>
          </>
        ))}
        {options(source).map(([key, value]) => (
          <>
            <dt>{key}</dt>
            <dd>
              <code>{value}</code>
            </dd>
          </>
        ))}
      </dl>
    </section>
  )
}

settingsPages.get('/sources', (c) => {
  const inspected = inspectConfig(c.env)
  if (!inspected.ok) {
    return c.html(
      <Layout title="Sources" current="/admin/sources">
        <Notice error>The configuration does not parse: {inspected.problems.join('; ')}</Notice>
      </Layout>,
    )
  }
  const { settings, secrets } = inspected
  return c.html(
    <Layout title="Sources" current="/admin/sources">
      <p>
        Each source's kind, how its senders authenticate, its options, and whether its secrets are
        set. Secret values are never shown.
      </p>
      {Object.entries(settings.SOURCES).map(([name, source]) => (
        <SourceCard
          name={name}
          source={source}
          secrets={secrets.filter((s) => s.source === name)}
        />
      ))}
    </Layout>,
  )
})

function Check(props: { check: CheckResult }) {
  const { check } = props
  return (
    <li>
      <span class={check.ok ? 'ok' : 'bad'} aria-hidden="true">
        {check.ok ? '✓' : '✗'}
      </span>{' '}
      <strong>{check.title}</strong>
      <span class="visually-hidden">{check.ok ? ' (passes)' : ' (fails)'}</span>
      {check.detail && <>: {check.detail}</>}
      {!check.ok && check.fix && <span class="fix">Fix: {check.fix}</span>}
    </li>
  )
}

settingsPages.get('/check', async (c) => {
  const checks = await diagnose(c.env, c.req.url)
  const failed = checks.filter((check) => !check.ok).length
  return c.html(
    <Layout title="Check configuration" current="/admin/check">
      <Notice error={failed > 0}>
        {failed === 0 ? 'Every check passes.' : `${failed} of ${checks.length} checks fail.`}
      </Notice>
      <ol class="checks">
        {checks.map((check) => (
          <Check check={check} />
        ))}
      </ol>
      <p>
        The same checks run from a terminal with <code>npm run doctor</code>.
      </p>
    </Layout>,
  )
})
