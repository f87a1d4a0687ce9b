import { DEV } from '../test/e2e/harness'
import type { CpuJob, CpuTiming } from './cpu-job'
import { signedSamples, type SignedSample } from './signed-samples'
import { bundleWorker, runInWorkerd } from './worker-bundle'

type Row = [name: string, baseline: string, result: string, ratio: string]

/** Per-request CPU goal for a signed 1 KB request (issue 13). */
export const CPU_GOAL_US = 20
const MEASURE_MS = Number(process.env.BENCH_CPU_MS ?? 400)

/** The bench's sources: one per source kind and authentication the bridge accepts. */
const SOURCES = {
  events: { kind: 'webhook', secret: 'EVENTS_WEBHOOK_SECRET' },
  slack: { kind: 'slack', secret: 'SLACK_SIGNING_SECRET' },
  alertmanager: {
    kind: 'alertmanager',
    secret: 'ALERTMANAGER_TOKEN',
    auth: [{ type: 'bearer' }, { type: 'basic', username: 'alertmanager' }],
  },
  grafana: { kind: 'grafana', secret: 'GRAFANA_TOKEN', auth: { type: 'grafana-hmac' } },
  contact: { kind: 'form', honeypot: '_gotcha', allowedOrigins: ['*'] },
}

const BINDINGS = {
  // Never called: the intake stops before delivery.
  UDESK_BASE_URL: 'http://127.0.0.1:9/open_api_v1',
  UDESK_EMAIL: DEV.udeskEmail,
  UDESK_API_TOKEN: DEV.udeskToken,
  SLACK_SIGNING_SECRET: DEV.slackSigningSecret,
  ALERTMANAGER_TOKEN: DEV.alertmanagerToken,
  GRAFANA_TOKEN: DEV.grafanaToken,
  EVENTS_WEBHOOK_SECRET: DEV.eventsWebhookSecret,
  SOURCES: JSON.stringify(SOURCES),
}

/**
 * CPU per request in workerd, per source kind: the intake `POST /webhooks/:source` runs
 * (authenticate, parse, schema, adapter), one request at a time and 10 in flight at once,
 * against `JSON.parse` of the same body (for forms: of the same fields as JSON).
 */
export async function workerdCpuRows(entry = 'bench/workers/cpu.ts'): Promise<Row[]> {
  const bundle = await bundleWorker({ entry })
  const mf = await runInWorkerd([{ path: 'cpu-worker.js', contents: bundle.code }], BINDINGS)
  try {
    const rows: Row[] = []
    for (const sample of await signedSamples()) {
      const one = await measure(mf, sample, 1)
      const ten = await measure(mf, sample, 10)
      const bytes = Buffer.from(sample.body, 'base64').byteLength
      rows.push([
        `${sample.name} (${bytes} B)`,
        `JSON.parse: ${one.jsonParseUs.toFixed(2)} µs`,
        `${one.intakeUs.toFixed(1)} µs; 10 in flight: ${ten.intakeUs.toFixed(1)} µs`,
        `${(one.intakeUs / one.jsonParseUs).toFixed(1)}x`,
      ])
    }
    return rows
  } finally {
    await mf.dispose()
  }
}

async function measure(
  mf: Awaited<ReturnType<typeof runInWorkerd>>,
  sample: SignedSample,
  n: number,
) {
  const job: CpuJob = { ...sample, concurrency: n, measureMs: MEASURE_MS }
  const response = await mf.dispatchFetch('http://bench/', {
    method: 'POST',
    body: JSON.stringify(job),
  })
  if (!response.ok) throw new Error(`${sample.name}: ${response.status} ${await response.text()}`)
  const timing = (await response.json()) as CpuTiming
  // Anything but queued events would time a refusal, not the accept path.
  if (timing.outcome !== 'events') throw new Error(`${sample.name}: ${timing.outcome}`)
  return timing
}
