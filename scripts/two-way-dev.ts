import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT } from './wrangler-dev'

/** Development two-way secrets (README, "Development credentials"). */
export const DEV_TWO_WAY_SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-dev-slack-bot-token',
  UDESK_HOOK_TOKEN: 'dev-udesk-hook-token',
  EVENTS_REPLY_SECRET: 'whsec_LWNM5nSJBfEA2EeizrQ4LTEIdHxspwSY',
} as const

/**
 * Where `npm start` points the two-way side: the environment's `SLACK_API_URL` and
 * `EVENTS_REPLY_URL` when given, else the simulator's Slack double and webhook receiver.
 * Plain vars (URLs, no credentials), so they may go on wrangler's command line.
 */
export function twoWayOverrides(env: NodeJS.ProcessEnv, simulatorUrl: string) {
  const vars = {
    SLACK_API_URL: env.SLACK_API_URL || `${simulatorUrl}/slack/api`,
    EVENTS_REPLY_URL: env.EVENTS_REPLY_URL || `${simulatorUrl}/_sim/receiver/events`,
  }
  const overridden = (['SLACK_API_URL', 'EVENTS_REPLY_URL'] as const).filter((name) => env[name])
  return { vars, overridden }
}

/**
 * The development two-way secrets a `.dev.vars` written before two-way existed lacks, for the
 * child's environment (never argv). A value in the environment or in `.dev.vars` is kept: the
 * environment wins over the file in wrangler, so only names set in neither are added.
 */
export async function missingTwoWaySecrets(
  env: NodeJS.ProcessEnv,
  root = PROJECT_ROOT,
): Promise<Record<string, string>> {
  const file = await readFile(join(root, '.dev.vars'), 'utf8').catch(() => '')
  const named = new Set(file.split('\n').map((line) => line.split('=')[0]!.trim()))
  return Object.fromEntries(
    Object.entries(DEV_TWO_WAY_SECRETS).filter(([name]) => !env[name] && !named.has(name)),
  )
}
