/**
 * `npm start`: the Udesk simulator on 127.0.0.1:8788 and the bridge under `wrangler dev` on
 * 127.0.0.1:8787, wired together with the development credentials (DESIGN.md). Udesk settings
 * given in the environment point the bridge elsewhere; Ctrl-C stops both.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { startSimulator } from '../sim/server'
import { ensureDevVars, PROJECT_ROOT, startWranglerDev, udeskOverrides } from './wrangler-dev'

const HOST = '127.0.0.1'
const BRIDGE_PORT = Number(process.env.BRIDGE_PORT ?? 8787)
const SIM_PORT = Number(process.env.SIM_PORT ?? 8788)
const INSPECTOR_PORT = Number(process.env.BRIDGE_INSPECTOR_PORT ?? 9230)
/** The bridge's local KV, queues and Durable Objects while it talks to the simulator. */
const SIM_STATE = join(PROJECT_ROOT, '.wrangler/npm-start')

async function main(): Promise<void> {
  if (await ensureDevVars()) console.log('created .dev.vars from .dev.vars.example')
  // The simulator reads SIM_MAX_REQUESTS_PER_MINUTE (and SIM_UDESK_EMAIL/TOKEN) itself.
  const sim = await startSimulator({ port: SIM_PORT, host: HOST })

  const udesk = udeskOverrides(process.env, `${sim.url}/open_api_v1`)
  // The simulator starts empty; a bridge remembering tickets from the last run would reply to
  // tickets it no longer has. Against a real Udesk, wrangler's usual state is kept.
  const onSimulator = !process.env.UDESK_BASE_URL
  if (onSimulator) await rm(SIM_STATE, { recursive: true, force: true })
  const bridge = startWranglerDev({
    host: HOST,
    port: BRIDGE_PORT,
    inspectorPort: INSPECTOR_PORT,
    vars: udesk.vars,
    persistTo: onSimulator ? SIM_STATE : undefined,
  })

  let stopping = false
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    await bridge.stop()
    await sim.close()
    process.exit(code)
  }
  process.on('SIGINT', () => void stop(0))
  process.on('SIGTERM', () => void stop(0))
  bridge.exited.then((code) => {
    if (!stopping) console.error(`wrangler dev exited (${code ?? 'signal'}); stopping`)
    void stop(code ?? 1)
  })

  await bridge.ready
  printBanner(bridge.url, sim.url, udesk)
}

function printBanner(bridgeUrl: string, simUrl: string, udesk: ReturnType<typeof udeskOverrides>) {
  const rows = [
    ['bridge', `${bridgeUrl}/webhooks/:source  (health: ${bridgeUrl}/healthz)`],
    ['simulator inbox', `${simUrl}/`],
    ['bridge talks to', udesk.vars.UDESK_BASE_URL],
  ]
  if (udesk.overridden.length > 0) rows.push(['from environment', udesk.overridden.join(', ')])
  const simLimit = process.env.SIM_MAX_REQUESTS_PER_MINUTE
  if (simLimit) rows.push(['simulator limit', `${simLimit} requests/minute`])
  console.log('\nudesk-bridge is running')
  for (const [name, value] of rows) console.log(`  ${name?.padEnd(17)} ${value}`)
  console.log('Send the examples in examples/ (README, "Quick start"). Ctrl-C stops both.\n')
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
