import type { DeadLetterRecord } from '../delivery/ledger'
import { isUnreadable } from '../delivery/message'
import { formatTime, Layout } from './layout'
import { isReplayable, redactSecrets } from './letters'

export const LETTERS_PAGE = '/admin/letters'
const CURRENT = LETTERS_PAGE

function threadLink(source: string, thread: string): string {
  return `/admin/threads?${new URLSearchParams({ source, thread })}`
}

/** A question and a POST button: nothing is replayed by following a link. */
export function Confirm(props: { action: string; question: string; back: string }) {
  return (
    <Layout title="Replay?" current={CURRENT}>
      <p>{props.question}</p>
      <form method="post" action={props.action}>
        <button type="submit">Yes, replay</button> <a href={props.back}>Cancel</a>
      </form>
    </Layout>
  )
}

/** One letter: why it failed, where it belongs, its payload with credentials redacted. */
export function LetterView(props: { letter: DeadLetterRecord }) {
  const { letter } = props
  const event = isUnreadable(letter) ? undefined : letter.event
  const payload = isUnreadable(letter)
    ? String(redactSecrets(letter.raw))
    : JSON.stringify(redactSecrets(letter.event), null, 2)
  return (
    <Layout title="Dead letter" current={CURRENT}>
      <dl>
        <dt>Reason</dt>
        <dd>{letter.reason}</dd>
        <dt>Attempts</dt>
        <dd>{letter.attempts}</dd>
        <dt>Failed at</dt>
        <dd>{formatTime(letter.failedAt)}</dd>
        <dt>Last error</dt>
        <dd>{letter.lastError ?? '(none recorded)'}</dd>
        {event && !isUnreadable(letter) && (
          <>
            <dt>Source</dt>
            <dd>{event.source}</dd>
            <dt>Thread</dt>
            <dd>
              <a href={threadLink(event.source, event.thread)}>{event.thread}</a>
            </dd>
            <dt>Event</dt>
            <dd>
              {event.type} {event.id}
            </dd>
            <dt>Delivery id</dt>
            <dd>{letter.deliveryId}</dd>
          </>
        )}
        {isUnreadable(letter) && (
          <>
            <dt>Why unreadable</dt>
            <dd>{letter.issues.join('; ')}</dd>
          </>
        )}
      </dl>
      {isReplayable(letter) && (
        <p>
          <a class="button" href={`/admin/letters/${letter.id}/replay`}>
            Replay…
          </a>
        </p>
      )}
      <h2>Payload (credentials redacted)</h2>
      <pre>{payload}</pre>
    </Layout>
  )
}
