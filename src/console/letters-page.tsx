import { Hono } from 'hono/tiny'
import { inspectConfig } from '../config'
import type { DeadLetterReason } from '../delivery/dead-letters'
import { ledger, type DeadLetterSummary } from '../delivery/ledger'
import { formatTime, Layout, Notice } from './layout'
import { Confirm, LetterView, LETTERS_PAGE } from './letter-view'
import { replayAllLetters, replayLetter } from './letters'
import type { ConsoleEnv } from './routes'

/** Dead letters: list with filters, one letter, replay one or all after a confirmation. */
export const letterPages = new Hono<ConsoleEnv>()

const PAGE_TITLE = 'Dead letters'
const CURRENT = LETTERS_PAGE

/** Letters shown on one page, oldest first. */
const PAGE_SIZE = 200

/** Every reason the bridge gives (dead-letters.ts). */
const REASONS = [
  'udesk_rejected',
  'max_attempts',
  'thread_never_opened',
  'exhausted_platform_retries',
  'unreadable_message',
] as const satisfies readonly DeadLetterReason[]

function Filters(props: {
  sources: string[]
  reasons: string[]
  source?: string
  reason?: string
}) {
  return (
    <form method="get" action="/admin/letters" class="filters" aria-label="Filter dead letters">
      <label>
        Source
        <select name="source">
          <option value="">any</option>
          {props.sources.map((s) => (
            <option value={s} selected={s === props.source}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Reason
        <select name="reason">
          <option value="">any</option>
          {props.reasons.map((r) => (
            <option value={r} selected={r === props.reason}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="secondary">
        Filter
      </button>
    </form>
  )
}

function LetterRow(props: { letter: DeadLetterSummary }) {
  const { letter } = props
  return (
    <tr>
      <td>
        <a href={`/admin/letters/${letter.id}`}>{formatTime(letter.failedAt)}</a>
      </td>
      <td>{letter.source ?? '(unreadable)'}</td>
      <td>{letter.thread ?? ''}</td>
      <td>{letter.type ?? ''}</td>
      <td>{letter.reason}</td>
      <td class="n">{letter.attempts}</td>
      <td>{letter.lastError ?? ''}</td>
    </tr>
  )
}

letterPages.get('/', async (c) => {
  const { source, reason, replayed } = c.req.query()
  const book = ledger(c.env)
  const filter = { source: source || undefined, reason: reason || undefined }
  const [all, shown] = await Promise.all([
    book.summarizeDeadLetters({ limit: 0 }),
    book.summarizeDeadLetters({ ...filter, limit: PAGE_SIZE }),
  ])
  const total = all.total
  const config = inspectConfig(c.env)
  const sources = config.ok ? Object.keys(config.settings.SOURCES) : []
  return c.html(
    <Layout title={PAGE_TITLE} current={CURRENT}>
      {replayed !== undefined && /^\d+$/.test(replayed) && (
        <Notice>Replayed {replayed}: back on the delivery queue.</Notice>
      )}
      <p>
        {total} dead letters, {shown.total} matching
        {shown.total > PAGE_SIZE ? ` (the oldest ${PAGE_SIZE} shown)` : ''}. Each one is an accepted
        event the bridge gave up on, with the reason.
      </p>
      <Filters sources={sources} reasons={[...REASONS]} source={source} reason={reason} />
      {total > 0 && (
        <p>
          <a class="button" href="/admin/letters/replay-all">
            Replay all…
          </a>
        </p>
      )}
      <div class="table">
        <table>
          <caption class="visually-hidden">Dead letters, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Failed at</th>
              <th scope="col">Source</th>
              <th scope="col">Thread</th>
              <th scope="col">Event</th>
              <th scope="col">Reason</th>
              <th scope="col" class="n">
                Attempts
              </th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {shown.items.map((letter) => (
              <LetterRow letter={letter} />
            ))}
          </tbody>
        </table>
      </div>
    </Layout>,
  )
})

letterPages.get('/replay-all', async (c) => {
  const { total } = await ledger(c.env).summarizeDeadLetters({ limit: 0 })
  const question = `Put all ${total} dead letters back on the delivery queue? Unreadable ones stay.`
  return c.html(
    <Confirm action="/admin/letters/replay-all" question={question} back="/admin/letters" />,
  )
})

letterPages.post('/replay-all', async (c) => {
  const replayed = await replayAllLetters(c.env)
  return c.redirect(`/admin/letters?replayed=${replayed}`, 303)
})

letterPages.get('/:id/replay', (c) => {
  const id = c.req.param('id')
  const question = 'Put this dead letter back on the delivery queue?'
  return c.html(
    <Confirm
      action={`/admin/letters/${id}/replay`}
      question={question}
      back={`/admin/letters/${id}`}
    />,
  )
})

letterPages.post('/:id/replay', async (c) => {
  const result = await replayLetter(c.env, c.req.param('id'))
  if (typeof result === 'object')
    return c.redirect(`/admin/letters?replayed=${result.replayed}`, 303)
  const why =
    result === 'not_found'
      ? 'No such dead letter (replayed already?).'
      : 'An unreadable letter has no event to replay.'
  return c.html(
    <Layout title={PAGE_TITLE} current={CURRENT}>
      <Notice error>{why}</Notice>
      <a href="/admin/letters">Back to the dead letters</a>
    </Layout>,
    result === 'not_found' ? 404 : 409,
  )
})

letterPages.get('/:id', async (c) => {
  const letter = await ledger(c.env).getDeadLetter(c.req.param('id'))
  if (!letter) {
    return c.html(
      <Layout title={PAGE_TITLE} current={CURRENT}>
        <Notice error>No such dead letter (replayed already?).</Notice>
      </Layout>,
      404,
    )
  }
  return c.html(<LetterView letter={letter} />)
})
