import { type ServerType, serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { DEFAULT_EMAIL, DEFAULT_TOKEN, createSimApp } from './app'

export interface SimulatorOptions {
  port: number
  host?: string
  /** Accepted administrator email; default SIM_UDESK_EMAIL or admin@example.com. */
  email?: string
  /** Accepted API token; default SIM_UDESK_TOKEN or dev-udesk-token. */
  token?: string
  /** Requests per minute of the default instance; default SIM_MAX_REQUESTS_PER_MINUTE, else none. */
  maxRequestsPerMinute?: number | null
}

export interface RunningSimulator {
  url: string
  close(): Promise<void>
}

function limitFromEnv(): number | null {
  const raw = process.env.SIM_MAX_REQUESTS_PER_MINUTE
  if (raw === undefined || raw.trim() === '') return null
  const limit = Number(raw)
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new Error(`SIM_MAX_REQUESTS_PER_MINUTE must be a positive integer, got "${raw}"`)
  }
  return limit
}

/** Starts the simulator in this Node process; rejects when the port is taken. */
export function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1'
  const sim = createSimApp({
    email: options.email ?? process.env.SIM_UDESK_EMAIL ?? DEFAULT_EMAIL,
    token: options.token ?? process.env.SIM_UDESK_TOKEN ?? DEFAULT_TOKEN,
    maxRequestsPerMinute:
      options.maxRequestsPerMinute === undefined ? limitFromEnv() : options.maxRequestsPerMinute,
  })
  return new Promise((resolve, reject) => {
    const server: ServerType = serve({ fetch: sim.app.fetch, port: options.port, hostname: host })
    server.once('error', reject)
    server.once('listening', () => {
      server.off('error', reject)
      const { port } = server.address() as AddressInfo
      resolve({ url: `http://${host}:${port}`, close: () => closeServer(server, sim.shutdown) })
    })
  })
}

function closeServer(server: ServerType, shutdown: () => void): Promise<void> {
  shutdown()
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()))
    if ('closeAllConnections' in server) server.closeAllConnections()
  })
}

async function main(): Promise<void> {
  const port = Number(process.env.SIM_PORT ?? 8788)
  const simulator = await startSimulator({ port, host: process.env.SIM_HOST ?? '127.0.0.1' })
  console.log(`Udesk simulator: inbox ${simulator.url}/  API ${simulator.url}/open_api_v1`)
  const stop = () => void simulator.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
