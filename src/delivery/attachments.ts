import type { AttachmentRef } from '../ticket-event'
import { findAttachment } from './reference'
import { runStep, type ApplyContext } from './steps'

/** Files of a form submission, from KV onto the new ticket; then gone from KV. */
export async function uploadAttachments(
  ctx: ApplyContext,
  eventId: string,
  files: AttachmentRef[],
) {
  const { ticketId } = ctx.store.state
  if (ticketId === undefined || files.length === 0) return
  for (const file of files) {
    await runStep(ctx, eventId, `upload:${file.key}`, {
      run: async () => {
        const body = await ctx.kv.get(file.key, 'arrayBuffer')
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
  eventId: string,
  ticketId: number,
  files: AttachmentRef[],
): Promise<number[] | undefined> {
  if (files.length === 0) return undefined
  const ids: number[] = []
  for (const file of files) {
    const id = await runStep(ctx, eventId, `stage:${file.key}`, {
      run: async () => {
        const body = await ctx.kv.get(file.key, 'arrayBuffer')
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
