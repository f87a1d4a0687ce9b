/*
 * Slack mrkdwn as a branded string, apart from the HTML converter (udesk-html-to-mrkdwn.ts), so
 * the Slack client and the part splitter need nothing of the runtime's HTMLRewriter.
 */

/**
 * Text in Slack's mrkdwn, safe to post: only `escapeMrkdwn`, `textToMrkdwn` and
 * `udeskHtmlToMrkdwn` produce it, so Udesk or customer text cannot reach Slack unescaped.
 */
export type Mrkdwn = string & { readonly __brand: 'Mrkdwn' }

/**
 * Slack's rule for message text: `&`, `<` and `>` are its only control characters and are
 * written `&amp;`, `&lt;`, `&gt;`; nothing else is HTML-escaped (api.slack.com, "Formatting
 * text for app surfaces", escaping text).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Plain text (a `text` reply, a notice) as mrkdwn: escaped, line breaks kept. */
export function textToMrkdwn(text: string): Mrkdwn {
  return escapeMrkdwn(text.replace(/\r\n?/g, '\n')) as Mrkdwn
}
