import { beforeAll, describe, it } from 'vitest'
import { clientFor, freshSim, rejection, simTicket, unique, type FreshSim } from './fresh-sim'
import { textToHtml } from '../../src/content/html'

let sim: FreshSim
let udesk: ReturnType<typeof clientFor>

beforeAll(async () => {
  sim = await freshSim()
  udesk = clientFor(sim)
})

describe('account setup', () => {
  it('lists the ticket custom fields with their options', async ({ expect }) => {
    const fields = await udesk.listCustomFields()

    expect(fields.map((f) => f.field_name)).toContain('TextField_1')
    expect(fields.find((f) => f.field_name === 'SelectField_1')).toMatchObject({
      content_type: 'droplist',
      options: [{ '0': 'Dropdown Option 1' }, { '1': 'Dropdown Option 2' }],
    })
  })

  it('lists the ticket templates and their fields', async ({ expect }) => {
    const templates = await udesk.listTemplates()

    expect(templates.map((t) => t.id)).toEqual([1, 30002])
    expect(
      (templates[1]?.custom_fields as { field_name: string }[] | undefined)?.map(
        (f) => f.field_name,
      ),
    ).toContain('TextField_1')
  })
})

describe('satisfaction survey', () => {
  it('describes the survey and its options', async ({ expect }) => {
    const survey = await udesk.getSurvey()

    expect(survey).toMatchObject({ title: 'Ticket Satisfaction Survey', enable: true })
    expect((survey.options as unknown[])[0]).toEqual({ vote_number: 1, name: 'Very Satisfied' })
  })

  it('records one vote per ticket and refuses a second (code 20576)', async ({ expect }) => {
    const { ticketId } = await udesk.createTicket({
      subject: unique('survey'),
      content: textToHtml('x'),
    })

    await udesk.takeSurvey({ ticketId, voteNumber: 1, voteDesc: 'Fixed within the hour' })
    const again = await rejection(udesk.takeSurvey({ ticketId, voteNumber: 2 }))

    expect((await simTicket(sim, ticketId))?.satisfaction).toBe('Very Satisfied')
    expect(again).toMatchObject({
      endpoint: 'PUT /tickets/take_survey',
      udeskCode: 20576,
      udeskMessage: 'The ticket has been evaluated',
      retryable: false,
    })
  })

  it('refuses a vote that is not a positive integer (code 20573)', async ({ expect }) => {
    const { ticketId } = await udesk.createTicket({
      subject: unique('survey'),
      content: textToHtml('x'),
    })

    const error = await rejection(udesk.takeSurvey({ ticketId, voteNumber: 0 }))

    expect(error).toMatchObject({
      udeskCode: 20573,
      udeskMessage: 'vote_number is not a positive integer',
    })
  })
})
