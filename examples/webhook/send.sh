#!/usr/bin/env bash
# Sends one Standard Webhooks signed event to the bridge's `events` source (curl + openssl).
#
#   examples/webhook/send.sh open    order-1234 "Where is my order?" "It has not arrived yet."
#   examples/webhook/send.sh reply   order-1234 "Any news?"
#   examples/webhook/send.sh resolve order-1234 "Delivered, thanks!"
#
# Settings (environment): BRIDGE_URL (default http://127.0.0.1:8787), SOURCE (events),
# WEBHOOK_SECRET (the development secret), CUSTOMER_EMAIL, CUSTOMER_NAME.
set -euo pipefail

BRIDGE_URL=${BRIDGE_URL:-http://127.0.0.1:8787}
SOURCE=${SOURCE:-events}
WEBHOOK_SECRET=${WEBHOOK_SECRET:-whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw}
CUSTOMER_EMAIL=${CUSTOMER_EMAIL:-customer@example.com}
CUSTOMER_NAME=${CUSTOMER_NAME:-Example Customer}

usage() {
  echo "usage: $0 open THREAD SUBJECT CONTENT | reply THREAD CONTENT | resolve THREAD [CONTENT]" >&2
  exit 2
}

# A JSON string literal: backslashes, quotes, tabs, carriage returns and newlines escaped.
json() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}

[ $# -ge 2 ] || usage
action=$1 thread=$2
case $action in
  open)
    [ $# -eq 4 ] || usage
    body="{\"type\":\"ticket.open\",\"thread\":$(json "$thread"),\"subject\":$(json "$3"),\"content\":$(json "$4"),\"customer\":{\"email\":$(json "$CUSTOMER_EMAIL"),\"name\":$(json "$CUSTOMER_NAME")}}"
    ;;
  reply)
    [ $# -eq 3 ] || usage
    body="{\"type\":\"ticket.reply\",\"thread\":$(json "$thread"),\"content\":$(json "$3")}"
    ;;
  resolve)
    [ $# -le 3 ] || usage
    body="{\"type\":\"ticket.resolve\",\"thread\":$(json "$thread")"
    [ $# -eq 3 ] && body+=",\"content\":$(json "$3")"
    body+="}"
    ;;
  *) usage ;;
esac

# Standard Webhooks v1: HMAC-SHA256 over "{id}.{timestamp}.{body}" with the base64 key after
# the whsec_ prefix; the header carries "v1," + base64 of the digest.
msg_id="msg_$(openssl rand -hex 12)"
timestamp=$(date +%s)
key_hex=$(printf '%s' "${WEBHOOK_SECRET#whsec_}" | openssl base64 -d -A | od -An -vtx1 | tr -d ' \n')
signature=$(printf '%s.%s.%s' "$msg_id" "$timestamp" "$body" |
  openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | openssl base64 -A)

answer=$(mktemp)
trap 'rm -f "$answer"' EXIT
status=$(curl -sS -o "$answer" -w '%{http_code}' -X POST "$BRIDGE_URL/webhooks/$SOURCE" \
  -H 'content-type: application/json' \
  -H "webhook-id: $msg_id" \
  -H "webhook-timestamp: $timestamp" \
  -H "webhook-signature: v1,$signature" \
  --data-binary "$body")
echo "$status $(cat "$answer")"
[ "$status" -lt 300 ]
