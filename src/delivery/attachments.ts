import type { AttachmentRef, TicketEvent } from '../ticket-event'
import { findAttachment } from './reference'
import { NothingSentError, runStep, type ApplyContext } from './steps'

/** The event a step belongs to: its id, and when it was accepted. */
export type EventRef = Pick<TicketEvent, 'id' | 'receivedAt'>

/**
 * KV is eventually consistent: a file written at acceptance may take up to ~60 s to be visible
 * where the delivery runs. Until this long after acceptance a missing file is "not yet", after
 * it "gone" (expired before delivery).
 */
export const ATTACHMENT_GRACE_MS = 10 * 60_000

/** The file's bytes; null when gone for good; throws (nothing sent) when maybe not there yet. */
async function readFile(
  ctx: ApplyContext,
  event: EventRef,
  file: AttachmentRef,
): Promise<ArrayBuffer | null> {
  const body = await ctx.kv.get(file.key, 'arrayBuffer')
  if (body !== null || Date.now() - event.receivedAt >= ATTACHMENT_GRACE_MS) return body
  const why = `attachment ${file.name} of event ${event.id} is not visible in KV yet`
  throw new NothingSentError('attachment_not_visible', why)
}

/** Files of a form submission, from KV onto the new ticket; then gone from KV. */
export async function uploadAttachments(
  ctx: ApplyContext,
  event: EventRef,
  files: AttachmentRef[],
) {
  const { ticketId } = ctx.store.state
  if (ticketId === undefined || files.length === 0) return
  for (const file of files) {
    await runStep(ctx, event.id, `upload:${file.key}`, {
      run: async () => {
        const body = await readFile(ctx, event, file)
        // Gone from KV only when it expired before delivery: say so, do not fail the ticket.
        if (body === null) return { missing: file.name }
        const fileName = file.name
        await ctx.client.uploadFile({ ticketId, fileName, body, contentType: file.contentType })
        return { uploaded: file.name }
      },
      check: async () =>
        (await findAttachment(ctx.client, ticketId, file.name))
          ? { uploaded: file.name }
          : undefined,
    })
  }
  await deleteFiles(ctx, files)
}

/** Reply files are staged with `upload_file_for_reply`, then named by the reply. */
export async function uploadForReply(
  ctx: ApplyContext,
  event: EventRef,
  ticketId: number,
  files: AttachmentRef[],
): Promise<number[] | undefined> {
  if (files.length === 0) return undefined
  const ids: number[] = []
  for (const file of files) {
    const id = await runStep(ctx, event.id, `stage:${file.key}`, {
      run: async () => {
        const body = await readFile(ctx, event, file)
        if (body === null) return 0
        const staged = await ctx.client.uploadFileForReply({
          ticketId,
          fileName: file.name,
          body,
          contentType: file.contentType,
        })
        return staged.attachmentId
      },
    })
    if (id) ids.push(id)
  }
  return ids.length > 0 ? ids : undefined
}

export async function deleteFiles(ctx: ApplyContext, files: AttachmentRef[]): Promise<void> {
  await Promise.all(files.map((file) => ctx.kv.delete(file.key)))
}
