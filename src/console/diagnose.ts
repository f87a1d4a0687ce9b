import { inspectConfig } from '../config'
import { configFailure, deploymentOf, runDoctor, type CheckResult } from './doctor'
import { checkTwoWay } from './doctor-two-way'
import { createUdeskProbe } from './doctor-udesk'

/**
 * The doctor run inside the worker, on the deployment's own vars and secrets. `url` is the
 * request's: a bridge served from a loopback host is in local development. Its two Udesk reads
 * skip the delivery rate limiter, which cannot start while the configuration is broken.
 */
export async function diagnose(env: Env, url: string): Promise<CheckResult[]> {
  const inspected = inspectConfig(env)
  if (!inspected.ok) return configFailure(inspected.problems)
  const { settings, secrets } = inspected
  const udesk = createUdeskProbe(settings, settings.UDESK_API_TOKEN)
  const deployment = deploymentOf(url)
  const checks = await runDoctor({ settings, secrets, deployment, udesk })
  return [...checks, checkTwoWay(env, deployment)]
}

/** `✓ title: detail` and, under a failure, its fix: the doctor's report as plain text. */
export function formatReport(checks: CheckResult[]): string {
  return checks
    .map((c) => {
      const line = `${c.ok ? '✓' : '✗'} ${c.title}${c.detail ? `: ${c.detail}` : ''}`
      return c.ok || !c.fix ? line : `${line}\n    fix: ${c.fix}`
    })
    .join('\n')
}
