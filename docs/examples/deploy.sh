#!/usr/bin/env bash
# Apply a gateway document from a CI pipeline and wait until the data plane serves it, with curl and jq.
#
#   GATEHOUSE_URL=http://gatehouse:8080 docs/examples/deploy.sh <subscription> <resource-group> <name> <document.json>
#
# Safe against concurrent pipelines: the PUT carries the etag that was read, so a pipeline that lost a race
# gets 412 instead of overwriting the other's change, and retries on top of it. It then polls the write's
# own Azure-AsyncOperation URL, which says Succeeded only once the data plane serves this very write (or
# Failed with the reason); another pipeline's later write can never be mistaken for ours.
# Exit codes (the same as the CLI's): 0 served, 2 invalid document (400), 3 precondition failed after
# retries or our write was canceled by a delete, 6 stored but the data plane could not apply it,
# 5 timed out, 1 anything else.
set -euo pipefail
sub=$1 rg=$2 name=$3 doc=$4
base=${GATEHOUSE_URL:-http://localhost:8080}
url="$base/subscriptions/$sub/resourceGroups/$rg/providers/Microsoft.Network/applicationGateways/$name"
v='api-version=2025-03-01'
timeout=${TIMEOUT_SECONDS:-120}
body=$(mktemp) headers=$(mktemp)
trap 'rm -f "$body" "$headers"' EXIT

for attempt in 1 2 3; do
  etag=$(curl -s -o /dev/null -w '%header{etag}' "$url?$v" || true)
  precondition=(-H "If-None-Match: *")
  [ -n "$etag" ] && precondition=(-H "If-Match: $etag")
  code=$(curl -s -o "$body" -D "$headers" -w '%{http_code}' -X PUT "$url?$v" \
    -H 'Content-Type: application/json' "${precondition[@]}" --data @"$doc")
  case "$code" in
    200|201) break ;;
    400) jq -r '.error.message, (.error.details[]? | "  \(.target): \(.code): \(.message)")' "$body" >&2; exit 2 ;;
    412) echo "attempt $attempt: someone else changed $name; reading it again" >&2; sleep 1 ;;
    *) cat "$body" >&2; exit 1 ;;
  esac
  [ "$attempt" = 3 ] && exit 3
done

operation=$(awk -F': ' 'tolower($1)=="azure-asyncoperation"{print $2}' "$headers" | tr -d '\r')
generation=$(jq -r '.properties.generation' "$body")
deadline=$((SECONDS + timeout))
while [ $SECONDS -lt $deadline ]; do
  result=$(curl -sf "$operation")
  case $(jq -r '.status' <<<"$result") in
    Succeeded) echo "$name generation $generation is served"; exit 0 ;;
    Failed) jq -r '.error.message, (.error.details[]? | "  \(.target): \(.code): \(.message)")' <<<"$result" >&2; exit 6 ;;
    Canceled) jq -r '.error.message' <<<"$result" >&2; exit 3 ;;
  esac
  sleep 1   # the server's Retry-After
done
echo "$name generation $generation not served within ${timeout}s" >&2
exit 5
