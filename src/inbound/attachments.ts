import { PayloadTooLargeError } from '../errors'
import type { AttachmentRef } from '../ticket-event'

/** Udesk's limits for ticket attachments. */
export const MAX_ATTACHMENTS = 10
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
export const MAX_ATTACHMENTS_TOTAL_BYTES = 20 * 1024 * 1024
/** Files wait in KV at most this long for delivery to upload them (and delete the keys). */
export const ATTACHMENT_TTL_SECONDS = 7 * 24 * 3600

/** 413 with a message saying which of Udesk's limits the files break. */
export function checkAttachmentLimits(files: File[]): void {
  if (files.length > MAX_ATTACHMENTS) {
    throw new PayloadTooLargeError(`at most ${MAX_ATTACHMENTS} files can be attached`)
  }
  if (files.some((f) => f.size > MAX_ATTACHMENT_BYTES)) {
    throw new PayloadTooLargeError('each file can be at most 20 MB')
  }
  if (files.reduce((n, f) => n + f.size, 0) > MAX_ATTACHMENTS_TOTAL_BYTES) {
    throw new PayloadTooLargeError('attached files can be at most 20 MB together')
  }
}

/** Name, size and type as the ticket will show them; a client path is cut to its last part. */
export function describeFile(file: File) {
  const name = (file.name.split(/[\\/]/).pop() || 'attachment').slice(0, 255)
  return { name, size: file.size, contentType: file.type || 'application/octet-stream' }
}

/** Stores each file under its ref's key, with the ref as metadata and a TTL. */
export async function storeAttachments(
  kv: KVNamespace,
  refs: AttachmentRef[],
  files: File[],
): Promise<void> {
  await Promise.all(
    refs.map(async (ref, n) => {
      const file = files[n]
      if (!file) return
      await kv.put(ref.key, await file.arrayBuffer(), {
        expirationTtl: ATTACHMENT_TTL_SECONDS,
        metadata: { name: ref.name, size: ref.size, contentType: ref.contentType },
      })
    }),
  )
}

export async function deleteAttachments(kv: KVNamespace, refs: AttachmentRef[]): Promise<void> {
  await Promise.allSettled(refs.map((ref) => kv.delete(ref.key)))
}
