import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/** What a refusal page needs: the answer's status and code, and words for a person. */
export interface Refusal {
  status: number
  /** DESIGN.md's error code (`payload_too_large`, ...). */
  code: string
  /** The error's own message (no secret or body in it: errors.ts's rule). */
  message: string
  /** Zod issues of a 400, as `field: problem`. */
  issues?: { path: (string | number)[]; message: string }[]
  /** Seconds to wait, for 429 and 503. */
  retryAfterS?: number
  /** The form's page, when known and allowed (see `backLink`). */
  back?: string | undefined
}

const HEADINGS: Record<number, string> = {
  400: 'Some fields need another look',
  401: 'This address does not take forms',
  403: 'Your message could not be sent from here',
  404: 'There is no form at this address',
  413: 'What you sent is too large',
  415: 'Your browser sent the form in a way we cannot read',
  429: 'Too many messages in a short time',
  503: 'We could not take your message just now',
}

/** A sentence for each refusal, in plain words; the error's message adds the detail. */
function explanation(refusal: Refusal): string {
  switch (refusal.code) {
    case 'captcha_failed':
      return 'We could not confirm that a person sent this form. Reload the form and try again.'
    case 'origin_not_allowed':
      return 'This form only accepts messages sent from its own website.'
    case 'rate_limited':
      return `Please wait ${refusal.retryAfterS ?? 60} seconds, then send your message again.`
    case 'queue_unavailable':
      return 'Nothing was lost on your side: please send the form again in a moment.'
    case 'invalid_payload':
      return 'Please correct these fields and send the form again:'
    default:
      return refusal.message.charAt(0).toUpperCase() + refusal.message.slice(1) + '.'
  }
}

/**
 * The small, accessible HTML page a browser gets for a refused form post (DESIGN.md: "a small
 * HTML page with the same status and the reason in plain words"), with a link back to the
 * form. Every value is escaped by hono's `html` template: issues and messages can quote what
 * the sender chose (a charset name, a field name).
 */
export function refusalPage(refusal: Refusal): HtmlEscapedString | Promise<HtmlEscapedString> {
  const heading = HEADINGS[refusal.status] ?? 'Your message was not sent'
  const issues = refusal.issues ?? []
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Message not sent – ${heading}</title>
        <style>
          body {
            font:
              1.125rem/1.6 system-ui,
              sans-serif;
            margin: 0;
            color: #1a1a1a;
            background: #fafafa;
          }
          main {
            max-width: 36rem;
            margin: 15vh auto;
            padding: 0 1.5rem;
          }
          h1 {
            font-size: 1.75rem;
          }
          a {
            color: #0b57d0;
          }
        </style>
      </head>
      <body>
        <main>
          <h1>${heading}</h1>
          <p role="alert">Your message was not sent. ${explanation(refusal)}</p>
          ${
            issues.length > 0
              ? html`<ul>
                  ${issues.map((i) => html`<li>${i.path.join('.') || 'form'}: ${i.message}</li>`)}
                </ul>`
              : ''
          }
          <p>
            ${
              refusal.back
                ? html`<a href="${refusal.back}">Back to the form</a>`
                : "Use your browser's Back button to return to the form."
            }
          </p>
        </main>
      </body>
    </html> `
}
