import type { FaultRule } from './faults'

/** A file attached to a ticket (upload_file) or waiting for a reply (upload_file_for_reply). */
export interface StoredFile {
  id: number
  ticketId: number
  fileName: string
  contentType: string
  size: number
  bytes: Uint8Array
  uploadedAt: number
}

export interface Reply {
  id: number
  content: string
  contentFormat: 'html' | 'text'
  createdAt: number
  functionType: 'internal' | 'external'
  cc: string
  author: { id: number; userType: 'agent' | 'customer'; email: string | null; nickName: string }
  attachments: StoredFile[]
}

export interface Change {
  field: string
  fieldName: string
  fieldType: 'static' | 'custom'
  oldValue: string | null
  newValue: string | null
}

export interface ChangeLog {
  id: number
  createdAt: number
  authorId: number
  changes: Change[]
}

export interface Ticket {
  id: number
  num: string
  subject: string
  content: string
  customerId: number | null
  assigneeId: number | null
  groupId: number | null
  templateId: number
  priorityId: number
  statusId: number
  customFields: Record<string, unknown>
  tags: string[]
  followerIds: number[]
  creatorId: number
  createdAt: number
  updatedAt: number
  solvingAt: number | null
  resolvedAt: number | null
  closedAt: number | null
  repliedAt: number | null
  agentRepliedAt: number | null
  customerRepliedAt: number | null
  repliedBy: string | null
  satisfaction: { voteNumber: number; name: string; desc: string | null } | null
  attachments: StoredFile[]
  replyUploads: StoredFile[]
  replies: Reply[]
  changeLogs: ChangeLog[]
}

export interface Customer {
  id: number
  email: string | null
  nickName: string
  cellphones: { id: number; content: string }[]
  webToken: string | null
  description: string | null
  createdAt: number
  updatedAt: number
}

/** One Udesk API call as the control API's `GET /calls` reports it. */
export interface CallRecord {
  seq: number
  at: number
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  bodyBytes: number
  status: number | null
  code: number | null
  fault: string | null
}

export interface InstanceOptions {
  email: string
  token: string
  maxRequestsPerMinute: number | null
}

/** One simulated Udesk account: everything a reset clears, plus its credentials and config. */
export class SimInstance {
  tickets = new Map<number, Ticket>()
  customers = new Map<number, Customer>()
  nonces = new Map<string, number>()
  faults: FaultRule[] = []
  calls: CallRecord[] = []
  admitted: number[] = []
  scrolls = new Map<string, { ids: number[]; offset: number; expiresAt: number }>()
  clockOffsetMs = 0
  exportBatchSize = 1000
  private counters = { ticket: 0, num: 847, customer: 0, reply: 0, file: 0, log: 0, call: 0 }

  constructor(
    readonly id: string,
    public options: InstanceOptions,
  ) {}

  /** The simulator's domain clock: real time moved by `POST /clock`. */
  now(): number {
    return Date.now() + this.clockOffsetMs
  }

  next(counter: keyof SimInstance['counters']): number {
    this.counters[counter] += 1
    return this.counters[counter]
  }

  reset(): void {
    this.tickets.clear()
    this.customers.clear()
    this.nonces.clear()
    this.scrolls.clear()
    this.faults = []
    this.calls = []
    this.admitted = []
    this.clockOffsetMs = 0
    this.exportBatchSize = 1000
    // Counters keep counting: an id handed out before a reset never names another ticket.
  }

  findTicket(query: { id?: number; num?: string }): Ticket | undefined {
    if (query.id !== undefined) return this.tickets.get(query.id)
    for (const ticket of this.tickets.values()) if (ticket.num === query.num) return ticket
    return undefined
  }
}
