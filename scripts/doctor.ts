/**
 * `npm run doctor`: asks a running bridge to check its own configuration (GET /admin/doctor)
 * and prints one line per check, ✓ or ✗ with the fix. The checks run inside the worker, on the
 * deployment's real vars and secrets, so after `wrangler deploy` point it at the deployment:
 *
 *   BRIDGE_URL=https://udesk-bridge.example.workers.dev ADMIN_TOKEN=... npm run doctor
 *
 * Without BRIDGE_URL it asks `npm start`'s bridge (BRIDGE_PORT, default 8787) with the
 * development ADMIN_TOKEN from .dev.vars. Exits 1 when a check fails, 2 when it cannot ask.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { formatReport } from '../src/console/diagnose'
import type { CheckResult } from '../src/console/doctor'
import { PROJECT_ROOT } from './wrangler-dev'

async function adminToken(): Promise<string | undefined> {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN
  const vars = await readFile(join(PROJECT_ROOT, '.dev.vars'), 'utf8').catch(() => '')
  return /^ADMIN_TOKEN=(.*)$/m.exec(vars)?.[1]?.trim()
}

async function main(): Promise<number> {
  const bridge = process.env.BRIDGE_URL ?? `http://127.0.0.1:${process.env.BRIDGE_PORT ?? 8787}`
  const token = await adminToken()
  if (!token) {
    console.error('ADMIN_TOKEN is not set (the bridge\'s admin token; see README, "Console")')
    return 2
  }
  const url = new URL('/admin/doctor', bridge)
  let response: Response
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  } catch (err) {
    console.error(`cannot reach ${url.origin}: ${err instanceof Error ? err.message : err}`)
    return 2
  }
  if (!response.ok) {
    console.error(`${url.href} answered ${response.status}: ${await response.text()}`)
    return 2
  }
  const { checks } = (await response.json()) as { checks: CheckResult[] }
  console.log(`udesk-bridge at ${url.origin}\n${formatReport(checks)}`)
  const failed = checks.filter((c) => !c.ok).length
  console.log(failed === 0 ? 'every check passed' : `${failed} check(s) failed`)
  return failed === 0 ? 0 : 1
}

process.exitCode = await main()
