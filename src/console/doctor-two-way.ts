import { loadTwoWayConfig, type TwoWayConfig } from '../two-way-config'
import type { CheckResult, Deployment } from './doctor'

const TITLE = 'Two-way answers have somewhere safe to go'

/**
 * The two-way settings parse, and in a deployment every place answers go (Slack's API, each
 * webhook source's reply URL) is https. Says which sources answer, whether the doorbell is on
 * and which filter the sweep reads; never a secret's value.
 */
export function checkTwoWay(env: Env, deployment: Deployment): CheckResult {
  let config: TwoWayConfig
  try {
    config = loadTwoWayConfig(env)
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err)
    const fix =
      'Correct the named two-way setting (README, "Two-way: polling, doorbell and webhook replies"), or put the secret a source\'s replySecret names.'
    return { id: 'two_way', title: TITLE, ok: false, detail, fix }
  }
  const targets = Object.entries(config.destinations).map(([source, destination]) =>
    destination.kind === 'slack'
      ? { source, url: config.settings.SLACK_API_URL }
      : { source, url: destination.url },
  )
  const plain = targets.filter((t) => new URL(t.url).protocol !== 'https:')
  const answering = targets.map(shown).join(', ') || 'none (one-way)'
  const doorbell = config.settings.UDESK_HOOK_TOKEN ? 'doorbell on' : 'doorbell off'
  const filterId = config.settings.UDESK_WATCH_FILTER_ID
  const sweep = filterId === undefined ? 'sweep off' : `sweep of filter ${filterId}`
  const detail = `answers: ${answering}; ${doorbell}; ${sweep}`
  if (deployment === 'local' || plain.length === 0) {
    return { id: 'two_way', title: TITLE, ok: true, detail }
  }
  return {
    id: 'two_way',
    title: TITLE,
    ok: false,
    detail: `not https: ${plain.map(shown).join(', ')}`,
    fix: 'Use https for SLACK_API_URL and every replyUrl (or its {NAME}_REPLY_URL).',
  }
}

/**
 * `source → origin/path`: a reply URL may carry the receiver's credentials (`user:pass@`, a
 * `?key=`), which the console and the doctor's output never show; a query is shown as `?…`.
 */
function shown({ source, url }: { source: string; url: string }): string {
  const parsed = new URL(url)
  return `${source} → ${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`
}
