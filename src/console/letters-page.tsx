import { Hono } from 'hono'
import { ledger, type DeadLetterRecord } from '../delivery/ledger'
import { isUnreadable } from '../delivery/message'
import { formatTime, Layout, Notice } from './layout'
import { Confirm, LetterView, LETTERS_PAGE } from './letter-view'
import { replayAllLetters, replayLetter, scanLetters, SCAN_LIMIT } from './letters'
import type { ConsoleEnv } from './routes'

/** Dead letters: list with filters, one letter, replay one or all after a confirmation. */
export const letterPages = new Hono<ConsoleEnv>()

const PAGE_TITLE = 'Dead letters'
const CURRENT = LETTERS_PAGE

function sourceOf(letter: DeadLetterRecord): string {
  return isUnreadable(letter) ? '(unreadable)' : letter.event.source
}

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

function LetterRow(props: { letter: DeadLetterRecord }) {
  const { letter } = props
  return (
    <tr>
      <td>
        <a href={`/admin/letters/${letter.id}`}>{formatTime(letter.failedAt)}</a>
      </td>
      <td>{sourceOf(letter)}</td>
      <td>{isUnreadable(letter) ? '' : letter.event.thread}</td>
      <td>{isUnreadable(letter) ? '' : letter.event.type}</td>
      <td>{letter.reason}</td>
      <td class="n">{letter.attempts}</td>
      <td>{letter.lastError ?? ''}</td>
    </tr>
  )
}

letterPages.get('/', async (c) => {
  const { source, reason, replayed } = c.req.query()
  const { total, items } = await scanLetters(c.env)
  const shown = items.filter(
    (l) => (!source || sourceOf(l) === source) && (!reason || l.reason === reason),
  )
  const sources = [...new Set(items.map(sourceOf))].sort()
  const reasons = [...new Set(items.map((l) => l.reason))].sort()
  return c.html(
    <Layout title={PAGE_TITLE} current={CURRENT}>
      {replayed !== undefined && /^\d+$/.test(replayed) && (
        <Notice>Replayed {replayed}: back on the delivery queue.</Notice>
      )}
      <p>
        {total} dead letters{total > SCAN_LIMIT ? ` (filters see the oldest ${SCAN_LIMIT})` : ''}.
        Each one is an accepted event the bridge gave up on, with the reason.
      </p>
      <Filters sources={sources} reasons={reasons} source={source} reason={reason} />
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
            {shown.map((letter) => (
              <LetterRow letter={letter} />
            ))}
          </tbody>
        </table>
      </div>
    </Layout>,
  )
})

letterPages.get('/replay-all', async (c) => {
  const { total } = await scanLetters(c.env)
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
