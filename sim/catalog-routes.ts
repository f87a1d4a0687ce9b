import type { Hono } from 'hono'
import {
  AGENT_GROUPS,
  CUSTOM_FIELDS,
  FILTERS,
  SEEDED_AT,
  SURVEY,
  TEMPLATES,
  findAgent,
} from './catalog'
import { type SimEnv, intValue, isBlank, jsonBody, pageParams } from './context'
import { SUCCESS, fail } from './errors'
import { paginate, udeskTime } from './format'

/** The account's setup: custom fields, templates, filters and the satisfaction survey. */
export function registerCatalogRoutes(api: Hono<SimEnv>): void {
  api.get('/tickets/custom_fields', (c) =>
    c.json({
      code: SUCCESS,
      message: 'success',
      ticket_custom_fields: CUSTOM_FIELDS.map((f) => ({
        field_name: f.name,
        field_label: f.label,
        content_type: f.type,
        comment: null,
        options: f.options?.map((label, i) => ({ [String(i)]: label })) ?? null,
        permission: 2,
        requirement: false,
      })),
    }),
  )

  api.get('/tickets/ticket_templates', (c) =>
    c.json({
      code: SUCCESS,
      message: 'success',
      templates: TEMPLATES.map((t) => ({
        id: t.id,
        name: t.name,
        description: t.description,
        updated_at: udeskTime(SEEDED_AT),
        custom_fields: t.fields.map((name) => {
          const [type, n] = name.split('_')
          return {
            field_id: Number(n),
            field_type: type,
            field_name: name,
            field_title: CUSTOM_FIELDS.find((f) => f.name === name)?.label,
            field_detail: null,
          }
        }),
      })),
    }),
  )

  api.get('/tickets/filters', (c) => {
    const filters = visibleFilters(c.get('sim'), c.req.query('type'), c.req.query('id'))
    // Filters page by at most 50, unlike the other lists.
    const { page, perPage } = pageParams(c, { min: 1, max: 50 })
    const { slice, meta } = paginate(filters, page, perPage)
    return c.json({ code: SUCCESS, message: 'success', filters: slice.map(filterJson), meta })
  })

  api.get('/tickets/surveys', (c) => c.json({ code: SUCCESS, ticket_survey: SURVEY }))

  api.put('/tickets/take_survey', (c) => {
    const sim = c.get('sim')
    const body = jsonBody(c) ?? {}
    if (isBlank(body.ticket_id)) throw fail('ticketIdRequired')
    const ticketId = intValue(body.ticket_id)
    const ticket = typeof ticketId === 'number' ? sim.tickets.get(ticketId) : undefined
    if (!ticket) throw fail('ticketMissing')
    const vote = intValue(body.vote_number)
    if (typeof vote !== 'number' || typeof body.vote_number === 'boolean') throw fail('voteNumber')
    if (ticket.satisfaction) throw fail('alreadyEvaluated')
    const option = SURVEY.options.find((o) => o.vote_number === vote)
    const desc = isBlank(body.vote_desc) ? null : String(body.vote_desc)
    ticket.satisfaction = { voteNumber: vote, name: option?.name ?? String(vote), desc }
    ticket.updatedAt = sim.now()
    return c.json({ code: SUCCESS, message: 'success' })
  })
}

type SimParam = Parameters<typeof findAgent>[0]

/** type all | agent | agent_group, with an optional id; no type lists every filter. */
function visibleFilters(sim: SimParam, type?: string, rawId?: string) {
  const id = intValue(rawId)
  if (isBlank(type)) return FILTERS
  if (type === 'all') return FILTERS.filter((f) => f.permission === 'all')
  if (type === 'agent') {
    if (id === 'invalid' || (typeof id === 'number' && !findAgent(sim, { id })))
      throw fail('agentMissing')
    return FILTERS.filter(
      (f) => f.permission === 'agent' && (id === undefined || f.permissionId === id),
    )
  }
  if (type === 'agent_group') {
    if (id === 'invalid' || (typeof id === 'number' && !AGENT_GROUPS.some((g) => g.id === id)))
      throw fail('agentGroupMissing')
    return FILTERS.filter(
      (f) => f.permission === 'agent_group' && (id === undefined || f.permissionId === id),
    )
  }
  return FILTERS
}

function filterJson(filter: (typeof FILTERS)[number]) {
  return {
    id: filter.id,
    name: filter.name,
    description: null,
    active: filter.active,
    permission: filter.permission,
    permission_id: filter.permissionId,
    created_at: udeskTime(SEEDED_AT),
    updated_at: udeskTime(SEEDED_AT),
  }
}
