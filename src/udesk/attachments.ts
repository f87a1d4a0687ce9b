import * as z from '../zod'
import type { UdeskSend } from './http'
import type { UploadFileInput } from './inputs'
import { DoneSchema, UploadResultSchema } from './schemas'

const UploadAnswerSchema = z.looseObject({ message: UploadResultSchema })

export interface UploadedFile {
  attachmentId: number
  url?: string | null
}

/** Files: on the ticket itself, or staged for the next agent/customer reply. */
export function attachmentCalls(send: UdeskSend) {
  const upload = async (path: string, input: UploadFileInput): Promise<UploadedFile> => {
    const answer = await send({
      method: 'POST',
      endpoint: path,
      path,
      query: { ticket_id: input.ticketId, file_name: input.fileName, type: input.contentType },
      body: input.body,
      schema: UploadAnswerSchema,
    })
    return { attachmentId: answer.message.attachment_id, url: answer.message.url }
  }

  return {
    /** Attaches a file to the ticket (at most 10 per ticket, 20 MB in all). */
    uploadFile(input: UploadFileInput): Promise<UploadedFile> {
      return upload('/tickets/upload_file', input)
    },

    /** Stages a file for the next reply: pass the id in `attachmentIds` within two hours. */
    uploadFileForReply(input: UploadFileInput): Promise<UploadedFile> {
      return upload('/tickets/upload_file_for_reply', input)
    },

    /** Drops every file staged for the ticket's next reply. */
    async deleteFilesForReply(ticketId: number): Promise<void> {
      // The reference documents ticket_id in the query string and sends it as JSON in its
      // example; both carry it so either reading finds it.
      await send({
        method: 'POST',
        endpoint: '/tickets/delete_file_for_reply',
        path: '/tickets/delete_file_for_reply',
        query: { ticket_id: ticketId },
        json: { ticket_id: ticketId },
        schema: DoneSchema,
      })
    },
  }
}
