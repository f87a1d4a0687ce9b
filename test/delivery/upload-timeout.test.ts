import { describe, it } from 'vitest'
import { createUdeskClient } from '../../src/udesk/client'
import { UdeskError } from '../../src/udesk/errors'
import { DEV_UDESK, defaultSim } from '../helpers/sim'
import { addFault, uniqueTag } from './sim'
import { textToHtml } from '../../src/content/html'

/** A client with a short timeout against the shared simulator, and a ticket to attach to. */
async function setup(tag: string) {
  const client = createUdeskClient({
    baseUrl: defaultSim().baseUrl,
    credentials: DEV_UDESK,
    timeoutMs: 300,
  })
  const { ticketId } = await client.createTicket({
    subject: `Upload ${tag}`,
    content: textToHtml('files'),
  })
  return { client, ticketId }
}

describe('uploads', () => {
  it('get time for their size on top of the call timeout', async ({ expect }) => {
    const tag = uniqueTag('big-upload')
    const { client, ticketId } = await setup(tag)
    // Udesk takes 600 ms to take in a 200 KB file: over the 300 ms timeout, within its allowance.
    await addFault({
      path: '/tickets/upload_file',
      match: tag,
      fault: { kind: 'latency', ms: 600 },
    })

    const uploaded = await client.uploadFile({
      ticketId,
      fileName: `${tag}.bin`,
      body: new Uint8Array(200_000),
    })

    expect(uploaded.attachmentId).toBeGreaterThan(0)
  })

  it('of a few bytes still time out after the call timeout', async ({ expect }) => {
    const tag = uniqueTag('small-upload')
    const { client, ticketId } = await setup(tag)
    await addFault({
      path: '/tickets/upload_file_for_reply',
      match: tag,
      fault: { kind: 'latency', ms: 1_500 },
    })

    const failure = await client
      .uploadFileForReply({ ticketId, fileName: `${tag}.txt`, body: new Uint8Array(100) })
      .catch((err: unknown) => err)

    expect(failure).toBeInstanceOf(UdeskError)
    expect(failure).toMatchObject({ kind: 'timeout', outcomeUnknown: true })
  })
})
