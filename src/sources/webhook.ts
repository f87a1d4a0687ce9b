import * as z from '../zod'
import { isPhoneNumber } from '../content/phone'
import { hasVisibleText } from '../content/render'
import type { WebhookSource } from '../config'
import { PrioritySchema, type TicketEvent } from '../ticket-event'
import {
  clipChars,
  eventId,
  MAX_CONTENT_BYTES,
  MAX_SUBJECT_CHARS,
  MAX_THREAD_CHARS,
  sourceTicketOptions,
  type AdapterContext,
  utf8Length,
} from './adapter'

const Thread = z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_THREAD_CHARS))
const Content = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(MAX_CONTENT_BYTES),
  z.refine((text) => utf8Length(text) <= MAX_CONTENT_BYTES, {
    error: `Too big: expected at most ${MAX_CONTENT_BYTES} bytes of UTF-8`,
  }),
)

/** The bridge's own body (README, "Anything else"), signed with Standard Webhooks. */
export const WebhookPayloadSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ticket.open'),
    thread: Thread,
    subject: z
      .string()
      .check(
        z.trim(),
        z.minLength(1),
        z.maxLength(MAX_SUBJECT_CHARS),
        z.refine(hasVisibleText, { error: 'subject has no visible characters' }),
      ),
    content: Content,
    customer: z.optional(
      z.object({
        email: z.optional(z.email()),
        name: z.optional(z.string().check(z.trim(), z.maxLength(255))),
        phone: z.optional(
          z.string().check(
            z.trim(),
            z.refine(isPhoneNumber, {
              error:
                'phone must look like a phone number: digits, spaces, + - ( ) . and an extension',
            }),
          ),
        ),
      }),
    ),
    priority: z.optional(PrioritySchema),
    tags: z.optional(
      z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))).check(z.maxLength(20)),
    ),
    fields: z.optional(z.record(z.string(), z.union([z.string(), z.array(z.string())]))),
  }),
  z.object({ type: z.literal('ticket.reply'), thread: Thread, content: Content }),
  z.object({ type: z.literal('ticket.resolve'), thread: Thread, content: z.optional(Content) }),
])
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>

/** One event per delivery: open, reply or resolve on the sender's thread. */
export function webhookToEvents(
  payload: WebhookPayload,
  context: AdapterContext<WebhookSource>,
): TicketEvent[] {
  const base = {
    id: eventId(context, 0),
    source: context.source,
    thread: payload.thread,
    receivedAt: context.receivedAt,
  }
  switch (payload.type) {
    case 'ticket.open': {
      const { priority, tags, fields } = payload
      const customer = payload.customer && hasAny(payload.customer) ? payload.customer : undefined
      return [
        {
          ...base,
          type: 'open',
          subject: clipChars(payload.subject, MAX_SUBJECT_CHARS),
          content: payload.content,
          ...(customer && { customer }),
          ticket: sourceTicketOptions(context, { priority, tags, fields }),
        },
      ]
    }
    case 'ticket.reply':
      return [{ ...base, type: 'reply', content: payload.content }]
    case 'ticket.resolve':
      return [{ ...base, type: 'resolve', ...(payload.content && { content: payload.content }) }]
  }
}

function hasAny(customer: object): boolean {
  return Object.values(customer).some((v) => v !== undefined && v !== '')
}
