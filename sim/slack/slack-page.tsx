/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Hono } from 'hono'
import { html } from 'hono/html'
import type { FC } from 'hono/jsx'
import type { SimEnv } from '../context'
import { channelThreads } from './control'
import { workspaceOf } from './workspace'

const REFRESH_SECONDS = 5
const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1a1a1a; }
article { border: 1px solid #bbb; border-radius: 6px; padding: 0 1rem 1rem; margin: 1rem 0; }
.text { white-space: pre-wrap; background: #f4f4f4; padding: .5rem; border-radius: 4px; margin: 0; }
.bot { border-left: 4px solid #4a154b; }
`

type Channel = ReturnType<typeof channelThreads>[number]

/** The Slack double's page: each channel's threads, the bot's posts and reactions in them. */
export function registerSlackPage(app: Hono<SimEnv>, path: string): void {
  app.get(path, (c) => {
    const workspace = workspaceOf(c.get('sim'))
    const channels = channelThreads(workspace)
    const calls = workspace.calls.length
    return c.html(html`<!DOCTYPE html>${(<SlackPage channels={channels} calls={calls} />)}`)
  })
}

const SlackPage: FC<{ channels: Channel[]; calls: number }> = ({ channels, calls }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta http-equiv="refresh" content={String(REFRESH_SECONDS)} />
      <title>Slack double ({String(channels.length)} channels)</title>
      <style>{STYLE}</style>
    </head>
    <body>
      <header>
        <h1>Slack double</h1>
        <p>
          {channels.length} channels, {calls} Web API calls. Text is shown as the bridge sent it
          (mrkdwn). This page refreshes every {REFRESH_SECONDS} seconds.
        </p>
      </header>
      <main>
        {channels.length === 0 ? <p>No messages yet.</p> : null}
        {channels.map((channel) => (
          <article aria-labelledby={`channel-${channel.id}`}>
            <h2 id={`channel-${channel.id}`}>#{channel.id}</h2>
            {channel.threads.map((thread) => (
              <section aria-label={`Thread ${thread.ts}`}>
                <h3>Thread {thread.ts}</h3>
                <ol>
                  {thread.messages.map((m) => (
                    <li>
                      <p>
                        <strong>{m.username ?? m.user ?? 'unknown'}</strong>
                        {m.bot_id ? ' (bot)' : ''}, ts {m.ts}
                        {m.reactions
                          ? `, reactions: ${m.reactions.map((r) => `:${r.name}:`).join(' ')}`
                          : ''}
                      </p>
                      <pre class={m.bot_id ? 'text bot' : 'text'}>{m.text}</pre>
                    </li>
                  ))}
                </ol>
              </section>
            ))}
          </article>
        ))}
      </main>
    </body>
  </html>
)
