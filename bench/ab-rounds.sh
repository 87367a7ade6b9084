#!/usr/bin/env bash
# Two Gatehouse jars side by side, many short ab cells interleaved: CPU per connection from /proc (utime and stime
# apart), for a per-connection change whose effect is smaller than the noise of one bench/run.sh cell.
#
#     GATEHOUSE_JAR=old.jar LEVER_JAR=new.jar bash bench/ab-rounds.sh
#
# Starts the origins and both Gatehouses as bench/run.sh does (bench/lib, same JVM flags, same gateway), warms both
# up the same way, then runs ROUNDS rounds; each round runs ab (AB_REQUESTS connections, AB_CONCURRENCY at once)
# through each of ROUTES_AB of Gatehouse and of the lever, in the order Gatehouse, lever on odd rounds and lever,
# Gatehouse on even ones (ABBA). Writes one line per cell (round, route, path, utime and stime clock ticks, ab's
# requests/s, failed requests) to OUT, then µs per connection per route and path, and the lever ÷ Gatehouse ratio
# of each pair of cells (mean and standard deviation): the figure to quote.
#
# Variables: GATEHOUSE_JAR, LEVER_JAR (required); ROUNDS [8]; AB_REQUESTS [5000]; AB_CONCURRENCY [16];
# LEVER_ARGS, LEVER_JAVA []: the lever's arguments and java, as for bench/run.sh (a lever of flags runs the same jar
# given twice); ROUTES_AB ["http http_v2 http_plain"]: PROXY v1, v2, no header; PORT_BASE [kernel's free ports];
# JFR_SETTINGS []: a .jfc to record both JVMs with during the rounds (recordings next to OUT); OUT
# [bench/results/<date>-ab-rounds.tsv].
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$REPO/bench
for lib in common processes setup peers gatehouse measure-tcp measure-tls measure-memory measure-jfr measure-startup; do
  # shellcheck source=/dev/null
  source "$BENCH/lib/$lib.sh"
done
: "${GATEHOUSE_JAR:?GATEHOUSE_JAR is required}" "${LEVER_JAR:?LEVER_JAR is required}"
ROUNDS=${ROUNDS:-8} AB_REQUESTS=${AB_REQUESTS:-5000} AB_CONCURRENCY=${AB_CONCURRENCY:-16}
ROUTES_AB=${ROUTES_AB:-"http http_v2 http_plain"}
OUT=${OUT:-$BENCH/results/$(date -u +%Y-%m-%dT%H%MZ)-ab-rounds.tsv}
# what bench/lib expects of run.sh
CONNECTIONS=5000 TLS_CLIENTS=2 DURATION=5 ONLY="ab ab_pp" KEEP_WORK=${KEEP_WORK:-0} MAVEN_LOCK=/tmp/gatehouse-maven.lock
CLK_TCK=$(getconf CLK_TCK)
GATEHOUSE_JVM_FLAGS=(-Xms256m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch)
PFX_PASSWORD=bench-changeit
SUBSCRIPTION=00000000-0000-0000-0000-000000000000
GW_ID=/subscriptions/$SUBSCRIPTION/resourceGroups/bench/providers/Microsoft.Network/applicationGateways/bench
ROUTES="iperf sockperf http http_v2 http_plain tls hold"
GATEHOUSE_ARGS="" LEVER_ARGS=${LEVER_ARGS:-} LEVER_JAVA=${LEVER_JAVA:-}

WORK=""
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
check_tools
WORK=$(mktemp -d /tmp/gatehouse-ab-rounds.XXXXXX)
mkdir -p "$WORK/raw" "$WORK/nginx-origin-tmp" "$WORK/nginx-l4-prefix" "$WORK/nginx-origin-prefix" "$WORK/classes"
: >"$WORK/pids"; : >"$WORK/raw.tsv"; : >"$WORK/problems.txt"; : >"$WORK/versions.txt"
compile_helpers
copy_jar "$GATEHOUSE_JAR" "$WORK/gatehouse.jar"
open_files_limit
tls_material
allocate_ports
nginx_directives
start_origins
start_haproxy
start_nginx
start_gatehouses
provision gatehouse "$API_PORT"
provision lever "$LEVER_API_PORT"
warm_up gatehouse
warm_up lever

cpu() { # pid: utime stime (clock ticks)
  local STAT
  proc_stat "$1"
  echo "${STAT[11]} ${STAT[12]}"
}
mkdir -p "$(dirname "$OUT")"
: >"$OUT"
if [[ -n ${JFR_SETTINGS:-} ]]; then
  for p in gatehouse lever; do jcmd "$(gh_pid $p)" JFR.start name=rounds settings="$JFR_SETTINGS" >/dev/null; done
fi
for ((r = 1; r <= ROUNDS; r++)); do
  order="gatehouse lever"
  ((r % 2)) || order="lever gatehouse"
  for route in $ROUTES_AB; do
    for p in $order; do
      pid=$(gh_pid "$p")
      read -r u0 s0 <<<"$(cpu "$pid")"
      ab -q -r -s 10 -n "$AB_REQUESTS" -c "$AB_CONCURRENCY" "http://127.0.0.1:${PORT[$route|$p]}/" >"$WORK/ab.txt" 2>&1 ||
        problem "ab via $p $route round $r failed"
      read -r u1 s1 <<<"$(cpu "$pid")"
      rps=$(awk '/^Requests per second:/ {print $4}' "$WORK/ab.txt")
      failed=$(awk '/^Failed requests:/ {print $3}' "$WORK/ab.txt")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$route" "$p" "$((u1 - u0))" "$((s1 - s0))" "$rps" "$failed" >>"$OUT"
    done
  done
done
if [[ -n ${JFR_SETTINGS:-} ]]; then
  for p in gatehouse lever; do jcmd "$(gh_pid $p)" JFR.stop name=rounds filename="${OUT%.tsv}-$p.jfr" >/dev/null; done
fi
awk -F'\t' -v n="$AB_REQUESTS" -v tck="$CLK_TCK" '
  { k = $2 "\t" $3; u[k] += $4; s[k] += $5; rps[k] += $6; c[k]++; pair = $1 "\t" $2
    if ($3 == "gatehouse") { gt[pair] = $4 + $5; gu[pair] = $4 } else { lt[pair] = $4 + $5; lu[pair] = $4 } }
  END {
    printf "route\tpath\tuser µs/conn\tsystem µs/conn\ttotal µs/conn\tconnections/s\n"
    for (k in u) printf "%s\t%.1f\t%.1f\t%.1f\t%.0f\n", k, u[k] * 1e6 / tck / (c[k] * n), s[k] * 1e6 / tck / (c[k] * n),
      (u[k] + s[k]) * 1e6 / tck / (c[k] * n), rps[k] / c[k]
    for (p in gt) if (gt[p] > 0 && gu[p] > 0 && p in lt) { r = lt[p] / gt[p]; ru = lu[p] / gu[p]; m += r; mm += r * r; q += ru; qq += ru * ru; np++ }
    if (np) printf "lever ÷ Gatehouse over %d pairs of cells: CPU per connection %.3f (sd %.3f), user CPU %.3f (sd %.3f)\n",
      np, m / np, sqrt(mm / np - (m / np) ^ 2), q / np, sqrt(qq / np - (q / np) ^ 2)
  }' "$OUT" | tee "${OUT%.tsv}.txt"
[[ ! -s $WORK/problems.txt ]] || { log "problems:"; cat "$WORK/problems.txt" >&2; }
