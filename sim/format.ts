import { AGENT_GROUPS, PRIORITIES, STATUSES, STATUSES_EN, findAgent } from './catalog'
import type { ChangeLog, Customer, Reply, SimInstance, StoredFile, Ticket } from './state'

const BEIJING_OFFSET_MS = 8 * 3600 * 1000

/** Udesk's timestamps: ISO 8601 in Beijing time, `2017-08-08T20:47:49.000+08:00`. */
export function udeskTime(ms: number): string
export function udeskTime(ms: number | null): string | null
export function udeskTime(ms: number | null): string | null {
  if (ms === null) return null
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().replace('Z', '+08:00')
}

/** Attachments are served by the control API so the inbox can link to them. */
export function fileUrl(origin: string, sim: SimInstance, file: StoredFile): string {
  const prefix = sim.id === 'default' ? '' : `/_sim/instances/${sim.id}`
  return `${origin}${prefix}/_sim/files/${file.id}/${encodeURIComponent(file.fileName)}`
}

function customerOf(sim: SimInstance, ticket: Ticket): Customer | undefined {
  return ticket.customerId === null ? undefined : sim.customers.get(ticket.customerId)
}

/** The "Data Structure of Work Order" of detail, list, tickets_in_filter and export. */
export function ticketDetail(sim: SimInstance, ticket: Ticket, origin: string) {
  const customer = customerOf(sim, ticket)
  const assignee =
    ticket.assigneeId === null ? undefined : findAgent(sim, { id: ticket.assigneeId })
  const group = AGENT_GROUPS.find((g) => g.id === ticket.groupId)
  return {
    id: ticket.id,
    field_num: ticket.num,
    subject: ticket.subject,
    content: ticket.content,
    content_type: 'html',
    user_id: customer?.id ?? null,
    user_name: customer?.nickName ?? null,
    user_email: customer?.email ?? null,
    user_cellphone: customer?.cellphones[0]?.content ?? null,
    organization_id: null,
    assignee_id: assignee?.id ?? null,
    assignee_name: assignee?.nickName ?? null,
    assignee_avatar: null,
    user_group_id: group?.id ?? null,
    user_group_name: group?.name ?? null,
    template_id: ticket.templateId,
    priority: PRIORITIES[ticket.priorityId - 1],
    status: STATUSES[ticket.statusId - 1],
    status_en: STATUSES_EN[ticket.statusId - 1],
    platform: 'API',
    im_sub_session_id: null,
    satisfaction: ticket.satisfaction?.name ?? null,
    custom_fields: ticket.customFields,
    tags: ticket.tags.join(','),
    followers: followersOf(sim, ticket),
    attachments: ticket.attachments.map((f) => ({
      name: f.fileName,
      url: fileUrl(origin, sim, f),
    })),
    creator_id: ticket.creatorId,
    created_at: udeskTime(ticket.createdAt),
    updated_at: udeskTime(ticket.updatedAt),
    solving_at: udeskTime(ticket.solvingAt),
    resolved_at: udeskTime(ticket.resolvedAt),
    closed_at: udeskTime(ticket.closedAt),
    solved_deadline: null,
    replied_at: udeskTime(ticket.repliedAt),
    agent_replied_at: udeskTime(ticket.agentRepliedAt),
    customer_replied_at: udeskTime(ticket.customerRepliedAt),
    replied_by: ticket.repliedBy,
  }
}

function followersOf(sim: SimInstance, ticket: Ticket) {
  return ticket.followerIds.map((id) => ({ id, nick_name: findAgent(sim, { id })?.nickName }))
}

/** The answer of PUT /tickets/:id, which names things differently from detail. */
export function ticketAfterUpdate(sim: SimInstance, ticket: Ticket, origin: string) {
  const detail = ticketDetail(sim, ticket, origin)
  return {
    id: ticket.id,
    field_num: ticket.num,
    customer_id: detail.user_id,
    customer_name: detail.user_name,
    agent_id: detail.assignee_id,
    agent_name: detail.assignee_name,
    agent_avatar: null,
    agent_group_id: detail.user_group_id,
    agent_group_name: detail.user_group_name,
    template_id: ticket.templateId,
    priority: detail.priority,
    status: detail.status,
    status_id: ticket.statusId,
    status_en: detail.status_en,
    platform_name: 'api',
    im_sub_session_id: null,
    subject: ticket.subject,
    satisfaction: ticket.satisfaction?.voteNumber ?? null,
    content: ticket.content,
    created_at: detail.created_at,
    custom_fields: ticket.customFields,
    organization_id: null,
    attachments: detail.attachments,
    tags: ticket.tags.map((name, i) => ({ id: i + 1, name })),
    followers: followersOf(sim, ticket).map((f) => ({ ...f, avatar: null })),
    solved_deadline: null,
  }
}

export function replyJson(sim: SimInstance, reply: Reply, origin: string) {
  return {
    id: reply.id,
    content: reply.content,
    content_format: reply.contentFormat,
    created_at: udeskTime(reply.createdAt),
    function_type: reply.functionType,
    cc: reply.cc,
    author: {
      id: reply.author.id,
      user_type: reply.author.userType,
      email: reply.author.email,
      avatar: null,
      nick_name: reply.author.nickName,
    },
    attachments: reply.attachments.map((f) => ({
      url: fileUrl(origin, sim, f),
      file_name: f.fileName,
      file_size: f.size,
    })),
  }
}

export function changeLogJson(sim: SimInstance, log: ChangeLog) {
  const author = findAgent(sim, { id: log.authorId })
  return {
    id: log.id,
    created_at: udeskTime(log.createdAt),
    author: {
      id: log.authorId,
      user_type: 'agent',
      email: author?.email ?? null,
      avatar: null,
      nick_name: author?.nickName ?? null,
    },
    changes: log.changes.map((change) => ({
      trigger_name: null,
      field: change.field,
      field_name: change.fieldName,
      field_type: change.fieldType,
      old_value: change.oldValue,
      new_value: change.newValue,
      description: `${change.fieldName}: ${change.oldValue ?? ''}---->${change.newValue ?? ''}`,
    })),
  }
}

export function customerJson(customer: Customer) {
  return {
    id: customer.id,
    nick_name: customer.nickName,
    email: customer.email,
    cellphones: customer.cellphones,
    web_token: customer.webToken,
    description: customer.description,
    level: 'normal',
    owner_id: null,
    organization_id: null,
    custom_fields: {},
    created_at: udeskTime(customer.createdAt),
    updated_at: udeskTime(customer.updatedAt),
  }
}

/** Pagination as the reference describes it: page from 1, `meta` with the totals. */
export function paginate<T>(items: T[], page: number, perPage: number) {
  const totalPages = Math.ceil(items.length / perPage)
  const slice = items.slice((page - 1) * perPage, page * perPage)
  return {
    slice,
    meta: { current_page: page, total_pages: totalPages, total_count: items.length },
  }
}
