#!/usr/bin/env bash
# The Docker image's start from its AOT cache, measured outside Docker (there is no Docker engine here): the image's
# commands on the jar's layers, extracted and merged as the Dockerfile copies them, on a JDK 25 with the Dockerfile's
# JAVA_TOOL_OPTIONS; one cache against another, started alternately.
#
#     bash bench/image-aot.sh
#
# Caches (CACHES, in this order; ratios are against the first):
#   refresh  two starts that end at the end of Spring's refresh, the second recorded: the image's training before
#            decision (bm);
#   trained  deploy/docker/train-aot.sh: the image's training since (bm), a start that serves traffic;
#   none     no cache.
# Each cache gets an H2 file of its own holding one gateway: a Tcp listener that sends a PROXY v1 header to an nginx
# origin with proxy_protocol (bench/run.sh's ab route), stored by a first start that is not measured. Each measured
# start records the ms from just before the process starts until the listener accepts a TCP connection and until
# /actuator/health/readiness answers 200; then the first COLD_CONNECTIONS connections (ab -c 16) through the listener,
# as connections/s and as the process's CPU (utime+stime) per connection; and VmRSS 6 s after them, when bench/run.sh's
# start-up cell reads it (after its 5 s bulk transfer): by then the JVM has given back the memory of the compilations
# the connections set off (its arena chunks, freed every 5 s; they held up to 14 MB 1 s after them). The report
# (bench/results/<date>-image-aot.md) has every start and the medians.
#
# Variables: GATEHOUSE_JAR [target/gatehouse-*.jar]; JAVA25 [/usr/lib/jvm/temurin-25-jdk*]; CACHES ["refresh trained"];
# STARTS [4] per cache, alternated ABBA; COLD_CONNECTIONS [3000]; TRAIN_CONNECTIONS [2000]; LABEL [image-aot];
# RESULTS_DIR [bench/results]; SMOKE [0]: 1 checks that the script works (CI, after bench/run.sh's smoke run), not a
# measurement: one start per cache, 200 cold connections, 100 training requests per chain, the report in
# target/bench-smoke, and exit status 3 when a start has no figure.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# log, die, now_ns; cpu_ticks; accepts, rss_kb (bench/run.sh's own)
for lib in common processes measure-startup; do
  # shellcheck source=/dev/null
  source "$REPO/bench/lib/$lib.sh"
done
jar=${GATEHOUSE_JAR:-$(ls "$REPO"/target/gatehouse-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -1 || true)}
[[ -n $jar && -f $jar ]] || die "no jar: ./mvnw package -DskipTests, or set GATEHOUSE_JAR"
JAVA25=${JAVA25:-$(ls -d /usr/lib/jvm/temurin-25-jdk* 2>/dev/null | head -1 || true)}
java=$JAVA25/bin/java
[[ -x $java ]] || die "no JDK 25: set JAVA25 to one"
read -r -a caches <<<"${CACHES:-refresh trained}"
SMOKE=${SMOKE:-0}
if [[ $SMOKE == 1 ]]; then
  STARTS=${STARTS:-1} COLD_CONNECTIONS=${COLD_CONNECTIONS:-200} TRAIN_CONNECTIONS=${TRAIN_CONNECTIONS:-100}
  RESULTS_DIR=${RESULTS_DIR:-$REPO/target/bench-smoke}
