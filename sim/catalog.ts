import type { SimInstance, Ticket } from './state'

/**
 * The account's seeded, read-only setup: agents, agent groups, custom fields, templates,
 * filters and the satisfaction survey, shaped after the reference's examples.
 */
export interface Agent {
  id: number
  nickName: string
  email: string
  groupIds: number[]
}

const STAFF: Agent[] = [
  { id: 2, nickName: 'Tom', email: 'tom@example.com', groupIds: [1, 12] },
  { id: 3, nickName: 'Jerry', email: 'jerry@example.com', groupIds: [1] },
  { id: 12, nickName: 'Lucy', email: 'lucy@example.com', groupIds: [12] },
  { id: 13, nickName: 'agent11', email: 'agent11@example.com', groupIds: [13] },
]

export const AGENT_GROUPS = [
  { id: 1, name: 'default group' },
  { id: 12, name: 'Operations' },
  { id: 13, name: 'Billing' },
]

/** Agent 1 is the administrator whose email signs the API calls. */
export function agentsOf(sim: SimInstance): Agent[] {
  return [{ id: 1, nickName: 'admin', email: sim.options.email, groupIds: [1] }, ...STAFF]
}

export function findAgent(
  sim: SimInstance,
  by: { id?: number; email?: string },
): Agent | undefined {
  return agentsOf(sim).find(
    (a) => a.id === by.id || (by.email !== undefined && a.email === by.email),
  )
}

type FieldType = 'text' | 'area_text' | 'date' | 'time' | 'datetime' | 'link' | 'number'
type SelectType = 'droplist' | 'radio' | 'checkbox'

export interface CustomField {
  name: string
  label: string
  type: FieldType | 'numeric' | 'location' | SelectType
  options: string[] | null
}

// Types follow the create and update examples of the reference, which agree with each other.
export const CUSTOM_FIELDS: CustomField[] = [
  { name: 'TextField_1', label: 'Single-line Text Field', type: 'text', options: null },
  { name: 'TextField_2', label: 'Multi-line Text Field', type: 'area_text', options: null },
  { name: 'TextField_3', label: 'Date Field', type: 'date', options: null },
  { name: 'TextField_4', label: 'Time Field', type: 'time', options: null },
  { name: 'TextField_5', label: 'Date and Time Field', type: 'datetime', options: null },
  { name: 'TextField_6', label: 'Link Field', type: 'link', options: null },
  { name: 'TextField_7', label: 'Positive Integer Field', type: 'number', options: null },
  { name: 'TextField_8', label: 'Numeric Field', type: 'numeric', options: null },
  { name: 'TextField_9', label: 'Location Field', type: 'location', options: null },
  {
    name: 'SelectField_1',
    label: 'Dropdown List Field',
    type: 'droplist',
    options: ['Dropdown Option 1', 'Dropdown Option 2'],
  },
  {
    name: 'SelectField_2',
    label: 'Radio Button Field',
    type: 'radio',
    options: ['Radio Button Option 1', 'Radio Button Option 2'],
  },
  {
    name: 'SelectField_3',
    label: 'Checkbox Field',
    type: 'checkbox',
    options: ['Checkbox Option 1', 'Checkbox Option 2', 'Checkbox Option 3', 'Checkbox Option 4'],
  },
]

export const SEEDED_AT = Date.parse('2017-08-18T04:06:02Z')

export const TEMPLATES = [
  { id: 1, name: 'default', description: '', fields: CUSTOM_FIELDS.map((f) => f.name) },
  {
    id: 30002,
    name: 'template1',
    description: '',
    fields: ['TextField_1', 'TextField_6', 'SelectField_3'],
  },
]

export interface Filter {
  id: number
  name: string
  active: boolean
  permission: 'all' | 'agent' | 'agent_group'
  permissionId: number | null
  matches: (ticket: Ticket) => boolean
}

export const PRIORITIES = ['紧急', '高', '标准', '低'] as const
export const STATUSES = ['开启', '已解决', '已关闭', '解决中'] as const
export const STATUSES_EN = ['open', 'resolved', 'closed', 'solving'] as const
const unsolved = (t: Ticket) => t.statusId === 1 || t.statusId === 4

function buildFilters(): Filter[] {
  const all = (id: number, name: string, matches: Filter['matches'], active = true): Filter => ({
    id,
    name,
    active,
    permission: 'all',
    permissionId: null,
    matches,
  })
  const filters: Filter[] = [
    all(1, 'All tickets', () => true),
    all(2, 'My unsolved tickets', unsolved),
    all(3, 'Resolved tickets', (t) => t.statusId === 2),
    {
      id: 4,
      name: 'All unsolved tickets',
      active: true,
      permission: 'agent',
      permissionId: 1,
      matches: unsolved,
    },
    all(5, 'Closed tickets', (t) => t.statusId === 3),
    all(6, 'Open tickets', (t) => t.statusId === 1),
    {
      id: 7,
      name: 'All urgent tickets',
      active: false,
      permission: 'agent_group',
      permissionId: 12,
      matches: (t) => t.priorityId === 1,
    },
    all(8, 'Tickets without customer', (t) => t.customerId === null),
    all(9, 'Tickets with attachments', (t) => t.attachments.length > 0),
    all(
      300,
      'Waiting for an agent',
      (t) => unsolved(t) && (t.customerRepliedAt ?? 0) > (t.agentRepliedAt ?? 0),
    ),
    all(301, 'Rated tickets', (t) => t.satisfaction !== null),
    all(302, 'Unassigned tickets', (t) => t.assigneeId === null),
  ]
  PRIORITIES.forEach((priority, p) =>
    STATUSES_EN.forEach((status, s) =>
      filters.push(
        all(
          10 + p * 4 + s,
          `Priority ${priority}, ${status}`,
          (t) => t.priorityId === p + 1 && t.statusId === s + 1,
        ),
      ),
    ),
  )
  for (const agent of [{ id: 1, nickName: 'admin' }, ...STAFF])
    STATUSES_EN.forEach((status, s) =>
      filters.push({
        id: 100 + agent.id * 4 + s,
        name: `${agent.nickName}: ${status}`,
        active: true,
        permission: 'agent',
        permissionId: agent.id,
        matches: (t) => t.assigneeId === agent.id && t.statusId === s + 1,
      }),
    )
  for (const group of AGENT_GROUPS)
    filters.push({
      id: 200 + group.id,
      name: `${group.name}: unsolved`,
      active: true,
      permission: 'agent_group',
      permissionId: group.id,
      matches: (t) => t.groupId === group.id && unsolved(t),
    })
  return filters.sort((a, b) => a.id - b.id)
}

export const FILTERS = buildFilters()

export const SURVEY = {
  title: 'Ticket Satisfaction Survey',
  enable: true,
  note: false,
  options: [
    { vote_number: 1, name: 'Very Satisfied' },
    { vote_number: 2, name: 'Satisfied' },
    { vote_number: 3, name: 'Average' },
    { vote_number: 4, name: 'Dissatisfied' },
  ],
}
