import { beforeAll, describe, it } from 'vitest'
import { clientFor, freshSim, rejection, simTicket, unique, type FreshSim } from './fresh-sim'
import { textToHtml } from '../../src/content/html'

const MIB = 1024 * 1024

let sim: FreshSim
let udesk: ReturnType<typeof clientFor>

beforeAll(async () => {
  sim = await freshSim()
  udesk = clientFor(sim)
})

async function newTicket(withCustomer = false) {
  if (!withCustomer)
    return udesk.createTicket({ subject: unique('files'), content: textToHtml('x') })
  const email = `${unique('linus')}@example.com`
  await udesk.createCustomer({ email, nickName: 'Linus' })
  const customer = { type: 'email' as const, content: email }
  return udesk.createTicket({ subject: unique('files'), content: textToHtml('x'), customer })
}

const screenshot = () => new TextEncoder().encode('GIF89a\x01\x00\x01\x00 pretend pixels')

describe('uploadFile', () => {
  it('attaches the bytes to the ticket under their file name', async ({ expect }) => {
    const { ticketId } = await newTicket()

    const uploaded = await udesk.uploadFile({
      ticketId,
      fileName: 'screenshot.gif',
      body: screenshot(),
      contentType: 'image/gif',
    })

    expect(uploaded.attachmentId).toBeGreaterThan(0)
    expect((await simTicket(sim, ticketId))?.attachments).toMatchObject([
      { name: 'screenshot.gif' },
    ])
    const served = await fetch(uploaded.url!)
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(screenshot())
  })

  it('passes on the reference’s upload refusals', async ({ expect }) => {
    const { ticketId } = await newTicket()
    const upload = (input: Partial<Parameters<typeof udesk.uploadFile>[0]>) =>
      rejection(udesk.uploadFile({ ticketId, fileName: 'a.txt', body: 'a', ...input }))

    const errors = [
      await upload({ fileName: '' }),
      await upload({ ticketId: 987654 }),
      await upload({ body: new Uint8Array(0) }),
    ]

    expect(errors).toMatchObject([
      { udeskCode: 2000, udeskMessage: 'file_name is a required field and cannot be empty' },
      { udeskCode: 2000, udeskMessage: 'Sorry, the ticket does not exist' },
      { udeskMessage: 'Sorry, you have not uploaded attachments', retryable: false },
    ])
  })

  it('is refused for an eleventh attachment', async ({ expect }) => {
    const { ticketId } = await newTicket()
    for (let i = 1; i <= 10; i += 1) {
      await udesk.uploadFile({ ticketId, fileName: `log-${i}.txt`, body: `line ${i}` })
    }

    const error = await rejection(
      udesk.uploadFile({ ticketId, fileName: 'log-11.txt', body: 'line 11' }),
    )

    expect(error).toMatchObject({ udeskMessage: 'A ticket can upload up to 10 attachments' })
    expect((await simTicket(sim, ticketId))?.attachments).toHaveLength(10)
  })

  it('is refused for a file over 20 MB', async ({ expect }) => {
    const { ticketId } = await newTicket()

    const error = await rejection(
      udesk.uploadFile({ ticketId, fileName: 'dump.bin', body: new Uint8Array(20 * MIB + 1) }),
    )

    expect(error).toMatchObject({ udeskMessage: 'Sorry, the file you uploaded exceeds 20mb' })
  })
})

describe('reply attachments', () => {
  it('stages files for a reply and attaches them to it', async ({ expect }) => {
    const { ticketId } = await newTicket(true)
    const first = await udesk.uploadFileForReply({ ticketId, fileName: 'a.png', body: 'png a' })
    const second = await udesk.uploadFileForReply({ ticketId, fileName: 'b.png', body: 'png b' })

    const reply = await udesk.customerReply({
      id: ticketId,
      content: textToHtml('Two screenshots attached.'),
      contentType: 'text',
      attachmentIds: [first.attachmentId, second.attachmentId],
    })

    expect(
      (reply.attachments as { file_name: string }[] | undefined)?.map((a) => a.file_name),
    ).toEqual(['a.png', 'b.png'])
    expect((await simTicket(sim, ticketId))?.replies[0]).toMatchObject({
      content: 'Two screenshots attached.',
    })
  })

  it('forgets staged files once they are cleared', async ({ expect }) => {
    const { ticketId } = await newTicket(true)
    const staged = await udesk.uploadFileForReply({ ticketId, fileName: 'c.png', body: 'png c' })

    await udesk.deleteFilesForReply(ticketId)
    const error = await rejection(
      udesk.customerReply({
        id: ticketId,
        content: textToHtml('see attachment'),
        contentType: 'text',
        attachmentIds: [staged.attachmentId],
      }),
    )

    expect(error).toMatchObject({
      udeskCode: 2000,
      udeskMessage: `Sorry, there is no attachment associated with the ticket ${ticketId}`,
    })
  })

  it('refuses an attachment id that was never staged for the ticket', async ({ expect }) => {
    const { ticketId } = await newTicket(true)
    const staged = await udesk.uploadFileForReply({ ticketId, fileName: 'd.png', body: 'png d' })

    const error = await rejection(
      udesk.customerReply({
        id: ticketId,
        content: textToHtml('see attachment'),
        contentType: 'text',
        attachmentIds: [staged.attachmentId + 1000],
      }),
    )

    expect(error).toMatchObject({
      udeskMessage: `The attachment with id ${staged.attachmentId + 1000} is not found`,
    })
  })
})
