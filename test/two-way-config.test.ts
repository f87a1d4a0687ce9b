import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { twoWayFor } from '../src/delivery/two-way-hooks'
import { loadTwoWayConfig } from '../src/two-way-config'

/** The test bindings with `extra` on top, as a fresh env object (the config is cached per env). */
const envWith = (extra: Record<string, unknown>) => ({ ...env, ...extra }) as unknown as Env

describe('two-way configuration', () => {
  it('answers Slack sources with a bot token and the events source at its reply URL', ({
    expect,
  }) => {
    const config = loadTwoWayConfig(envWith({ EVENTS_REPLY_URL: 'https://chat.example/hook' }))

    expect(config.destinations.slack).toEqual({ kind: 'slack' })
    expect(config.destinations.events).toEqual({
      kind: 'webhook',
      url: 'https://chat.example/hook',
      secrets: ['whsec_LWNM5nSJBfEA2EeizrQ4LTEIdHxspwSY'],
    })
    expect(config.destinations.contact).toBeUndefined()
    expect(config.slack.acknowledgement).toBe('message')
    expect(config.timings.hotEveryMs).toBe(30_000)
  })

  it('is one-way for Slack without a bot token', ({ expect }) => {
    const config = loadTwoWayConfig(envWith({ SLACK_BOT_TOKEN: '' }))

    expect(config.destinations.slack).toBeUndefined()
  })

  it('fails with the field name for a bad setting or a reply secret not set', ({ expect }) => {
    expect(() => loadTwoWayConfig(envWith({ SLACK_ACKNOWLEDGEMENT: 'emoji' }))).toThrow(
      /SLACK_ACKNOWLEDGEMENT/,
    )
    expect(() => loadTwoWayConfig(envWith({ EVENTS_REPLY_SECRET: undefined }))).toThrow(
      /events: replySecret names no set binding/,
    )
  })

  it('turns two-way off for deliveries when a setting is bad, so tickets still open', ({
    expect,
  }) => {
    const bad = envWith({ SLACK_ACKNOWLEDGEMENT: 'emoji' })

    expect(twoWayFor(bad)).toBeUndefined()
    expect(twoWayFor(envWith({}))).toBeDefined()
  })

  it('reads the watch timings in seconds', ({ expect }) => {
    const config = loadTwoWayConfig(
      envWith({ WATCH_HOT_SECONDS: '2', WATCH_DEBOUNCE_SECONDS: '1' }),
    )

    expect(config.timings).toMatchObject({ hotEveryMs: 2_000, debounceMs: 1_000 })
  })
})
