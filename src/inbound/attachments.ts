import { PayloadTooLargeError } from '../errors'
import { fromBase64, toBase64 } from '../signatures/encoding'
import type { AttachmentRef } from '../ticket-event'
import * as z from '../zod'

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
      if (file) await putAttachment(kv, ref, await file.arrayBuffer())
    }),
  )
}

export async function deleteAttachments(kv: KVNamespace, refs: AttachmentRef[]): Promise<void> {
  await Promise.allSettled(refs.map((ref) => kv.delete(ref.key)))
}

function putAttachment(kv: KVNamespace, ref: AttachmentRef, body: ArrayBuffer | Uint8Array) {
  return kv.put(ref.key, body, {
    expirationTtl: ATTACHMENT_TTL_SECONDS,
    metadata: { name: ref.name, size: ref.size, contentType: ref.contentType },
  })
}

/**
 * Files of at most this many bytes together travel in their queue message (base64, a third
 * larger) instead of being written to KV while the sender waits; the queue consumer stores
 * them (`storeCarriedFiles`). Larger ones are written to KV before the answer, as the queue
 * takes at most 128 KB a message.
 */
export const MAX_CARRIED_FILE_BYTES = 64 * 1024

/** A file in its queue message: its ref's KV key and its bytes in standard base64. */
export const CarriedFileSchema = z.object({
  key: z.string().check(z.startsWith('attachment:')),
  data: z.string(),
})
export type CarriedFile = z.infer<typeof CarriedFileSchema>

/** The files as they ride in their queue message, or undefined when they are too large to. */
export async function carryFiles(
  refs: AttachmentRef[],
  files: File[],
): Promise<CarriedFile[] | undefined> {
  if (files.reduce((n, f) => n + f.size, 0) > MAX_CARRIED_FILE_BYTES) return undefined
  const carried = await Promise.all(
    refs.map(async (ref, n) => {
      const file = files[n]
      return file && { key: ref.key, data: toBase64(await file.arrayBuffer()) }
    }),
  )
  return carried.filter((c) => c !== undefined)
}

/**
 * Writes the files a queue message carried to KV under their refs (the event's attachments),
 * where delivery reads them, before the message is delivered. Each attempt writes them again:
 * a retry may still need them, and a file already uploaded and deleted by then only waits in
 * KV for its TTL. Throws when KV fails or a file does not match a ref (nothing is delivered).
 */
export async function storeCarriedFiles(
  kv: KVNamespace,
  refs: AttachmentRef[],
  carried: CarriedFile[],
): Promise<void> {
  await Promise.all(
    carried.map((file) => {
      const ref = refs.find((r) => r.key === file.key)
      const body = fromBase64(file.data)
      if (!ref || !body) throw new Error(`carried file ${file.key} matches no attachment`)
      return putAttachment(kv, ref, body)
    }),
  )
}
