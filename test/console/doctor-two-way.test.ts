import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { checkTwoWay } from '../../src/console/doctor-two-way'

const envWith = (extra: Record<string, unknown>) => ({ ...env, ...extra }) as unknown as Env

describe('the doctor’s two-way check', () => {
  it('says where answers go and that the doorbell is on, without a secret', ({ expect }) => {
    const check = checkTwoWay(envWith({}), 'local')

    expect(check.ok).toBe(true)
    expect(check.detail).toMatch(/slack → http:\/\/127\.0\.0\.1:\d+\/slack\/api/)
    expect(check.detail).toMatch(/events → http:\/\/127\.0\.0\.1:\d+\/_sim\/receiver\/events/)
    expect(check.detail).toContain('doorbell on')
    expect(check.detail).toContain('sweep of filter 4')
    expect(JSON.stringify(check)).not.toContain('xoxb-dev-slack-bot-token')
  })

  it('shows a reply URL without the credentials or query a receiver may keep in it', ({
    expect,
  }) => {
    const check = checkTwoWay(
      envWith({ EVENTS_REPLY_URL: 'https://bot:pa55word@chat.example.com/udesk?key=s3cr3t-key' }),
      'local',
    )

    expect(check.detail).toContain('events → https://chat.example.com/udesk?…')
    expect(JSON.stringify(check)).not.toMatch(/pa55word|s3cr3t-key|bot:/)
  })

  it('says the sweep is off without a filter id, and names a filter id that is no id', ({
    expect,
  }) => {
    const off = checkTwoWay(envWith({ UDESK_WATCH_FILTER_ID: '' }), 'local')
    const bad = checkTwoWay(envWith({ UDESK_WATCH_FILTER_ID: 'unsolved' }), 'local')

    expect(off.detail).toMatch(/sweep off$/)
    expect(bad.ok).toBe(false)
    expect(bad.detail).toMatch(/UDESK_WATCH_FILTER_ID/)
  })

  it('refuses plain http destinations in a deployment', ({ expect }) => {
    const check = checkTwoWay(envWith({}), 'production')

    expect(check.ok).toBe(false)
    expect(check.detail).toMatch(/^not https: slack → http/)
    expect(check.fix).toMatch(/https/)
  })

  it('names a reply secret that is not set', ({ expect }) => {
    const check = checkTwoWay(envWith({ EVENTS_REPLY_SECRET: '' }), 'local')

    expect(check.ok).toBe(false)
    expect(check.detail).toMatch(/events: replySecret names no set binding/)
  })
})
