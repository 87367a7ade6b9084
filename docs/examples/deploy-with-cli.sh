#!/usr/bin/env bash
# The same deployment as deploy.sh, with the Gatehouse CLI (bin/gatehouse, or java -jar gatehouse.jar).
#
#   GATEHOUSE_URL=http://gatehouse:8080 docs/examples/deploy-with-cli.sh <document.json>
#
# The document's ARM id names the gateway (or pass -s/-g/-n). `apply --wait` PUTs it and polls its
# Azure-AsyncOperation until the data plane serves it. The CLI's exit codes say what went wrong:
# 2 invalid, 3 conflict, 5 timed out, 6 stored but not applied; see docs/cli.md.
set -uo pipefail
doc=$1
gatehouse=${GATEHOUSE_CLI:-$(dirname "$0")/../../bin/gatehouse}

"$gatehouse" validate -f "$doc" --output table || exit $?
"$gatehouse" apply -f "$doc" --wait --timeout "${TIMEOUT_SECONDS:-120}s" --output table
status=$?
case $status in
  0) "$gatehouse" health -f "$doc" --output table 2>/dev/null || true ;;
  6) echo "stored, but the data plane could not apply it (see above)" >&2 ;;
  5) echo "not applied in time; 'gatehouse wait' picks up where this left off" >&2 ;;
esac
exit $status
