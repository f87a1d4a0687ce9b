/**
 * End-to-end harness (Node side): a fresh Udesk simulator and the real bridge, both workers, under
 * wrangler's local runtime (workerd with local KV, Queues and Durable Objects), wired with the
 * development credentials, plus a signed Udesk reader to assert on what the simulator holds.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalBridge, type LocalBridge } from '../../scripts/local-bridge'
import { startSimulator } from '../../sim/server'
import { createUdeskClient, type Ticket, type UdeskClient } from '../../src/udesk/client'

const HOST = '127.0.0.1'

/** README, "Development credentials": what `npm start` and every example use. */
export const DEV = {
  udeskEmail: 'admin@example.com',
  udeskToken: 'dev-udesk-token',
  adminToken: 'dev-admin-token',
  slackSigningSecret: 'dev-slack-signing-secret',
  alertmanagerToken: 'dev-alertmanager-token',
  grafanaToken: 'dev-grafana-token',
  eventsWebhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  eventsReplySecret: 'whsec_LWNM5nSJBfEA2EeizrQ4LTEIdHxspwSY',
  slackBotToken: 'xoxb-dev-slack-bot-token',
  udeskHookToken: 'dev-udesk-hook-token',
} as const

export type Simulator = {
  url: string
  /** `{url}/open_api_v1`: what the bridge's UDESK_BASE_URL points at. */
  udeskBaseUrl: string
  control: SimulatorControl
  /** Signed calls with the development credentials, as a real Udesk account offers them. */
  udesk: UdeskClient
  close: () => Promise<void>
}

export type Bridge = {
  url: string
  sim: Simulator
  /** Stops the worker and the simulator and removes the worker's local storage. */
  stop: () => Promise<void>
}

export type BridgeOptions = {
  /** Extra or replacing worker vars and secrets (strings), e.g. `UDESK_TIMEOUT_MS`. */
  bindings?: Record<string, string>
}

/** A port nobody listens on right now (the kernel's pick). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((ready) => server.listen(0, HOST, ready))
  const address = server.address()
  await new Promise((closed) => server.close(closed))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** A simulator of its own on a free port, so a test owns all of its state. */
export async function startTestSimulator(): Promise<Simulator> {
  const sim = await startSimulator({ port: 0, host: HOST, maxRequestsPerMinute: null })
  const udeskBaseUrl = `${sim.url}/open_api_v1`
  return {
    url: sim.url,
    udeskBaseUrl,
    control: simulatorControl(`${sim.url}/_sim`),
    udesk: createUdeskClient({
      baseUrl: udeskBaseUrl,
      credentials: { email: DEV.udeskEmail, token: DEV.udeskToken },
    }),
    close: sim.close,
  }
}

/**
 * The worker's vars and secrets for a bridge talking to `udeskBaseUrl`; two-way answers go
 * to the same simulator's Slack double and webhook receiver, as under `npm start`.
 */
export function bridgeBindings(udeskBaseUrl: string): Record<string, string> {
  const simUrl = udeskBaseUrl.replace(/\/open_api_v1$/, '')
  return {
    SLACK_BOT_TOKEN: DEV.slackBotToken,
    SLACK_API_URL: `${simUrl}/slack/api`,
    UDESK_HOOK_TOKEN: DEV.udeskHookToken,
    EVENTS_REPLY_SECRET: DEV.eventsReplySecret,
    EVENTS_REPLY_URL: `${simUrl}/_sim/receiver/events`,
    UDESK_BASE_URL: udeskBaseUrl,
    UDESK_EMAIL: DEV.udeskEmail,
    UDESK_API_TOKEN: DEV.udeskToken,
    ADMIN_TOKEN: DEV.adminToken,
    SLACK_SIGNING_SECRET: DEV.slackSigningSecret,
    ALERTMANAGER_TOKEN: DEV.alertmanagerToken,
    GRAFANA_TOKEN: DEV.grafanaToken,
    EVENTS_WEBHOOK_SECRET: DEV.eventsWebhookSecret,
  }
}

/**
 * The bridge as it is deployed, two workers (wrangler.toml's edge and wrangler.core.toml's
 * core) in one `wrangler dev` as `npm start` runs them, on a free port, over `sim`, keeping
 * their local KV, queues and Durable Objects in `persist` (a second bridge on the same directory
 * finds them as they were); `bindings` go over the development ones. `stop` keeps the storage.
 */
export function startBridgeWorker(
  sim: Simulator,
  persist: string,
  bindings: Record<string, string> = {},
): Promise<LocalBridge> {
  return startLocalBridge({ ...bridgeBindings(sim.udeskBaseUrl), ...bindings }, persist)
}

/** The simulator and the bridge (both workers), listening on a free port. */
export async function startBridge(options: BridgeOptions = {}): Promise<Bridge> {
  const sim = await startTestSimulator()
  const persist = await mkdtemp(join(tmpdir(), 'udesk-bridge-e2e-'))
  let worker: LocalBridge
  try {
    worker = await startBridgeWorker(sim, persist, options.bindings)
  } catch (err) {
    await sim.close()
    throw err
  }
  return {
    url: worker.url,
    sim,
    stop: async () => {
      await worker.stop()
      await sim.close()
      await rm(persist, { recursive: true, force: true })
    },
  }
}

export type SimulatorCall = {
  seq: number
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  status: number
  code: number | null
  fault: unknown
}

export type SimulatorTicket = Ticket & {
  replies?: { content: string; function_type?: string | null }[]
}

/** The simulator's control endpoints (`/_sim`): faults, the call log and its whole state. */
export function simulatorControl(controlUrl: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`simulator ${method} ${path}: ${response.status}`)
    return (await response.json()) as T
  }
  return {
    state: () => call<{ tickets: SimulatorTicket[]; customers: unknown[] }>('GET', '/state'),
    calls: async (since = 0) =>
      (await call<{ calls: SimulatorCall[] }>('GET', `/calls?since=${since}`)).calls,
    addFault: (rule: Record<string, unknown>) => call<{ id: string }>('POST', '/faults', rule),
    setRateLimit: (maxRequestsPerMinute: number | null) =>
      call('PUT', '/config', { maxRequestsPerMinute }),
  }
}
export type SimulatorControl = ReturnType<typeof simulatorControl>

/** Every ticket the simulator holds whose subject contains `text`, read over the signed API. */
export async function ticketsWithSubject(udesk: UdeskClient, text: string): Promise<Ticket[]> {
  const tickets = await collect(udesk.listTickets({ perPage: 100 }))
  return tickets.filter((ticket) => ticket.subject?.includes(text))
}

/** Every item of an async iterator (Node 20 has no Array.fromAsync). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}