fi
STARTS=${STARTS:-4} COLD_CONNECTIONS=${COLD_CONNECTIONS:-3000} RESULTS_DIR=${RESULTS_DIR:-$REPO/bench/results}
[[ -z ${TRAIN_CONNECTIONS:-} ]] || export TRAIN_CONNECTIONS
for tool in ab nginx curl; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
JAVA_TOOL_OPTIONS=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' "$REPO/Dockerfile")
[[ -n $JAVA_TOOL_OPTIONS ]] || die "no ENV JAVA_TOOL_OPTIONS in the Dockerfile"
export JAVA_TOOL_OPTIONS
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$RESULTS_DIR"
report=$RESULTS_DIR/$(date -u +%Y-%m-%dT%H%MZ)-${LABEL:-image-aot}.md
work=$(mktemp -d /tmp/gatehouse-image-aot.XXXXXX)
pids=()
stop_all() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ ! -f $work/origin/nginx.pid ]] || kill -QUIT "$(cat "$work/origin/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_all EXIT
# Ports from the kernel's free ones: API, listener, origin, then five for the training.
read -r -a ports <<<"$(JAVA_TOOL_OPTIONS="" "$java" -XX:TieredStopAtLevel=1 "$REPO/bench/Figures.java" free-ports 8 2>/dev/null)"
((${#ports[@]} == 8)) || die "no free ports from bench/Figures.java"
api=${ports[0]} P_HTTP=${ports[1]} origin=${ports[2]}

log "the jar's layers, as the image has them"
"$java" -Djarmode=tools -jar "$jar" extract --layers --destination "$work/layers" >/dev/null
mkdir -p "$work/app"
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
  [[ ! -d $work/layers/$layer ]] || cp -r "$work/layers/$layer/." "$work/app/"
done
app=$work/app/$(basename "$jar")

mkdir -p "$work/origin"
cat >"$work/origin/nginx.conf" <<EOF
worker_processes 1;
pid $work/origin/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  server { listen 127.0.0.1:$origin proxy_protocol; location / { return 200 "ok\n"; } }
}
EOF
nginx -p "$work/origin" -e "$work/origin/error.log" -c "$work/origin/nginx.conf"

id=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/bench/providers/Microsoft.Network/applicationGateways/image
cat >"$work/gateway.json" <<EOF
{"location":"westeurope","properties":{
 "frontendIPConfigurations":[{"name":"loopback","properties":{"privateIPAddress":"127.0.0.1"}}],
 "frontendPorts":[{"name":"http","properties":{"port":$P_HTTP}}],
 "listeners":[{"name":"http","properties":{"protocol":"Tcp","frontendIPConfiguration":{"id":"$id/frontendIPConfigurations/loopback"},"frontendPort":{"id":"$id/frontendPorts/http"}}}],
 "backendAddressPools":[{"name":"origin","properties":{"backendAddresses":[{"ipAddress":"127.0.0.1"}]}}],
 "backendSettingsCollection":[{"name":"origin","properties":{"protocol":"Tcp","port":$origin,"enableL4ClientIpPreservation":true}}],
 "routingRules":[{"name":"http","properties":{"ruleType":"Basic","priority":100,"listener":{"id":"$id/listeners/http"},"backendAddressPool":{"id":"$id/backendAddressPools/origin"},"backendSettings":{"id":"$id/backendSettingsCollection/origin"}}}]}}
EOF

args() { # cache: the server's arguments on that cache's database
  echo "--server.port=$api --server.address=127.0.0.1 --spring.datasource.url=jdbc:h2:file:$work/db-$1/gatehouse;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0 --gatehouse.restore.directory=$work/db-$1/last-applied"
}
cache_opts() { [[ $1 == none ]] || echo "-XX:AOTCache=$work/$1.aot"; }

record_cache() { # cache
  local train="--server.port=0 --spring.datasource.url=jdbc:h2:file:$work/training-$1/gatehouse --gatehouse.restore.directory=$work/training-$1/last-applied"
  case $1 in
    none) ;;
    refresh)
      # shellcheck disable=SC2086
      "$java" -Dspring.context.exit=onRefresh -jar "$app" $train >"$work/record-$1.log" 2>&1
      # shellcheck disable=SC2086
      "$java" -XX:AOTCacheOutput="$work/$1.aot" -Dspring.context.exit=onRefresh -jar "$app" $train >>"$work/record-$1.log" 2>&1
      ;;
    trained)
      JAVA=$java TRAIN_PORTS="${ports[*]:3:5}" bash "$REPO/deploy/docker/train-aot.sh" "$app" "$work/$1.aot" \
        >"$work/record-$1.log" 2>&1 || { cat "$work/record-$1.log" >&2; die "the training failed"; }
      ;;
    *) die "unknown cache '$1' (refresh, trained or none)" ;;
  esac
  [[ $1 == none || -s $work/$1.aot ]] || die "no cache recorded for $1 (log: $work/record-$1.log)"
}

