import { attachmentCalls } from './attachments'
import { customerCalls } from './customers'
import { filterCalls } from './filters'
import { createUdeskHttp, type UdeskFetch } from './http'
import { replyCalls } from './replies'
import { settingsCalls } from './settings'
import type { UdeskCredentials } from './sign'
import { ticketCalls } from './tickets'

export interface UdeskClientOptions {
  /** `https://{subdomain}.udesk.cn/open_api_v1` (the simulator's in development). */
  baseUrl: string
  credentials: UdeskCredentials
  /** Wrap it to rate-limit or record calls; defaults to the global fetch. */
  fetch?: UdeskFetch
  /** Per attempt, including the answer's body; default 10 s. */
  timeoutMs?: number
  /** Agent that `agentReply` answers as when the call names none. */
  agentId?: number
  /** Signing clock in ms (default `Date.now`); tests move it to make a stale timestamp. */
  now?: () => number
  /** Nonce per attempt (default `crypto.randomUUID()`). */
  nonce?: () => string
}

/**
 * Typed calls for every endpoint of Udesk's ticket API plus the customer endpoints of
 * docs/udesk-api.md. Each call is one signed attempt and either returns Udesk's data or throws a
 * `UdeskError` saying whether a retry may help and whether a write may have been applied.
 */
export function createUdeskClient(options: UdeskClientOptions) {
  const send = createUdeskHttp(options)
  return {
    ...ticketCalls(send),
    ...replyCalls(send, { agentId: options.agentId }),
    ...attachmentCalls(send),
    ...filterCalls(send),
    ...settingsCalls(send),
    ...customerCalls(send),
  }
}

export type UdeskClient = ReturnType<typeof createUdeskClient>

export { UdeskError } from './errors'
export type { UdeskFailureKind } from './errors'
export type { UdeskFetch } from './http'
export type * from './inputs'
export type { Page, ScrollBatch } from './paginate'
export type * from './schemas'
