import type * as z from '../zod'
import type { SourceKind } from '../config'
import type { TicketEvent } from '../ticket-event'
import { AlertmanagerPayloadSchema, alertmanagerToEvents } from './alertmanager'
import { FormFieldsSchema, formToEvents } from './forms'
import { GrafanaPayloadSchema, grafanaToEvents } from './grafana'
import { SlackPayloadSchema, slackToEvents } from './slack'
import { WebhookPayloadSchema, webhookToEvents } from './webhook'

/** Pairs a schema with its adapter, checking that the adapter reads what the schema yields. */
function adapter<Schema extends z.ZodMiniType, Context>(
  /** The payload as the sender posts it; the route answers 400 with its issues. */
  schema: Schema,
  /** Pure: payload + context in, ticket events out. */
  toEvents: (payload: z.infer<Schema>, context: Context) => TicketEvent[],
) {
  return { schema, toEvents }
}

/** What the bridge accepts, by source kind: a payload schema and the adapter reading it. */
export const ADAPTERS = {
  form: adapter(FormFieldsSchema, formToEvents),
  slack: adapter(SlackPayloadSchema, slackToEvents),
  alertmanager: adapter(AlertmanagerPayloadSchema, alertmanagerToEvents),
  grafana: adapter(GrafanaPayloadSchema, grafanaToEvents),
  webhook: adapter(WebhookPayloadSchema, webhookToEvents),
} satisfies Record<SourceKind, { schema: z.ZodMiniType }>
