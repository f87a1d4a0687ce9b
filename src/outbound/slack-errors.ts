/**
 * Errors that no retry of this call fixes and that will hit every call of the thread, or of
 * every thread, until someone acts: the bot was removed or never invited, the channel is gone
 * or archived, the token is wrong, revoked or lacks a scope (api.slack.com/methods, "Errors").
 */
export const PERMANENT_SLACK_ERRORS = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
])
/** Slack's own trouble: the same call may go through later. */
const TRANSIENT_SLACK_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
])

/** How the client types a Slack error code (see `SlackResult`). */
export function slackErrorKind(error: string): 'permanent' | 'rejected' | 'transient' {
  if (PERMANENT_SLACK_ERRORS.has(error)) return 'permanent'
  if (TRANSIENT_SLACK_ERRORS.has(error)) return 'transient'
  return 'rejected'
}
