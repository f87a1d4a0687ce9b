import { BOT, type SlackWorkspace, type StoredMessage } from './workspace'

export interface MethodAnswer {
  status: number
  body: Record<string, unknown>
  headers?: Record<string, string>
}

type Params = Record<string, string>
type Method = (workspace: SlackWorkspace, params: Params) => MethodAnswer

const ok = (body: Record<string, unknown> = {}): MethodAnswer => ({
  status: 200,
  body: { ok: true, ...body },
})
const refuse = (error: string): MethodAnswer => ({ status: 200, body: { ok: false, error } })
const PERMALINK_HOST = BOT.url.replace(/\/$/, '')
/** Slack's default page size for conversations.replies, and its maximum. */
const DEFAULT_LIMIT = 1000

/** A message as the Web API shows it (chat.postMessage's `message`, conversations.replies). */
export function messageJson(message: StoredMessage, channel: string, withMetadata = false) {
  return {
    type: 'message',
    ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(message.user ? { user: message.user } : {}),
    ...(message.botId ? { bot_id: message.botId, app_id: BOT.appId } : {}),
    ...(message.username ? { username: message.username } : {}),
    text: message.text,
    ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
    team: BOT.teamId,
    channel,
    ...(message.reactions.length > 0
      ? {
          reactions: message.reactions.map((r) => ({
            name: r.name,
            users: r.users,
            count: r.users.length,
          })),
        }
      : {}),
  }
}

function postMessage(workspace: SlackWorkspace, params: Params): MethodAnswer {
  const { channel, text, thread_ts: threadTs } = params
  if (!channel) return refuse('channel_not_found')
  if (!text && !params.blocks) return refuse('no_text')
  if ((text ?? '').length > 40_000) return refuse('msg_too_long')
  const message: StoredMessage = {
    ts: workspace.nextTs(),
    threadTs: threadTs || null,
    user: BOT.userId,
    botId: BOT.botId,
    username: params.username || null,
    text: text ?? '',
    reactions: [],
    metadata: parseMetadata(params.metadata),
  }
  workspace.messagesOf(channel).push(message)
  return ok({ channel, ts: message.ts, message: messageJson(message, channel) })
}

function parseMetadata(raw: string | undefined): unknown {
  if (!raw) return null
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return null
  }
}

function reaction(add: boolean): Method {
  return (workspace, { channel, timestamp, name }) => {
    if (!channel) return refuse('channel_not_found')
    if (!name) return refuse('invalid_name')
    const message = timestamp ? workspace.findMessage(channel, timestamp) : undefined
    if (!message) return refuse('message_not_found')
    const existing = message.reactions.find((r) => r.name === name)
    const mine = existing?.users.includes(BOT.userId) ?? false
    if (add) {
      if (mine) return refuse('already_reacted')
      if (existing) existing.users.push(BOT.userId)
      else message.reactions.push({ name, users: [BOT.userId] })
      return ok()
    }
    if (!existing || !mine) return refuse('no_reaction')
    existing.users = existing.users.filter((u) => u !== BOT.userId)
    message.reactions = message.reactions.filter((r) => r.users.length > 0)
    return ok()
  }
}

function usersInfo(workspace: SlackWorkspace, { user }: Params): MethodAnswer {
  const found = user ? workspace.users.get(user) : undefined
  if (!found) return refuse('user_not_found')
  return ok({
    user: {
      id: found.id,
      team_id: BOT.teamId,
      name: found.name,
      deleted: false,
      real_name: found.realName,
      tz: 'Europe/Lisbon',
      profile: {
        real_name: found.realName,
        display_name: found.displayName,
        real_name_normalized: found.realName,
        display_name_normalized: found.displayName,
        ...(found.email ? { email: found.email } : {}),
        team: BOT.teamId,
      },
      is_admin: false,
      is_owner: false,
      is_bot: found.isBot,
      is_app_user: false,
      updated: 1502138686,
    },
  })
}

function authTest(): MethodAnswer {
  return ok({
    url: BOT.url,
    team: BOT.team,
    user: BOT.name,
    team_id: BOT.teamId,
    user_id: BOT.userId,
    bot_id: BOT.botId,
    is_enterprise_install: false,
  })
}

/** Root first, then replies; `cursor` is the index to go on from, as an opaque string. */
function conversationsReplies(workspace: SlackWorkspace, params: Params): MethodAnswer {
  const { channel, ts } = params
  if (!channel || !workspace.channels.has(channel)) return refuse('channel_not_found')
  if (!ts) return refuse('thread_not_found')
  const oldest = Number(params.oldest ?? 0)
  const thread = workspace.thread(channel, ts).filter((m) => Number(m.ts) >= oldest)
  if (thread.length === 0) return refuse('thread_not_found')
  const limit = Math.min(Math.max(Number(params.limit) || DEFAULT_LIMIT, 1), DEFAULT_LIMIT)
  const start = params.cursor ? Number(atob(params.cursor)) || 0 : 0
  const page = thread.slice(start, start + limit)
  const more = start + limit < thread.length
  return ok({
    messages: page.map((m) => messageJson(m, channel, params.include_all_metadata === 'true')),
    has_more: more,
    response_metadata: { next_cursor: more ? btoa(String(start + limit)) : '' },
  })
}

function getPermalink(workspace: SlackWorkspace, params: Params): MethodAnswer {
  const { channel, message_ts: ts } = params
  if (!channel) return refuse('channel_not_found')
  const message = ts ? workspace.findMessage(channel, ts) : undefined
  if (!message) return refuse('message_not_found')
  const path = `${PERMALINK_HOST}/archives/${channel}/p${message.ts.replace('.', '')}`
  const thread = message.threadTs ? `?thread_ts=${message.threadTs}&cid=${channel}` : ''
  return ok({ channel, permalink: `${path}${thread}` })
}

/** The Web API methods the double answers, by name. */
export const slackMethods: Record<string, Method> = {
  'chat.postMessage': postMessage,
  'reactions.add': reaction(true),
  'reactions.remove': reaction(false),
  'users.info': usersInfo,
  'auth.test': authTest,
  'conversations.replies': conversationsReplies,
  'chat.getPermalink': getPermalink,
}
