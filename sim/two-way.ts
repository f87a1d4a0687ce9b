import type { Hono } from 'hono'
import { agentDeskRoutes } from './agent-desk'
import type { SimEnv } from './context'
import { webhookReceiver } from './receiver'
import { slackControl } from './slack/control'
import { registerSlackPage } from './slack/slack-page'
import { slackWebApi } from './slack/web-api'

/**
 * The two-way side of the simulator, for the default instance and each fresh one:
 * - `/slack/api/{method}`: the Slack Web API double (`SLACK_API_URL`), slash commands' response
 *   URLs at `/slack/commands/...`, its page at `/slack`,
 *   its control API at `/_sim/slack` (calls, faults, channels and threads, seeded messages);
 * - `/_sim/receiver/{endpoint}`: the receiver of outbound Standard Webhooks;
 * - `/_sim/inbox/tickets/:id/{reply,status}`: the inbox's agent forms.
 */
export function registerTwoWay(app: Hono<SimEnv>): void {
  for (const prefix of ['', '/_sim/instances/:instance']) {
    app.route(`${prefix}/slack`, slackWebApi())
    app.route(`${prefix}/_sim/slack`, slackControl())
    app.route(`${prefix}/_sim/receiver`, webhookReceiver())
    app.route(`${prefix}/_sim/inbox`, agentDeskRoutes())
    registerSlackPage(app, `${prefix}/slack`)
  }
}
