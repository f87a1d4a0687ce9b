import type { DeliveryMessage } from '../delivery/message'
import { PayloadTooLargeError } from '../errors'
import { TicketEventSchema, type TicketEvent } from '../ticket-event'
import * as z from '../zod'
import { CarriedFileSchema, storeCarriedFiles, type CarriedFile } from './attachments'
import { ReplayNoteSchema, type ReplayNote } from './replay-filter'

/**
 * An adapter produced an event the consumer cannot parse: a bug of the bridge, answered 500
 * (the sender may retry once it is fixed) rather than queued to fail on every attempt.
 * `reason` names fields and zod's codes, never values.
 */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError'
  constructor(readonly reason: string) {
    super(reason)
  }
}

/**
 * Cloudflare Queues takes 128 KB per message and 256 KB per batch; the bridge stays under
 * both with a margin. Messages are sent as JSON, so their UTF-8 JSON is exactly what counts.
 */
export const MAX_QUEUE_MESSAGE_BYTES = 120_000
export const MAX_QUEUE_BATCH_BYTES = 240_000

type DeliveryRequest = MessageSendRequest<QueuedMessage> & { contentType: 'json' }

/** A queue message whose event waits in KV (`EVENT_REF_PREFIX` key): an alert storm. */
export interface EventByReference {
  eventRef: string
  deliveryId: string
}
/**
 * A queue message's body. The first message of a delivery carries, beside the event (or its
 * reference), what the consumer writes to KV before delivering it: the delivery's replay note
 * (`takeReplayNote`) and a form's small files (`storeFilesCarriedBy`).
 */
export type QueuedMessage = (DeliveryMessage | EventByReference) & {
  remember?: ReplayNote
  files?: CarriedFile[]
}

export const EVENT_REF_PREFIX = 'event-ref:'
/** Longer than the queue keeps a message (4 days) plus the thread's pending wait (1 day). */
export const EVENT_REF_TTL_SECONDS = 7 * 24 * 3600

/**
 * The queue messages for a delivery's events, each checked against the consumer's schema and
 * measured. The first carries the delivery's replay `note`, and its `files` when they fit;
 * each is marked `repeat` when the edge answered the delivery duplicate (an alert group's
 * repeated notification, queued for its thread to decide). An alert event too large for one
 * message (a storm of thousands of alerts) is
 * stored in KV with a TTL and travels by reference, so a storm is never refused for its size;
 * any other event the queue would refuse is refused with 413 (a retry would not help, so never
 * 503). Contents are clipped to fit; custom fields can still make an event too large.
 */
export async function toDeliveryMessages(
  kv: KVNamespace,
  events: TicketEvent[],
  deliveryId: string,
  options: {
    note?: ReplayNote | undefined
    files?: CarriedFile[] | undefined
    repeat?: boolean
  } = {},
): Promise<DeliveryRequest[]> {
  let total = 0
  const messages: DeliveryRequest[] = []
  for (const [n, event] of events.entries()) {
    const parsed = TicketEventSchema.safeParse(event)
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'} ${i.code}`)
      throw new InvalidEventError(`event ${n} (${event.id}) is invalid: ${fields.join(', ')}`)
    }
    const message: DeliveryMessage = { event, deliveryId, ...(options.repeat && { repeat: true }) }
    const remember = n === 0 && options.note ? { remember: options.note } : {}
    const plain: QueuedMessage = { ...message, ...remember }
    let [body, size] =
      n === 0 && options.files
        ? withFilesIfTheyFit(plain, options.files)
        : [plain, jsonBytes(plain)]
    if (
      event.type === 'alert' &&
      (size > MAX_QUEUE_MESSAGE_BYTES || total + size > MAX_QUEUE_BATCH_BYTES)
    ) {
      body = { ...(await storeByReference(kv, message)), ...remember }
      size = jsonBytes(body)
    }
    total += size
    if (size > MAX_QUEUE_MESSAGE_BYTES)
      throw tooLarge('the event is', size, MAX_QUEUE_MESSAGE_BYTES)
    if (total > MAX_QUEUE_BATCH_BYTES)
      throw tooLarge('the events are', total, MAX_QUEUE_BATCH_BYTES)
    messages.push({ body, contentType: 'json' })
  }
  return messages
}

