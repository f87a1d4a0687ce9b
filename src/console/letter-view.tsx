import type { DeadLetterRecord } from '../delivery/ledger'
import { formatTime, Layout } from './layout'
import { canReplay, isReplayable, isUnreadableRecord, redactSecrets } from './letters'
import { isOutboundRecord } from './outbound-letters'

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
  const event = isReplayable(letter) ? letter.event : undefined
  const unreadable = isUnreadableRecord(letter)
  const outbound = isOutboundRecord(letter) ? letter.outbound : undefined
  const payload = unreadable
    ? String(redactSecrets(unreadable.raw))
    : JSON.stringify(redactSecrets(event ?? outbound?.item.action), null, 2)
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
        {outbound && (
          <>
            <dt>Answer to</dt>
            <dd>
              {outbound.destination} of{' '}
              <a href={threadLink(outbound.source, outbound.thread)}>
                {outbound.source} {outbound.thread}
              </a>
            </dd>
            <dt>Item</dt>
            <dd>{outbound.item.id}</dd>
          </>
        )}
        {event && isReplayable(letter) && (
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
        {unreadable && (
          <>
            <dt>Why unreadable</dt>
            <dd>{unreadable.issues.join('; ')}</dd>
          </>
        )}
      </dl>
      {canReplay(letter) && (
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
