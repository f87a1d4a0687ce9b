import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, it, vi } from 'vitest'
import { ATTACHMENT_GRACE_MS } from '../../src/delivery/attachments'
import { threadCoordinator } from '../../src/delivery/thread-coordinator'
import { ThreadStore } from '../../src/delivery/thread-store'
import type { AttachmentRef, TicketEvent } from '../../src/ticket-event'
import { deliver, openEvent, ticketsTagged, uniqueTag } from './sim'

/** A file as the form intake leaves it: bytes in KV, a reference in the event. */
async function storedFile(tag: string, name: string, text: string): Promise<AttachmentRef> {
  const bytes = new TextEncoder().encode(text)
  const key = `attachment:${tag}:${name}`
  await env.BRIDGE_KV.put(key, bytes)
  return { key, name, size: bytes.byteLength, contentType: 'text/plain' }
}

afterEach(() => {
  vi.useRealTimers()
})

/** A file reference whose bytes are not (yet) in KV. */
function unstoredFile(tag: string, name: string, text: string): AttachmentRef {
  return { key: `attachment:${tag}:${name}`, name, size: text.length, contentType: 'text/plain' }
}

/** What the thread recorded for the event's step: undefined when nothing, not even an intent. */
function stepOf(thread: string, eventId: string, step: string) {
  return runInDurableObject(threadCoordinator(env, 'contact', thread), (_, state) =>
    new ThreadStore(state.storage).step(eventId, step),
  )
}

/** Past the event's first backoff (at most DELIVERY_RETRY_BASE_SECONDS). */
function afterBackoff() {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.now() + 3_000)
}

describe('attachments', () => {
  it('go from KV onto the new ticket, and leave KV', async ({ expect }) => {
    const thread = uniqueTag('files')
    const log = await storedFile(thread, 'error-log.txt', 'TypeError: undefined is not a function')
    const open = openEvent(
      { source: 'contact', thread, id: `${thread}:open` },
      { attachments: [log] },
    )

    const [outcome] = await deliver(thread, open)

    expect(outcome).toMatchObject({ outcome: 'applied' })
    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.attachments.map((a) => a.name ?? a.file_name)).toEqual(['error-log.txt'])
    expect(await env.BRIDGE_KV.get(log.key)).toBeNull()
  })

  it('of a reply are staged for it and named by the reply', async ({ expect }) => {
    const thread = uniqueTag('reply-files')
    await deliver(thread, openEvent({ source: 'contact', thread, id: `${thread}:open` }))
    const shot = await storedFile(thread, 'screenshot.txt', 'pretend this is a PNG')
    const reply: TicketEvent = {
      type: 'reply',
      source: 'contact',
      thread,
      id: `${thread}:r1`,
      receivedAt: Date.now(),
      content: 'Here is what I see.',
      attachments: [shot],
    }

    await deliver(thread, reply)

    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.replies.map((r) => r.attachments.map((a) => a.file_name))).toEqual([
      ['screenshot.txt'],
    ])
    expect(await env.BRIDGE_KV.get(shot.key)).toBeNull()
  })

  it('not yet visible in KV (eventually consistent) are waited for, not recorded missing', async ({
    expect,
  }) => {
    const thread = uniqueTag('kv-lag')
    const text = 'Traceback (most recent call last)'
    const log = unstoredFile(thread, 'trace.txt', text)
    const open = openEvent(
      { source: 'contact', thread, id: `${thread}:open` },
      { attachments: [log] },
    )

    const [first] = await deliver(thread, open)
    const intent = await stepOf(thread, open.id, `upload:${log.key}`)
    await env.BRIDGE_KV.put(log.key, text)
    afterBackoff()
    const [second] = await deliver(thread, open, 2)

    expect(first).toMatchObject({ outcome: 'retry', errorCode: 'attachment_not_visible' })
    expect(intent).toBeUndefined()
    expect(second).toMatchObject({ outcome: 'applied' })
    const tickets = await ticketsTagged(thread)
    expect(tickets.map((t) => t.attachments.map((a) => a.name ?? a.file_name))).toEqual([
      ['trace.txt'],
    ])
    expect(await env.BRIDGE_KV.get(log.key)).toBeNull()
  })

  it('still missing after the grace period are recorded missing and the ticket opens', async ({
    expect,
  }) => {
    const thread = uniqueTag('kv-gone')
    const log = unstoredFile(thread, 'expired.txt', 'long gone')
    const receivedAt = Date.now() - ATTACHMENT_GRACE_MS - 1_000
    const open = openEvent(
      { source: 'contact', thread, id: `${thread}:open`, receivedAt },
      { attachments: [log] },
    )

    const [outcome] = await deliver(thread, open)

    expect(outcome).toMatchObject({ outcome: 'applied' })
    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.attachments).toEqual([])
    expect(await stepOf(thread, open.id, `upload:${log.key}`)).toEqual({
      status: 'done',
      result: { missing: 'expired.txt' },
    })
  })

  it('of a reply, not yet visible in KV, hold the reply until they are', async ({ expect }) => {
    const thread = uniqueTag('kv-lag-reply')
    await deliver(thread, openEvent({ source: 'contact', thread, id: `${thread}:open` }))
    const text = 'pretend this is a PNG'
    const shot = unstoredFile(thread, 'later.txt', text)
    const reply: TicketEvent = {
      type: 'reply',
      source: 'contact',
      thread,
      id: `${thread}:r1`,
      receivedAt: Date.now(),
      content: 'Screenshot attached.',
      attachments: [shot],
    }

    const [first] = await deliver(thread, reply)
    const before = await ticketsTagged(thread)
    await env.BRIDGE_KV.put(shot.key, text)
    afterBackoff()
    const [second] = await deliver(thread, reply, 2)

    expect(first).toMatchObject({ outcome: 'retry', errorCode: 'attachment_not_visible' })
    expect(before[0]!.replies).toEqual([])
    expect(second).toMatchObject({ outcome: 'applied' })
    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.replies.map((r) => r.attachments.map((a) => a.file_name))).toEqual([
      ['later.txt'],
    ])
  })
})