/**
 * `message` as one queue message: itself when it fits, else stored in KV and sent by reference
 * (a dead-lettered storm being replayed). Loaded back by `loadQueuedMessage`, whole.
 */
export async function fitQueueMessage(
  kv: KVNamespace,
  message: DeliveryMessage,
): Promise<QueuedMessage> {
  if (jsonBytes(message) <= MAX_QUEUE_MESSAGE_BYTES) return message
  return storeByReference(kv, message)
}

/**
 * `body` carrying `files` when that still fits one queue message, else `body` alone (its files
 * then go to KV: the caller sees no `files` on the message); with its size in bytes.
 */
function withFilesIfTheyFit(body: QueuedMessage, files: CarriedFile[]): [QueuedMessage, number] {
  const alone = jsonBytes(body)
  const size = alone + filesJsonBytes(files)
  return size <= MAX_QUEUE_MESSAGE_BYTES ? [{ ...body, files }, size] : [body, alone]
}

/**
 * What `files` add to a message's JSON (`,"files":[...]`), without writing their data out
 * again: base64 is ASCII and needs no escaping, so each data string's length is its bytes.
 */
function filesJsonBytes(files: CarriedFile[]): number {
  const shapes = files.map((f) => ({ ...f, data: '' }))
  const data = files.reduce((n, f) => n + f.data.length, 0)
  return jsonBytes({ files: shapes }) - 1 + data // `{"files":...}` less `}`, plus `,`
}

async function storeByReference(kv: KVNamespace, message: DeliveryMessage) {
  const eventRef = `${EVENT_REF_PREFIX}${crypto.randomUUID()}`
  await kv.put(eventRef, JSON.stringify(message), { expirationTtl: EVENT_REF_TTL_SECONDS })
  return { eventRef, deliveryId: message.deliveryId }
}

/** `body[name]` when the body is an object with that field of its own, else undefined. */
function ownField(body: unknown, name: string): unknown {
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, name)) return undefined
  return (body as Record<string, unknown>)[name]
}

/**
 * The replay note a queued body carries, if any and well formed. A malformed one is a bug of
 * the bridge: it is left out (the thread's Durable Object still drops a redelivery).
 */
export function takeReplayNote(body: unknown): ReplayNote | undefined {
  const remember = ownField(body, 'remember')
  if (remember === undefined) return undefined
  const note = ReplayNoteSchema.safeParse(remember)
  return note.success ? note.data : undefined
}

/**
 * Puts the small files a queued body carried (a form's, inbound/attachments.ts) into KV under
 * its event's attachment refs, where delivery reads them; nothing when it carried none (or
 * none well formed: a bug of the bridge). Throws when KV fails.
 */
export async function storeFilesCarriedBy(kv: KVNamespace, body: unknown, event: TicketEvent) {
  const files = z.array(CarriedFileSchema).safeParse(ownField(body, 'files'))
  if (!files.success) return
  const refs = event.type === 'open' ? (event.attachments ?? []) : []
  await storeCarriedFiles(kv, refs, files.data)
}

/**
 * The delivery message a queued body stands for: itself, or the event it refers to, read from
 * KV. Undefined while KV does not show the stored event yet (eventually consistent): the
 * consumer retries the message then.
 */
export async function loadQueuedMessage(kv: KVNamespace, body: unknown): Promise<unknown> {
  const ref = ownField(body, 'eventRef')
  if (typeof ref !== 'string' || !ref.startsWith(EVENT_REF_PREFIX)) return body
  return (await kv.get(ref, 'json')) ?? undefined
}

const encoder = new TextEncoder()

function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).byteLength
}

function tooLarge(what: string, size: number, limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `${what} ${size} bytes as a queue message, over the ${limit} ` +
      'the bridge can queue: send fewer or shorter fields',
  )
}
