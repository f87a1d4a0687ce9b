import { Hono } from 'hono'
import { z } from 'zod'
import type { SimEnv } from '../context'
import { parseBody } from '../control'
import { messageJson } from './methods'
import { workspaceOf, type SlackWorkspace } from './workspace'

const FaultInputSchema = z.object({
  method: z.string().min(1).optional(),
  channel: z.string().min(1).optional(),
  /** Only calls with a parameter equal to this (a user id, a ts): scopes a fault to one test. */
  match: z.string().min(1).optional(),
  /** A Slack error code answered with HTTP 200, e.g. `not_in_channel`. */
  error: z.string().min(1).optional(),
  /** Answer HTTP 429 with this `Retry-After` (seconds). */
  retryAfter: z.number().int().nonnegative().optional(),
  /** Answer this HTTP status (5xx). */
  status: z.number().int().min(500).max(599).optional(),
  /** Carry the call out, then answer only after this many ms (a lost answer). */
  hangMs: z.number().int().positive().max(30_000).optional(),
  times: z.number().int().positive().default(1),
})

const MessageInputSchema = z.object({
  channel: z.string().min(1),
  user: z.string().min(1),
  text: z.string(),
  thread_ts: z.string().optional(),
})

const UserInputSchema = z.object({
  id: z.string().min(1),
  realName: z.string().min(1),
  displayName: z.string().optional(),
  email: z.string().nullable().optional(),
})

/** Each channel's threads (a thread is a root ts and its messages), for tests and the page. */
export function channelThreads(workspace: SlackWorkspace) {
  return [...workspace.channels.entries()].map(([channel, messages]) => {
    const roots = [...new Set(messages.map((m) => m.threadTs ?? m.ts))]
    return {
      id: channel,
      threads: roots.map((ts) => ({
        ts,
        messages: workspace.thread(channel, ts).map((m) => messageJson(m, channel)),
      })),
    }
  })
}

/** The Slack double's control API, mounted at `/_sim/slack` (and per instance). */
export function slackControl(): Hono<SimEnv> {
  const control = new Hono<SimEnv>()
  const workspace = (c: { get(key: 'sim'): SimEnv['Variables']['sim'] }) =>
    workspaceOf(c.get('sim'))

  control.get('/calls', (c) => {
    const method = c.req.query('method')
    const calls = workspace(c).calls.filter((call) => !method || call.method === method)
    return c.json({ calls })
  })

  control.get('/responses', (c) => c.json({ responses: workspace(c).responses }))

  control.post('/faults', async (c) => {
    const { data, error } = await parseBody(c.req.raw, FaultInputSchema)
    if (error) return error
    const fault =
      data.retryAfter !== undefined
        ? { kind: 'ratelimited' as const, retryAfter: data.retryAfter }
        : data.status !== undefined
          ? { kind: 'http' as const, status: data.status }
          : data.hangMs !== undefined
            ? { kind: 'hang' as const, ms: data.hangMs }
            : { kind: 'error' as const, error: data.error ?? 'internal_error' }
    const ws = workspace(c)
    const id = ws.nextSeq()
    ws.faults.push({
      id,
      method: data.method ?? null,
      channel: data.channel ?? null,
      match: data.match ?? null,
      fault,
      times: data.times,
    })
    return c.json({ id }, 201)
  })

  control.delete('/faults', (c) => {
    workspace(c).faults = []
    return c.json({ ok: true })
  })

  control.get('/channels', (c) => c.json({ channels: channelThreads(workspace(c)) }))

  control.post('/messages', async (c) => {
    const { data, error } = await parseBody(c.req.raw, MessageInputSchema)
    if (error) return error
    const ws = workspace(c)
    const ts = ws.nextTs()
    ws.messagesOf(data.channel).push({
      ts,
      threadTs: data.thread_ts ?? null,
      user: data.user,
      botId: null,
      username: null,
      text: data.text,
      reactions: [],
      metadata: null,
    })
    return c.json({ channel: data.channel, ts }, 201)
  })

  control.post('/users', async (c) => {
    const { data, error } = await parseBody(c.req.raw, UserInputSchema)
    if (error) return error
    const { id, realName, displayName = realName, email = null } = data
    workspace(c).users.set(id, {
      id,
      name: id.toLowerCase(),
      realName,
      displayName,
      email,
      isBot: false,
    })
    return c.json({ id }, 201)
  })

  control.post('/reset', (c) => {
    workspace(c).reset()
    return c.json({ ok: true })
  })

  return control
}
