import * as z from '../zod'
import type { UdeskSend } from './http'
import type { TakeSurveyInput } from './inputs'
import {
  CustomFieldSchema,
  DoneSchema,
  SurveySchema,
  TemplateSchema,
  type CustomField,
} from './schemas'

// The reference's table names the list `ticket_custom_field`, its example
// `ticket_custom_fields`: accept either.
const CustomFieldsSchema = z.looseObject({
  ticket_custom_fields: z.optional(z.array(CustomFieldSchema)),
  ticket_custom_field: z.optional(z.array(CustomFieldSchema)),
})
const TemplatesSchema = z.looseObject({ templates: z.array(TemplateSchema) })
const SurveyAnswerSchema = z.looseObject({ ticket_survey: SurveySchema })

/** The account's ticket setup: custom fields, templates, the satisfaction survey. */
export function settingsCalls(send: UdeskSend) {
  return {
    /** Deprecated by Udesk (cascading fields come back malformed) but still served. */
    async listCustomFields(): Promise<CustomField[]> {
      const answer = await send({
        method: 'GET',
        endpoint: '/tickets/custom_fields',
        path: '/tickets/custom_fields',
        schema: CustomFieldsSchema,
      })
      return answer.ticket_custom_fields ?? answer.ticket_custom_field ?? []
    },

    async listTemplates() {
      const answer = await send({
        method: 'GET',
        endpoint: '/tickets/ticket_templates',
        path: '/tickets/ticket_templates',
        schema: TemplatesSchema,
      })
      return answer.templates
    },

    async getSurvey() {
      const answer = await send({
        method: 'GET',
        endpoint: '/tickets/surveys',
        path: '/tickets/surveys',
        schema: SurveyAnswerSchema,
      })
      return answer.ticket_survey
    },

    /** Records the customer's vote; a ticket is evaluated once (code 20576 after that). */
    async takeSurvey(input: TakeSurveyInput): Promise<void> {
      await send({
        method: 'PUT',
        endpoint: '/tickets/take_survey',
        path: '/tickets/take_survey',
        json: {
          ticket_id: input.ticketId,
          vote_number: input.voteNumber,
          vote_desc: input.voteDesc,
        },
        schema: DoneSchema,
      })
    },
  }
}
