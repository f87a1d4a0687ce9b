import { env, exports } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { replayLetter } from '../../src/console/letters'
import { ledger } from '../../src/delivery/ledger'
import { outboundLetter } from '../../src/outbound/outbound-letter'
import { page, signIn } from './helpers'

/** An agent reply the bridge gave up posting into a Slack thread nobody watches any more. */
async function storedLetter() {
  const id = `outbound-test-${crypto.randomUUID()}`
  const thread = `C0GONE:${Date.now()}.000100`
  const item = {
    id: 'reply_77',
    action: {
      type: 'send_reply' as const,
      ticketId: 77,
      reply: {
        id: 77,
        content: '<p>Done</p>',
        contentFormat: 'html' as const,
        createdAt: null,
        authorName: 'Tom',
        attachments: [],
      },
    },
    steps: 0,
    failures: 0,
    uncertain: false,
  }
  const ref = { source: 'slack', thread, destination: 'slack' as const }
  await ledger(env).storeDeadLetter(id, outboundLetter(ref, item, 'permanent', 'is_archived', 1))
  return { id, thread }
}

describe('outbound dead letters in the console and the admin API', () => {
  it('lists one with its destination, thread and reason', async ({ expect }) => {
    const { id, thread } = await storedLetter()

    const response = await exports.default.fetch('https://bridge.test/admin/dead-letters', {
      headers: { authorization: 'Bearer dev-admin-token' },
    })
    const { items } = (await response.json()) as { items: Record<string, unknown>[] }

    expect(items.find((l) => l.id === id)).toMatchObject({
      reason: 'outbound_permanent',
      lastError: 'slack: is_archived',
      source: 'slack',
      thread,
      eventId: 'reply_77',
      eventType: 'outbound:send_reply',
      destination: 'slack',
    })
  })

  it('shows one with a replay button', async ({ expect }) => {
    const { id, thread } = await storedLetter()

    const html = await (await page(`/admin/letters/${id}`, await signIn())).text()

    expect(html).toContain('Answer to')
    expect(html).toContain(thread)
    expect(html).toContain(`/admin/letters/${id}/replay`)
  })

  it('keeps a letter whose thread is no longer watched: there is nothing to resume', async ({
    expect,
  }) => {
    const { id } = await storedLetter()

    const replayed = await replayLetter(env, id)

    expect(replayed).toEqual({ replayed: 0 })
    expect(await ledger(env).getDeadLetter(id)).toBeDefined()
  })
})
