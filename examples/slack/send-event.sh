#!/usr/bin/env bash
# Sends a Slack Events API `message` event to the bridge's `slack` source, signed the way Slack
# signs it (v0 HMAC-SHA256 over "v0:{timestamp}:{body}"), so the Slack path can be tried
# without a Slack workspace.
#
#   examples/slack/send-event.sh "Our dashboard is down"      # a new thread; prints
#   export THREAD_TS=1750000000.000100                       # <- paste the line it printed
#   examples/slack/send-event.sh "Still down after reload"   # a reply in that thread
#   unset THREAD_TS                                          # the next message starts a new one
#
# Settings (environment): BRIDGE_URL (default http://127.0.0.1:8787), THREAD_TS (the thread to
# reply in; or give it as the second argument), SOURCE (slack), SLACK_SIGNING_SECRET (the
# development secret), TEAM_ID, CHANNEL_ID, USER_ID; SIM_URL (the simulator under npm start):
# when set, the message is first written into the simulator's Slack double, so its Slack page
# shows the customer's message with the bridge's answers (two-way) in the same thread.
set -euo pipefail

BRIDGE_URL=${BRIDGE_URL:-http://127.0.0.1:8787}
SOURCE=${SOURCE:-slack}
SLACK_SIGNING_SECRET=${SLACK_SIGNING_SECRET:-dev-slack-signing-secret}
TEAM_ID=${TEAM_ID:-T0EXAMPLE}
CHANNEL_ID=${CHANNEL_ID:-C0SUPPORT}
USER_ID=${USER_ID:-U0CUSTOMER}

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 TEXT [THREAD_TS]" >&2; exit 2; }
text=$1 thread_ts=${2:-${THREAD_TS:-}}

json() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}

now=$(date +%s)
ts="$now.$(printf '%06d' $((RANDOM * 30 % 1000000)))"
if [ -n "${SIM_URL:-}" ]; then
  seed_thread=""
  [ -n "$thread_ts" ] && seed_thread=",\"thread_ts\":$(json "$thread_ts")"
  seeded=$(curl -sS -X POST "$SIM_URL/_sim/slack/messages" -H 'content-type: application/json' \
    --data-binary "{\"channel\":$(json "$CHANNEL_ID"),\"user\":$(json "$USER_ID"),\"text\":$(json "$text")$seed_thread}")
  ts=$(printf '%s' "$seeded" | sed -n 's/.*"ts":"\([0-9.]*\)".*/\1/p')
  [ -n "$ts" ] || { echo "the simulator's Slack double did not take the message: $seeded" >&2; exit 1; }
fi
event_id="Ev$(openssl rand -hex 5 | tr 'a-f' 'A-F')"
thread_field=""
[ -n "$thread_ts" ] && thread_field=",\"thread_ts\":$(json "$thread_ts")"
body="{\"token\":\"ExampleVerificationToken\",\"team_id\":$(json "$TEAM_ID"),\"api_app_id\":\"A0EXAMPLE\",\"event\":{\"type\":\"message\",\"channel\":$(json "$CHANNEL_ID"),\"user\":$(json "$USER_ID"),\"text\":$(json "$text"),\"ts\":\"$ts\"$thread_field,\"event_ts\":\"$ts\",\"channel_type\":\"channel\"},\"type\":\"event_callback\",\"event_id\":\"$event_id\",\"event_time\":$now}"

signature=$(printf 'v0:%s:%s' "$now" "$body" |
  openssl dgst -sha256 -hmac "$SLACK_SIGNING_SECRET" -r | cut -d' ' -f1)

answer=$(mktemp)
trap 'rm -f "$answer"' EXIT
status=$(curl -sS -o "$answer" -w '%{http_code}' -X POST "$BRIDGE_URL/webhooks/$SOURCE" \
  -H 'content-type: application/json' \
  -H "x-slack-request-timestamp: $now" \
  -H "x-slack-signature: v0=$signature" \
  --data-binary "$body")
echo "$status $(cat "$answer")"
if [ -z "$thread_ts" ]; then
  echo "# a new thread; to reply in it, paste:"
  echo "export THREAD_TS=$ts"
else
  echo "# a reply in thread $thread_ts (unset THREAD_TS to start a new thread)"
fi
[ "$status" -lt 300 ]
