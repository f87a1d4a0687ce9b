import type { SlackSource } from '../config'
import { ephemeral, SlackCommandSchema, slackCommandToEvents } from '../sources/slack-command'
import type { Intake, IntakeRequest } from './intake'
import { parsePayload } from './payload'

/**
 * A slash command, already authenticated. Slack waits 3 seconds for the answer and shows it
 * to the caller alone; queueing takes milliseconds, so the answer says the request was
 * received (the ticket number follows once Udesk made the ticket).
 */
export function slackCommandIntake(
  request: IntakeRequest<SlackSource>,
  params: URLSearchParams,
): Intake {
  const command = parsePayload(SlackCommandSchema, Object.fromEntries(params))
  if (!request.source.commands.includes(command.command)) {
    const body = ephemeral('This command is not one this app handles.')
    return { kind: 'answer', outcome: 'ignored', body }
  }
  const deliveryId = `${command.team_id}:command:${command.trigger_id}`
  const events = slackCommandToEvents(command, {
    source: request.name,
    config: request.source,
    deliveryId,
    receivedAt: request.receivedAt,
  })
  if (events.length === 0) {
    const body = ephemeral(
      'Write what you need after the command, e.g. /ticket The dashboard is empty.',
    )
    return { kind: 'answer', outcome: 'ignored', body, deliveryId }
  }
  return {
    kind: 'events',
    deliveryId,
    events,
    answers: {
      accepted: ephemeral('Received: a ticket is being opened for you.'),
      duplicate: ephemeral('Already received: your ticket is being opened.'),
    },
  }
}
