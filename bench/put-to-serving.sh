#!/usr/bin/env bash
# PUT-to-serving latency with 1, 100 and 1000 gateways stored (issue: zero-downtime reconciliation).
# One command on a fresh machine with a JDK: bash bench/put-to-serving.sh
# Builds the jar if needed, starts Gatehouse on a throw-away H2 file, measures, stops it by PID.
# max-gateways is raised above the default quota of 1000: the largest run stores 1000 plus the measured one.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-100}
API_PORT=${API_PORT:-18180}
jar=$(ls target/gatehouse-*.jar 2>/dev/null | grep -v plain | head -1 || true)
if [ -z "$jar" ]; then
  ./mvnw -B -q package -DskipTests
  jar=$(ls target/gatehouse-*.jar | grep -v plain | head -1)
fi
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  cpu: $(nproc) cores  java: $(java -version 2>&1 | head -1)"
for stored in 1 100 1000; do
  data=$(mktemp -d)
  java -Xms512m -Xmx1g -jar "$jar" --server.port=$API_PORT --logging.level.root=WARN --gatehouse.api.max-gateways=2000 \
    --spring.datasource.url="jdbc:h2:file:$data/gatehouse" >"$data/app.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$API_PORT/actuator/health" >/dev/null && break
    sleep 0.5
  done
  java bench/PutToServing.java "http://127.0.0.1:$API_PORT" "$stored" "$RUNS" 30000
  kill $pid; wait $pid 2>/dev/null || true
  trap - EXIT
  rm -rf "$data"
done