start() { # cache: starts the server, sets PID
  # shellcheck disable=SC2046,SC2086
  "$java" $(cache_opts "$1") -jar "$app" $(args "$1") >"$work/server-$1.log" 2>&1 &
  PID=$!
  pids+=("$PID")
}
stop() { kill -TERM "$PID"; wait "$PID" || true; }
ready() { curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$api/actuator/health/readiness"; }

store_gateway() { # cache: the unmeasured first start (it migrates) stores the gateway
  local i code
  start "$1"
  for ((i = 0; i < 1200; i++)); do ready && break; sleep 0.1; done
  code=$(curl -s -o "$work/put-$1.json" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    -H 'Prefer: wait=10' --data @"$work/gateway.json" "http://127.0.0.1:$api$id?api-version=2025-03-01")
  [[ $code == 20[01] ]] || die "storing the gateway answered HTTP $code: $(head -c 500 "$work/put-$1.json")"
  stop
}

measure() { # cache run: one measured start; appends a line to $work/starts.tsv
  local t0 accept="" ready_ms="" c0 c1 rps rss
  t0=$(now_ns)
  start "$1"
  while [[ -z $accept || -z $ready_ms ]]; do
    kill -0 "$PID" 2>/dev/null || die "the $1 start exited (log: $work/server-$1.log)"
    [[ -n $accept ]] || ! accepts "$P_HTTP" || accept=$((($(now_ns) - t0) / 1000000))
    [[ -n $ready_ms ]] || ! ready || ready_ms=$((($(now_ns) - t0) / 1000000))
    sleep 0.01
  done
  c0=$(cpu_ticks "$PID")
  rps=$(ab -q -r -s 10 -n "$COLD_CONNECTIONS" -c 16 "http://127.0.0.1:$P_HTTP/" | awk '/^Requests per second:/ {print $4}')
  c1=$(cpu_ticks "$PID")
  sleep 6
  rss=$(rss_kb "$PID")
  stop
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$accept" "$ready_ms" "$rps" \
    "$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$COLD_CONNECTIONS" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}')" \
    "$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')" >>"$work/starts.tsv"
  log "$(tail -1 "$work/starts.tsv")"
}

for c in "${caches[@]}"; do
  log "recording the $c cache"
  record_cache "$c"
  store_gateway "$c"
done
load=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$work/starts.tsv"
for ((run = 1; run <= STARTS; run++)); do
  order=("${caches[@]}")
  ((run % 2 == 1)) || order=($(printf '%s\n' "${caches[@]}" | tac))
  for c in "${order[@]}"; do measure "$c" "$run"; done
done

median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
{
  echo "# The image's start from its AOT cache, outside Docker"
  echo
  echo "Command: \`$(for v in SMOKE GATEHOUSE_JAR JAVA25 CACHES STARTS COLD_CONNECTIONS TRAIN_CONNECTIONS LABEL; do
    [[ -z ${!v:-} || $v$SMOKE == SMOKE0 ]] || printf '%s=%q ' "$v" "${!v}"; done)bash bench/image-aot.sh\`"
  echo
  echo '```'
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) CPUs, kernel $(uname -r)"
  echo "load average at the first measured start: $load"
  echo "java: $("$java" -version 2>&1 | grep -v '^Picked up' | head -1)"
  echo "JAVA_TOOL_OPTIONS (the Dockerfile's): $JAVA_TOOL_OPTIONS"
  echo "jar: $(basename "$jar"), sha256 $(sha256sum "$jar" | cut -c1-12)..., repository at $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  for c in "${caches[@]}"; do
    [[ $c == none ]] || echo "cache $c: $(($(stat -c %s "$work/$c.aot") / 1048576)) MB"
  done
  echo '```'
  echo
  echo "Medians of $STARTS starts per cache, alternated; ratios against the $(echo "${caches[0]}") cache."
  echo
  printf '| Metric | Better |'; for c in "${caches[@]}"; do printf ' %s |' "$c"; done
  for c in "${caches[@]:1}"; do printf ' %s ÷ %s |' "$c" "${caches[0]}"; done; echo
  printf '|---|---|'; for c in "${caches[@]}" "${caches[@]:1}"; do printf -- '---:|'; done; echo
  col=3
  for metric in "ms until the listener accepts|lower" "ms until the API is ready|lower" \
    "first $COLD_CONNECTIONS connections, per second (cold)|higher" "CPU µs per connection, cold|lower" \
    "VmRSS 6 s after them, MB|lower"; do
    declare -A med=()
    for c in "${caches[@]}"; do med[$c]=$(awk -F'\t' -v c="$c" -v k=$col '$1 == c {print $k}' "$work/starts.tsv" | median); done
    printf '| %s | %s |' "${metric%|*}" "${metric#*|}"
    for c in "${caches[@]}"; do printf ' %s |' "${med[$c]}"; done
    for c in "${caches[@]:1}"; do printf ' %s |' "$(awk -v a="${med[$c]}" -v b="${med[${caches[0]}]}" 'BEGIN {printf "%.2f", a / b}')"; done
    echo
    col=$((col + 1))
  done
  echo
  echo "## Every start"
  echo
  echo "| Cache | Run | Listener ms | API ms | Cold connections/s | Cold CPU µs per connection | VmRSS MB |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$work/starts.tsv"
} >"$report"
log "written to $report"
if [[ $SMOKE == 1 ]] &&
  awk -F'\t' -v n=$((STARTS * ${#caches[@]})) 'NF != 7 {bad = 1} {for (i = 1; i <= NF; i++) if ($i == "") bad = 1}
    END {exit !(bad || NR != n)}' "$work/starts.tsv"; then
  log "ERROR: a start has no figure (smoke check)"
  exit 3
fi
