import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import type { AttachmentRef, TicketEvent } from '../../src/ticket-event'
import { deliver, openEvent, ticketsTagged, uniqueTag } from './sim'

/** A file as the form intake leaves it: bytes in KV, a reference in the event. */
async function storedFile(tag: string, name: string, text: string): Promise<AttachmentRef> {
  const bytes = new TextEncoder().encode(text)
  const key = `attachment:${tag}:${name}`
  await env.BRIDGE_KV.put(key, bytes)
  return { key, name, size: bytes.byteLength, contentType: 'text/plain' }
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
})
