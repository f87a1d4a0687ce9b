import type { AlertGroupStore } from '../alerts/group-store'
import type { Config } from '../config'
import type { SlackSide } from '../slack/bot'
import { UdeskError, type UdeskClient } from '../udesk/client'
import type { ThreadState, ThreadStore } from './thread-store'
import type { TwoWay } from './two-way-hooks'

/** What applying one event needs: the thread's storage and a (rate-limited) Udesk client. */
export interface ApplyContext {
  store: ThreadStore
  client: UdeskClient
  config: Config
  kv: KVNamespace
  /** The alert group's own state (alert threads only use it). */
  alerts: AlertGroupStore
  /** The Slack bot (users.info for new customers) and API URL; absent: Slack is never asked. */
  slack?: SlackSide
  /** The thread's two-way watch, told of the bridge's own writes; absent when all is one-way. */
  twoWay?: TwoWay
  /**
   * The event is a replayed dead letter: each write it may have made in its first life is
   * looked up before it is repeated, as if that write's intent were still there.
   */
  replay?: boolean
}

export interface StepSpec<T> {
  /** The Udesk write. */
  run: () => Promise<T>
  /**
   * Finds the write's effect when an earlier attempt may have made it (its intent is still
   * there). Without it the write is repeated, which is right for idempotent writes (status).
   */
  check?: () => Promise<T | undefined>
  /** Thread state the result implies, stored in the same transaction as the step's result. */
  patch?: (result: T) => Partial<ThreadState>
}

/**
 * A step that stopped before it sent anything to Udesk (its input is not there yet): retried
 * like a failure, but it leaves no intent behind, since nothing can have been applied.
 */
export class NothingSentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'NothingSentError'
  }
}

/**
 * One Udesk write of one event, exactly once: done steps are skipped, an intent is written
 * before the call and replaced by the result after it. An intent found at the start means an
 * earlier attempt's outcome is unknown, so `check` looks for its effect before repeating.
 */
export async function runStep<T>(
  ctx: ApplyContext,
  eventId: string,
  name: string,
  spec: StepSpec<T>,
): Promise<T> {
  const previous = ctx.store.step(eventId, name)
  if (previous?.status === 'done') return previous.result as T
  if ((previous?.status === 'started' || ctx.replay) && spec.check) {
    const found = await spec.check()
    if (found !== undefined) return finish(ctx, eventId, name, found, spec)
  }
  ctx.store.startStep(eventId, name)
  let result: T
  try {
    result = await spec.run()
  } catch (err) {
    // Udesk certainly did not apply it (a refusal, a 429, our own rate limit): no intent.
    const notApplied = err instanceof UdeskError && !err.outcomeUnknown
    if (notApplied || err instanceof NothingSentError) ctx.store.dropStep(eventId, name)
    throw err
  }
  return finish(ctx, eventId, name, result, spec)
}

function finish<T>(
  ctx: ApplyContext,
  eventId: string,
  name: string,
  result: T,
  spec: StepSpec<T>,
): T {
  ctx.store.finishStep(eventId, name, result, spec.patch?.(result))
  return result
}
