#!/usr/bin/env bash
# Apply a gateway document from a CI pipeline and wait until the data plane serves it.
#
#   GATEHOUSE_URL=http://gatehouse:8080 docs/examples/deploy.sh <subscription> <resource-group> <name> <document.json>
#
# Safe against concurrent pipelines: the PUT carries the etag that was read, so a pipeline that lost a race
# gets 412 instead of overwriting the other's change, and retries on top of it. It then waits until the
# Programmed condition describes the generation it wrote: an older status is never mistaken for its own.
# Exit codes: 0 served, 2 invalid document (400), 3 precondition failed after retries, 6 applied but
# Failed, 5 timed out, 1 anything else. Needs curl and jq.
set -euo pipefail
sub=$1 rg=$2 name=$3 doc=$4
base=${GATEHOUSE_URL:-http://localhost:8080}
url="$base/subscriptions/$sub/resourceGroups/$rg/providers/Microsoft.Network/applicationGateways/$name"
v='api-version=2025-03-01'
timeout=${TIMEOUT_SECONDS:-120}

for attempt in 1 2 3; do
  etag=$(curl -s -o /dev/null -w '%header{etag}' "$url?$v" || true)
  precondition=(-H "If-None-Match: *")
  [ -n "$etag" ] && precondition=(-H "If-Match: $etag")
  code=$(curl -s -o /tmp/gatehouse-put.json -w '%{http_code}' -X PUT "$url?$v" \
    -H 'Content-Type: application/json' "${precondition[@]}" --data @"$doc")
  case "$code" in
    200|201) break ;;
    400) jq -r '.error.details[]? | "\(.target): \(.code): \(.message)"' /tmp/gatehouse-put.json >&2; exit 2 ;;
    412) echo "attempt $attempt: someone else changed $name; reading it again" >&2; sleep 1 ;;
    *) cat /tmp/gatehouse-put.json >&2; exit 1 ;;
  esac
  [ "$attempt" = 3 ] && exit 3
done

generation=$(jq -r '.properties.generation' /tmp/gatehouse-put.json)
deadline=$((SECONDS + timeout))
while [ $SECONDS -lt $deadline ]; do
  status=$(curl -sf "$url?$v")
  observed=$(jq -r '.properties.conditions[] | select(.type=="Programmed") | .observedGeneration // 0' <<<"$status")
  state=$(jq -r '.properties.provisioningState' <<<"$status")
  if [ "$observed" -ge "$generation" ]; then
    case "$state" in
      Succeeded) echo "$name generation $generation is served"; exit 0 ;;
      Failed) jq -r '.properties.provisioningError | .message, (.details[]? | "  \(.target): \(.message)")' <<<"$status" >&2; exit 6 ;;
    esac
  fi
  sleep 1
done
echo "$name generation $generation not served within ${timeout}s" >&2
exit 5
