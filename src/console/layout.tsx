import type { Child } from 'hono/jsx'

const NAV = [
  ['/admin', 'Overview'],
  ['/admin/letters', 'Dead letters'],
  ['/admin/threads', 'Threads'],
  ['/admin/sources', 'Sources'],
  ['/admin/check', 'Check configuration'],
] as const

/**
 * Every console page: one stylesheet from /admin (the CSP allows nothing else), no script,
 * a nav that works on a phone. Hono's JSX escapes every text child and attribute value.
 */
export function Layout(props: {
  title: string
  current?: string
  signedIn?: boolean
  children: Child
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · udesk-bridge`}</title>
        <link rel="stylesheet" href="/admin/console.css" />
      </head>
      <body>
        <a href="#main" class="skip">
          Skip to the page
        </a>
        <header>
          <strong>udesk-bridge</strong>
          {props.signedIn !== false && (
            <nav aria-label="Console">
              <ul>
                {NAV.map(([href, label]) => (
                  <li>
                    <a href={href} aria-current={props.current === href ? 'page' : undefined}>
                      {label}
                    </a>
                  </li>
                ))}
              </ul>
              <form method="post" action="/admin/sign-out">
                <button type="submit">Sign out</button>
              </form>
            </nav>
          )}
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  )
}

/** A status line for the result of an action (`role="status"` so screen readers announce it). */
export function Notice(props: { children: Child; error?: boolean }) {
  return (
    <p role={props.error ? 'alert' : 'status'} class={props.error ? 'notice error' : 'notice'}>
      {props.children}
    </p>
  )
}

export function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')
}
