/**
 * `npm start`: the Udesk simulator on 127.0.0.1:8788 and the bridge under `wrangler dev` on
 * 127.0.0.1:8787 (both workers, the edge serving the port and passing the console to the core),
 * wired together with the development credentials (docs/design.md, "Local
 * development"). Udesk settings given in the environment point the bridge elsewhere.
 *
 * Safe to run twice: every port is checked before anything is touched, and a second run
 * refuses, naming the variable that moves the taken port. Ctrl-C, closing the terminal (SIGHUP)
 * and SIGTERM stop both servers.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { startSimulator } from '../sim/server'
import { alive, claimStateDir, takenPortProblems, type NeededPort } from './start-guard'
import { writeConfiguredExamples, type ConfiguredExamples } from './start-examples'
import { missingTwoWaySecrets, twoWayOverrides } from './two-way-dev'
import { ensureDevVars, PROJECT_ROOT, startWranglerDev, udeskOverrides } from './wrangler-dev'

const HOST = '127.0.0.1'
/**
 * Per bridge port: the bridge's local KV, queues and Durable Objects, its two workers' configs
 * for this run, and configured examples.
 */
const STATE_ROOT = join(PROJECT_ROOT, '.wrangler/npm-start')

function portFrom(variable: string, fallback: number): number {
  const raw = process.env[variable]
  const port = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${variable} must be a port number (1-65535), got "${raw}"`)
  }
  return port
}

/** Every port npm start listens on, with the variable that moves it (DESIGN's defaults). */
function neededPorts(): NeededPort[] {
  return [
    { role: 'the bridge', variable: 'BRIDGE_PORT', port: portFrom('BRIDGE_PORT', 8787) },
    { role: 'the simulator', variable: 'SIM_PORT', port: portFrom('SIM_PORT', 8788) },
    {
      role: "the bridge's debugger",
      variable: 'BRIDGE_INSPECTOR_PORT',
      port: portFrom('BRIDGE_INSPECTOR_PORT', 9230),
    },
  ]
}

/** Calls `stop` on Ctrl-C, SIGTERM, a closed terminal (SIGHUP), or when our parent dies. */
function stopWhenAsked(stop: () => void): void {
  // The bridge runs in its own process group, so a closed terminal's SIGHUP reaches only us.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop)
  // npm and tsx run us as a child; if they die first (a SIGHUP sent to them alone), follow.
  const parent = process.ppid
  setInterval(() => !alive(parent) && stop(), 1000).unref()
}

async function main(): Promise<void> {
  const ports = neededPorts()
  const [bridgePort, simPort, inspectorPort] = ports.map((p) => p.port) as [number, number, number]
  const problems = await takenPortProblems(HOST, ports)
  if (problems.length > 0) refuse(problems)
  const state = await claimStateDir(STATE_ROOT, bridgePort)
  if (!state.ok) refuse([state.reason])

  if (await ensureDevVars()) console.log('created .dev.vars from .dev.vars.example')
  // The simulator reads SIM_MAX_REQUESTS_PER_MINUTE (and SIM_UDESK_EMAIL/TOKEN) itself.
  const sim = await startSimulator({ port: simPort, host: HOST })
  const udesk = udeskOverrides(process.env, `${sim.url}/open_api_v1`)
  const twoWay = twoWayOverrides(process.env, sim.url)
  // The simulator starts empty, so the bridge does too: a bridge remembering tickets from the
  // last run would reply to tickets the simulator no longer has. Against a real Udesk,
  // wrangler's usual state (.wrangler/state) is kept.
  const onSimulator = !process.env.UDESK_BASE_URL
  const configDir = join(state.dir, 'config')
  await mkdir(configDir, { recursive: true })
  const bridge = startWranglerDev({
    host: HOST,
    port: bridgePort,
    inspectorPort,
    settings: { ...udesk.vars, ...twoWay.vars, ...(await missingTwoWaySecrets(process.env)) },
    devVarsFile: join(PROJECT_ROOT, '.dev.vars'),
    configDir,
    persistTo: onSimulator ? state.dir : join(PROJECT_ROOT, '.wrangler/state'),
  })

  let stopping = false
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    await bridge.stop()
    await sim.close()
    await state.release()
    process.exit(code)
  }
  stopWhenAsked(() => void stop(0))
  bridge.exited.then((code) => {
    if (!stopping) console.error(`wrangler dev exited (${code ?? 'signal'}); stopping`)
    void stop(code ?? 1)
  })

  let bridgeUrl: string
  try {
    bridgeUrl = await bridge.ready
  } catch (err) {
    console.error(err instanceof Error ? err.message : err)
    return stop(1)
  }
  const examples = await writeConfiguredExamples(join(state.dir, 'examples'), {
    bridgeUrl,
    simUrl: sim.url,
  })
  printBanner(bridgeUrl, sim.url, udesk, examples, twoWay)
}

function refuse(problems: string[]): never {
  for (const problem of problems) console.error(problem)
  console.error('Nothing was started or changed.')
  process.exit(1)
}

function printBanner(
  bridgeUrl: string,
  simUrl: string,
  udesk: ReturnType<typeof udeskOverrides>,
  examples: ConfiguredExamples,
  twoWay: ReturnType<typeof twoWayOverrides>,
) {
  const rows = [
    ['bridge', `${bridgeUrl}/webhooks/:source  (health: ${bridgeUrl}/healthz)`],
    ['simulator inbox', `${simUrl}/`],
    ['bridge talks to', udesk.vars.UDESK_BASE_URL],
    ['Slack answers to', twoWay.vars.SLACK_API_URL],
    ['events answers to', twoWay.vars.EVENTS_REPLY_URL],
  ]
  const overridden = [...udesk.overridden, ...twoWay.overridden]
  if (overridden.length > 0) rows.push(['from environment', overridden.join(', ')])
  const simLimit = process.env.SIM_MAX_REQUESTS_PER_MINUTE
  if (simLimit) rows.push(['simulator limit', `${simLimit} requests/minute`])
  for (const [name, path] of Object.entries(examples))
    rows.push([name, name === 'contact form' ? pathToFileURL(path).href : path])
  console.log('\nudesk-bridge is running')
  for (const [name, value] of rows) console.log(`  ${name?.padEnd(17)} ${value}`)
  console.log('In the terminal you send the examples from (README, "Quick start"), paste:')
  console.log(`  export BRIDGE_URL=${bridgeUrl}`)
  console.log(`  export SIM_URL=${simUrl}`)
  console.log('Ctrl-C stops both.\n')
}

// Output goes to a terminal that may close before we stop (SIGHUP): never die of a write.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined)

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
