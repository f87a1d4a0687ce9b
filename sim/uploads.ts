import type { Hono } from 'hono'
import { type SimEnv, type SimContext, intValue, isBlank, jsonBody, originOf } from './context'
import { SUCCESS, fail } from './errors'
import { fileUrl } from './format'
import { dropExpiredReplyUploads } from './replies'
import type { SimInstance, StoredFile, Ticket } from './state'
import { tooLong } from './ticket-rules'

const MIB = 1024 * 1024
/** The reference: 20 MB per file, 20 MB per ticket (or per reply), 10 attachments per ticket. */
export const MAX_FILE_BYTES = 20 * MIB
export const MAX_TOTAL_BYTES = 20 * MIB
export const MAX_FILES = 10

export function registerUploadRoutes(api: Hono<SimEnv>): void {
  api.post('/tickets/upload_file', (c) => {
    const sim = c.get('sim')
    const { ticket, file } = receiveFile(c, (t) => t.attachments)
    ticket.attachments.push(file)
    ticket.updatedAt = file.uploadedAt
    const url = fileUrl(originOf(c), sim, file)
    return c.json({
      code: SUCCESS,
      message: { msg: 'upload Success', url, attachment_id: file.id },
    })
  })

  api.post('/tickets/upload_file_for_reply', (c) => {
    const sim = c.get('sim')
    const { ticket, file } = receiveFile(c, (t) => {
      dropExpiredReplyUploads(sim, t)
      return t.replyUploads
    })
    ticket.replyUploads.push(file)
    const url = fileUrl(originOf(c), sim, file)
    return c.json({
      code: SUCCESS,
      message: { msg: 'upload Success', url, attachment_id: file.id, attachable_type: 'Reply' },
    })
  })

  // The reference documents ticket_id in the query string; its example sends it as JSON.
  api.post('/tickets/delete_file_for_reply', (c) => {
    const ticket = ticketOf(c.get('sim'), c.req.query('ticket_id') ?? jsonBody(c)?.ticket_id)
    ticket.replyUploads = []
    return c.json({ code: SUCCESS, message: 'Clear attachments successfully' })
  })
}

function ticketOf(sim: SimInstance, ticketId: unknown): Ticket {
  if (isBlank(ticketId)) throw fail('ticketIdRequired')
  const id = intValue(ticketId)
  const ticket = typeof id === 'number' ? sim.tickets.get(id) : undefined
  if (!ticket) throw fail('ticketMissing')
  return ticket
}

/** Checks one octet-stream upload against the limits of the files already held. */
function receiveFile(c: SimContext, held: (ticket: Ticket) => StoredFile[]) {
  const sim = c.get('sim')
  const fileName = c.req.query('file_name')
  if (isBlank(c.req.query('ticket_id'))) throw fail('ticketIdRequired')
  if (isBlank(fileName)) throw fail('fileNameRequired')
  const ticket = ticketOf(sim, c.req.query('ticket_id'))
  const long = tooLong('file_name', fileName) ?? tooLong('type', c.req.query('type'))
  if (long) throw long
  const bytes = c.get('raw')
  const streamed = (c.req.header('content-type') ?? '').startsWith('application/octet-stream')
  if (!streamed || bytes.length === 0) throw fail('noAttachment')
  if (bytes.length > MAX_FILE_BYTES) throw fail('fileTooLarge')
  const files = held(ticket)
  if (files.length >= MAX_FILES) throw fail('tooManyAttachments')
  if (files.reduce((sum, f) => sum + f.size, bytes.length) > MAX_TOTAL_BYTES) {
    throw fail('ticketAttachmentsTooLarge')
  }
  const file: StoredFile = {
    id: sim.next('file'),
    ticketId: ticket.id,
    fileName: String(fileName),
    contentType: c.req.query('type') || 'application/octet-stream',
    size: bytes.length,
    bytes: bytes.slice(),
    uploadedAt: sim.now(),
  }
  return { ticket, file }
}
