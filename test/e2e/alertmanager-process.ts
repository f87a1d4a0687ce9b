/**
 * The real Alertmanager (Debian's `prometheus-alertmanager`), run with the configuration users
 * copy from examples/alertmanager/, pointed at a bridge under test and made quick.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { PROJECT_ROOT, waitUntilOk } from '../../scripts/wrangler-dev'
import { freePort } from './harness'

export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager'
const EXAMPLE = join(PROJECT_ROOT, 'examples/alertmanager/alertmanager.yml')

type WebhookConfig = { url: string; send_resolved?: boolean; http_config?: unknown }
type AlertmanagerConfig = {
  route: Record<string, unknown>
  receivers: { name: string; webhook_configs?: WebhookConfig[] }[]
}

/** The example file with only the bridge URL and the group timings changed. */
export async function exampleConfig(bridgeUrl: string): Promise<AlertmanagerConfig> {
  const config = parse(await readFile(EXAMPLE, 'utf8')) as AlertmanagerConfig
  Object.assign(config.route, { group_wait: '1s', group_interval: '2s', repeat_interval: '1h' })
  for (const receiver of config.receivers) {
    for (const webhook of receiver.webhook_configs ?? []) {
      webhook.url = webhook.url.replace('http://127.0.0.1:8787', bridgeUrl)
    }
  }
  return config
}

export type Alert = {
  labels: Record<string, string>
  annotations?: Record<string, string>
  startsAt?: string
  endsAt?: string
}

export type Alertmanager = {
  url: string
  /** `POST /api/v2/alerts`, as Prometheus does. */
  pushAlerts: (alerts: Alert[]) => Promise<void>
  /** Sum of one metric's samples for the webhook integration. */
  webhookMetric: (name: string) => Promise<number>
  log: () => string
  stop: () => Promise<void>
}

export async function startAlertmanager(config: AlertmanagerConfig): Promise<Alertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'udesk-bridge-alertmanager-'))
  const configFile = join(dir, 'alertmanager.yml')
  await writeFile(configFile, stringify(config))
  const url = `http://127.0.0.1:${await freePort()}`
  const child = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=${new URL(url).host}`,
      // A single instance: no gossip port, no peers.
      '--cluster.listen-address=',
      '--log.level=info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let log = ''
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  child.once('error', (err) => (log += `\n${err.message}`))
  const stop = async () => {
    child.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitUntilOk(`${url}/-/ready`, exited, 30_000)
  } catch (err) {
    await stop()
    throw new Error(`alertmanager did not start: ${String(err)}\n${log}`)
  }
  return {
    url,
    pushAlerts: (alerts) => pushAlerts(url, alerts),
    webhookMetric,
    log: () => log,
    stop,
  }

  async function webhookMetric(name: string): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text()
    return text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && line.includes('integration="webhook"'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
  }
}

async function pushAlerts(url: string, alerts: Alert[]): Promise<void> {
  const response = await fetch(`${url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  })
  if (!response.ok) throw new Error(`alertmanager refused the alerts: ${await response.text()}`)
}
