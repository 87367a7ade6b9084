#!/usr/bin/env bash
# Gatehouse data plane side by side with HAProxy and nginx (stream module), in one run on 127.0.0.1.
#
# Run it (from anywhere):
#
#     bash bench/run.sh
#
# Four paths: direct (client straight to the origin), HAProxy, nginx, Gatehouse. Every measurement runs the
# paths in the order direct, HAProxy, nginx, Gatehouse, then once more in reverse order (Gatehouse, nginx,
# HAProxy, direct); a cell of the table is the mean of those two passes. Ratios compare Gatehouse with the
# same run's direct path and with the better of HAProxy and nginx.
#
# Measurements (one function each, see the m_* functions below). "Proxy CPU" is utime+stime from
# /proc/<pid>/stat (fields 14 and 15), summed over the proxy's processes, read before and after the tool ran.
#   1. m_iperf: iperf3 bulk throughput, -P 1, -P 4 and -R, DURATION s each, to an `iperf3 -s` origin; plus the
#      proxy CPU seconds per GB moved.
#   2. m_sockperf: sockperf ping-pong, 64-byte messages over TCP, to `sockperf sr`: round trip p50 and p99.
#   3. m_ab: ab, new connections per second (no keep-alive, AB_REQUESTS requests, AB_CONCURRENCY at once), with
#      a PROXY protocol v1 header on every backend connection; plus proxy CPU µs per connection. The origin is
#      nginx http with `listen ... proxy_protocol`; "direct" uses a second server block of that nginx without
#      proxy_protocol (ab cannot send the header).
#   4. TLS termination, ECDSA P-256 certificate, TLS 1.3 with TLS_AES_128_GCM_SHA256, plaintext TCP sink behind:
#      m_tls_handshake: new handshakes per second, TLS_CLIENTS parallel `openssl s_time -new` for DURATION s,
#      plus proxy CPU µs per handshake; m_tls_bulk: bench/TlsBench.java sends about DURATION s of data.
#      "direct" TLS is terminated by the JDK (TlsBench tls-sink), which is not a like-for-like baseline: the
#      TLS rows are compared with the better peer only.
#   5. m_memory: memory per idle proxied connection. PSS (/proc/<pid>/smaps_rollup, summed over the proxy's
#      processes) while CONNECTIONS idle connections go through the proxy (bench/IdleConnections.java opens and
#      holds them; its server mode is the origin), minus PSS before the first pass, divided by CONNECTIONS.
#      Reported as Pss_Anon (without file-backed pages, whose share moves when other processes map the same
#      libraries) and as total Pss. Not measured for "direct".
#
# Environment variables (defaults in brackets):
#   DURATION [5]          seconds per iperf3, sockperf and s_time run; the TLS bulk transfer is sized to it
#   CONNECTIONS [5000]    idle connections of the memory measurement
#   AB_REQUESTS [20000]   requests (= connections) per ab run
#   AB_CONCURRENCY [16]   ab -c
#   TLS_CLIENTS [2]       parallel `openssl s_time` processes
#   WARMUP [1]            1: warm Gatehouse's JVM up before measuring (iperf3 3 s, 40,000 connections with ab,
#                         sockperf 2 s, 2 x s_time 4 s, TLS bulk 2 s; about 25 s); 0: don't
#   ONLY [all]            a subset of: iperf sockperf ab tls_handshake tls_bulk memory alloc (space separated)
#   GATEHOUSE_JAR [target/gatehouse-0.1.0-SNAPSHOT.jar]  copied to a temp dir first, then run from there
#   RESULTS_DIR [bench/results]
#   KEEP_WORK [0]         1: keep the temp dir (configs, logs, raw tool output); it is always kept on failure
#   PATHS [direct haproxy nginx gatehouse]  the paths to measure (a lever run: PATHS="direct gatehouse"); the
#                         order stays direct, HAProxy, nginx, Gatehouse, then reversed
#   GATEHOUSE_ARGS []     extra arguments for Gatehouse's JVM and application, e.g.
#                         "-Dio.netty.allocator.type=pooled --gatehouse.dataplane.native-transport=true";
#                         words starting with -D or -XX go to the JVM, the others to the application
#   PROFILE [0]           1: record a JFR CPU profile of Gatehouse during each of its cells and log the hot methods
#   LEVER_ARGS []         a second Gatehouse, path "lever", started with GATEHOUSE_ARGS plus these arguments and
#                         measured in the same run (after Gatehouse in each pass): a lever compared on equal terms
#   LEVER_JAR []          the jar the "lever" Gatehouse runs (copied like GATEHOUSE_JAR): a code change against the
#                         jar before it, in one run (LEVER_ARGS may then be empty)
#   LABEL []              a word that names the run in the result file's name and title (e.g. the lever)
#
# What it installs with apt-get (only what is missing; needs root or sudo): iperf3 sockperf apache2-utils nginx
# libnginx-mod-stream haproxy openssl curl python3. A JDK 17 (java, javac, jcmd, jfr) must be there already. The
# jar is built (tests skipped) when there is none; a jar that is there is used as it is, so rebuild it after a change.
#
# Gatehouse is started as
#     java -Xms256m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch -jar <copy of the jar> --server.port=<api> --server.address=127.0.0.1
#          --spring.datasource.url=jdbc:h2:mem:bench --gatehouse.dataplane.threads=2 --logging.level.root=WARN
#          --logging.level.dev.gatehouse.dataplane.tls.TlsContexts=INFO
# i.e. a fixed 256-512 MB heap with the throughput collector, 2 event-loop threads, the default (NIO) transport,
# access log off (the default), WARN logging except the one start-up line naming the TLS provider. It gets one
# gateway (bench/peers/gatehouse-gateway.json) with five listeners, created with a PUT (Prefer: wait=10).
# HAProxy (bench/peers/haproxy-l4.cfg) runs with nbthread 2, nginx (bench/peers/nginx-l4.conf) with
# worker_processes 2; neither logs. The configs are templates: @NAME@ is replaced by this script.
#
# Everything this script starts is recorded by PID (with its start time) and stopped by PID on exit.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$REPO/bench
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-5000}
AB_REQUESTS=${AB_REQUESTS:-20000}
AB_CONCURRENCY=${AB_CONCURRENCY:-16}
TLS_CLIENTS=${TLS_CLIENTS:-2}
WARMUP=${WARMUP:-1}
ONLY=${ONLY:-iperf sockperf ab tls_handshake tls_bulk memory alloc}
GATEHOUSE_JAR=${GATEHOUSE_JAR:-$REPO/target/gatehouse-0.1.0-SNAPSHOT.jar}
RESULTS_DIR=${RESULTS_DIR:-$BENCH/results}
KEEP_WORK=${KEEP_WORK:-0}
GATEHOUSE_JVM_FLAGS=(-Xms256m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch)
PFX_PASSWORD=bench-changeit
SUBSCRIPTION=00000000-0000-0000-0000-000000000000
GW_ID=/subscriptions/$SUBSCRIPTION/resourceGroups/bench/providers/Microsoft.Network/applicationGateways/bench
PATHS=${PATHS:-direct haproxy nginx gatehouse}
GATEHOUSE_ARGS=${GATEHOUSE_ARGS:-}
LABEL=${LABEL:-}
LEVER_ARGS=${LEVER_ARGS:-}
LEVER_JAR=${LEVER_JAR:-}
[[ -z $LEVER_ARGS && -z $LEVER_JAR || " $PATHS " == *" lever "* ]] || PATHS+=" lever"
PATHS_FORWARD=()
for path in direct haproxy nginx gatehouse lever; do
  if [[ " $PATHS " == *" $path "* ]]; then PATHS_FORWARD+=("$path"); fi
done
PATHS_REVERSE=()
for ((i = ${#PATHS_FORWARD[@]} - 1; i >= 0; i--)); do PATHS_REVERSE+=("${PATHS_FORWARD[$i]}"); done
[[ " ${PATHS_FORWARD[*]} " == *" gatehouse "* ]] || die "PATHS must include gatehouse"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for v in DURATION CONNECTIONS AB_REQUESTS AB_CONCURRENCY TLS_CLIENTS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"
done

# ---------------------------------------------------------------------------------------------- tools
install_missing() {
  local pkgs=()
  command -v iperf3 >/dev/null || pkgs+=(iperf3)
  command -v sockperf >/dev/null || pkgs+=(sockperf)
  command -v ab >/dev/null || pkgs+=(apache2-utils)
  command -v haproxy >/dev/null || pkgs+=(haproxy)
  command -v openssl >/dev/null || pkgs+=(openssl)
  command -v curl >/dev/null || pkgs+=(curl)
  command -v python3 >/dev/null || pkgs+=(python3)
  command -v ss >/dev/null || pkgs+=(iproute2)
  if ! command -v nginx >/dev/null; then
    pkgs+=(nginx libnginx-mod-stream)
  elif nginx -V 2>&1 | grep -q -- '--with-stream=dynamic' && [[ -z $(stream_module_path) ]]; then
    pkgs+=(libnginx-mod-stream)
  fi
  ((${#pkgs[@]})) || return 0
  log "installing with apt-get: ${pkgs[*]}"
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2 ||
    { "${sudo[@]}" apt-get update -qq >&2 && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2; }
}

stream_module_path() {
  local f
  for f in /usr/lib/nginx/modules/ngx_stream_module.so /usr/lib64/nginx/modules/ngx_stream_module.so \
           /usr/share/nginx/modules/ngx_stream_module.so /etc/nginx/modules/ngx_stream_module.so; do
    [[ -f $f ]] && { echo "$f"; return 0; }
  done
  return 0
}

# ---------------------------------------------------------------------------------------------- processes
# Every background process is recorded as "pid starttime name" in $WORK/pids, so that it is stopped by PID
# and a recycled PID is never hit. Subshells (the measurements) append to the same file.
WORK=""
track() { # pid name
  local st
  st=$(awk '{sub(/.*\) /, ""); print $20}' "/proc/$1/stat" 2>/dev/null || echo 0)
  echo "$1 $st $2" >>"$WORK/pids"
}

alive() { # pid starttime
  [[ -r /proc/$1/stat ]] || return 1
  local st
  st=$(awk '{sub(/.*\) /, ""); print $20}' "/proc/$1/stat" 2>/dev/null || echo x)
  [[ $st == "$2" ]] && [[ $(awk '{sub(/.*\) /, ""); print $1}' "/proc/$1/stat" 2>/dev/null) != Z ]]
}

stop_tracked() { # [name-prefix]: stop what is recorded (all when no prefix), newest first
  [[ -n $WORK && -f $WORK/pids ]] || return 0
  local prefix=${1:-} pid st name left=()
  while read -r pid st name; do
    [[ -z $prefix || $name == "$prefix"* ]] || continue
    if alive "$pid" "$st"; then
      kill -TERM "$pid" 2>/dev/null || true
      left+=("$pid:$st")
    fi
  done < <(tac "$WORK/pids")
  local i p
  for i in $(seq 1 100); do
    local still=()
    for p in "${left[@]}"; do alive "${p%%:*}" "${p##*:}" && still+=("$p"); done
    ((${#still[@]})) || break
    left=("${still[@]}")
    sleep 0.1
  done
  for p in "${left[@]}"; do
    if alive "${p%%:*}" "${p##*:}"; then
      log "process ${p%%:*} did not stop on TERM within 10 s: KILL"
      kill -KILL "${p%%:*}" 2>/dev/null || true
    fi
  done
  for p in "${left[@]}"; do wait "${p%%:*}" 2>/dev/null || true; done
}

start_bg() { # name dir command...: runs in the background, output to $WORK/<name>.log; sets LAST_PID
  local name=$1 dir=$2
  shift 2
  (cd "$dir" && exec "$@") >"$WORK/$name.log" 2>&1 &
  LAST_PID=$!
  track "$LAST_PID" "$name"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $WORK ]]; then
    stop_tracked
    if ((rc != 0)) || [[ $KEEP_WORK == 1 ]]; then
      log "temp dir kept (logs, configs, raw tool output): $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_listening() { # port seconds [pid]: waits until something listens on 127.0.0.1:port (without connecting)
  local port=$1 deadline=$((SECONDS + $2)) pid=${3:-}
  until [[ -n $(ss -Hltn "sport = :$port" 2>/dev/null) ]]; do
    ((SECONDS < deadline)) || return 1
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
}

# utime+stime in clock ticks, summed over the given PIDs (fields 14 and 15 of /proc/<pid>/stat)
cpu_ticks() {
  local sum=0 p t
  for p in "$@"; do
    t=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat")
    sum=$((sum + t))
  done
  echo "$sum"
}

# PSS in kB, summed over the given PIDs: "<Pss> <Pss_Anon>". Pss_Anon (kernel 5.x+; else Pss) leaves out
# file-backed pages, whose PSS share moves whenever another process maps the same files (libc, libssl, libjvm).
pss_kb() {
  local pss=0 anon=0 p a b
  for p in "$@"; do
    read -r a b < <(awk '/^Pss:/ {t += $2} /^Pss_Anon:/ {an += $2; seen = 1} END {print t + 0, (seen ? an : t) + 0}' \
      "/proc/$p/smaps_rollup" 2>/dev/null || awk '/^Pss:/ {t += $2} END {print t + 0, t + 0}' "/proc/$p/smaps")
    pss=$((pss + a))
    anon=$((anon + b))
  done
  echo "$pss $anon"
}

gh_pid() { # gatehouse|lever: the JVM's PID
  if [[ $1 == lever ]]; then echo "$LEVER_PID"; else echo "$GATEHOUSE_PID"; fi
}

proxy_pids() { # path: the proxy's processes (nginx: master and workers)
  case $1 in
    haproxy) echo "$HAPROXY_PID" ;;
    nginx) echo "$NGINX_PID" $(ps -o pid= --ppid "$NGINX_PID") ;;
    gatehouse | lever) gh_pid "$1" ;;
    *) echo "" ;;
  esac
}

helper_argv() { # class: sets HARGV to the command that runs one of the JDK-only helpers of bench/
  if [[ -n ${HELPER_CP:-} ]]; then
    HARGV=(java -Xmx256m -XX:+UseSerialGC -cp "$HELPER_CP" "$1")
  else
    HARGV=(java -Xmx256m -XX:+UseSerialGC "$BENCH/$1.java")
  fi
}

helper() { # class args...
  local HARGV
  helper_argv "$1"
  shift
  "${HARGV[@]}" "$@"
}

route_ports() { # path: sets P_IPERF, P_SOCK, P_HTTP, P_TLS, P_HOLD to that path's ports, for render
  local route up
  for route in iperf sockperf http tls hold; do
    up=$(tr a-z A-Z <<<"$route"); [[ $up != SOCKPERF ]] || up=SOCK
    declare -g "P_$up=${PORT[$route|$1]}"
  done
}

render() { # template output: replaces @NAME@ by the value of shell variable NAME
  local text name
  text=$(<"$1")
  for name in $(grep -o '@[A-Z][A-Z0-9_]*@' "$1" | sort -u | tr -d @); do
    [[ -v $name ]] || die "template $1 uses @$name@, which has no value"
    text=${text//@$name@/${!name}}
  done
  printf '%s\n' "$text" >"$2"
}

record() { # metric path pass value
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$WORK/raw.tsv"
  log "  $1 $2 pass $3: $4"
}

problem() {
  printf '%s\n' "$*" >>"$WORK/problems.txt"
  log "PROBLEM: $*"
}

now() { date +%s.%N; }

per_conn_kb() { # before after (kB): kB per idle connection
  python3 -c 'import sys; b, a, n = map(float, sys.argv[1:]); print("%.2f" % ((a - b) / n))' "$1" "$2" "$CONNECTIONS"
}

per_unit_us() { # ticks units: CPU microseconds per unit
  python3 -c 'import sys; t, hz, n = map(float, sys.argv[1:]); print("%.1f" % (t / hz * 1e6 / n))' "$1" "$CLK_TCK" "$2"
}

# ---------------------------------------------------------------------------------------------- measurements
# Each m_* function measures one path in one pass; it runs in a subshell with set -e, so a failure costs
# that cell only (it is listed under "Problems").

m_iperf() {
  local path=$1 pass=$2 port=${PORT[iperf|$1]} mode args f pids t0 t1 attempt
  for mode in p1 p4 r; do
    case $mode in p1) args=(-P 1) ;; p4) args=(-P 4) ;; r) args=(-P 1 -R) ;; esac
    f=$WORK/raw/iperf-$mode-$path-$pass.json
    pids=$(proxy_pids "$path")
    for attempt in 1 2; do
      t0=$(cpu_ticks $pids)
      if iperf3 -c 127.0.0.1 -p "$port" -t "$DURATION" "${args[@]}" -J >"$f" 2>&1; then break; fi
      ((attempt == 1)) || { problem "iperf3 $mode via $path pass $pass failed: $(head -c 300 "$f")"; return 1; }
      sleep 1
    done
    t1=$(cpu_ticks $pids)
    read -r gbps bytes < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["end"]["sum_received"]
print("%.3f %d" % (d["bits_per_second"] / 1e9, d["bytes"]))' "$f")
    record "iperf_$mode" "$path" "$pass" "$gbps"
    if [[ $path != direct ]]; then
      record "cpu_$mode" "$path" "$pass" "$(python3 -c 'import sys; t, hz, b = map(float, sys.argv[1:]); print("%.3f" % (t / hz / (b / 1e9)))' \
        "$((t1 - t0))" "$CLK_TCK" "$bytes")"
    fi
  done
}

m_sockperf() {
  local path=$1 pass=$2 port=${PORT[sockperf|$1]} f=$WORK/raw/sockperf-$1-$2.txt
  sockperf pp --tcp -m 64 -t "$DURATION" -i 127.0.0.1 -p "$port" >"$f" 2>&1 ||
    { problem "sockperf via $path pass $pass failed: $(tail -c 300 "$f")"; return 1; }
  local p50 p99
  p50=$(sed 's/\x1b\[[0-9;]*m//g' "$f" | awk '/percentile 50.000 =/ {print $NF}')
  p99=$(sed 's/\x1b\[[0-9;]*m//g' "$f" | awk '/percentile 99.000 =/ {print $NF}')
  [[ -n $p50 && -n $p99 ]] || { problem "sockperf via $path pass $pass: no percentiles in its output"; return 1; }
  record rt_p50 "$path" "$pass" "$p50"
  record rt_p99 "$path" "$pass" "$p99"
}

m_ab() {
  local path=$1 pass=$2 port=${PORT[http|$1]} f=$WORK/raw/ab-$1-$2.txt pids t0 t1
  pids=$(proxy_pids "$path")
  t0=$(cpu_ticks $pids)
  ab -q -r -s 10 -n "$AB_REQUESTS" -c "$AB_CONCURRENCY" "http://127.0.0.1:$port/" >"$f" 2>&1 ||
    { problem "ab via $path pass $pass failed: $(tail -c 300 "$f")"; return 1; }
  t1=$(cpu_ticks $pids)
  local rps failed non2xx
  rps=$(awk '/^Requests per second:/ {print $4}' "$f")
  failed=$(awk '/^Failed requests:/ {print $3}' "$f")
  non2xx=$(awk '/^Non-2xx responses:/ {print $3}' "$f")
  [[ -n $rps ]] || { problem "ab via $path pass $pass: no 'Requests per second' in its output"; return 1; }
  if [[ ${failed:-0} != 0 || -n $non2xx ]]; then
    problem "ab via $path pass $pass: Failed requests: ${failed:-?}, Non-2xx responses: ${non2xx:-0}"
  fi
  record cps "$path" "$pass" "$rps"
  [[ $path == direct ]] || record cpu_cps "$path" "$pass" "$(per_unit_us "$((t1 - t0))" "$AB_REQUESTS")"
}

m_tls_handshake() {
  local path=$1 pass=$2 port=${PORT[tls|$1]} i pids=() t0 t1 total=0 n ok=1 ppids c0 c1
  ppids=$(proxy_pids "$path")
  c0=$(cpu_ticks $ppids)
  t0=$(now)
  for i in $(seq 1 "$TLS_CLIENTS"); do
    openssl s_time -connect "127.0.0.1:$port" -new -time "$DURATION" -tls1_3 \
      -ciphersuites TLS_AES_128_GCM_SHA256 >"$WORK/raw/s_time-$path-$pass-$i.txt" 2>&1 &
    pids+=($!)
    track "$!" "s_time"
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || ok=0; done
  t1=$(now)
  c1=$(cpu_ticks $ppids)
  for i in $(seq 1 "$TLS_CLIENTS"); do
    n=$(awk '/connections in .* real seconds/ {print $1}' "$WORK/raw/s_time-$path-$pass-$i.txt")
    [[ -n $n ]] || { problem "s_time $i via $path pass $pass: $(tail -c 300 "$WORK/raw/s_time-$path-$pass-$i.txt")"; return 1; }
    total=$((total + n))
  done
  ((ok)) || problem "s_time via $path pass $pass exited non-zero (see raw/s_time-$path-$pass-*.txt)"
  record tls_hs "$path" "$pass" "$(python3 -c 'import sys; print("%.1f" % (int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2]))))' "$total" "$t0" "$t1")"
  [[ $path == direct ]] || record cpu_hs "$path" "$pass" "$(per_unit_us "$((c1 - c0))" "$total")"
}

m_tls_bulk() {
  local path=$1 pass=$2 port=${PORT[tls|$1]} f=$WORK/raw/tls-bulk-$1-$2.txt gbps
  helper TlsBench bulk 127.0.0.1 "$port" "$DURATION" >"$f" 2>&1 ||
    { problem "TLS bulk via $path pass $pass failed: $(tail -c 300 "$f")"; return 1; }
  gbps=$(sed -n 's/.*gbps=\([0-9.]*\).*/\1/p' "$f")
  [[ -n $gbps ]] || { problem "TLS bulk via $path pass $pass: no result in its output"; return 1; }
  record tls_bulk "$path" "$pass" "$gbps"
}

hold_count() { cat "$WORK/hold-count" 2>/dev/null || echo -1; }

wait_hold_count() { # n seconds
  local deadline=$((SECONDS + $2))
  until [[ $(hold_count) == "$1" ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

live_heap_kb() { # gatehouse|lever: the live heap in kB (GC.class_histogram runs a full GC first, then totals)
  jcmd "$(gh_pid "$1")" GC.class_histogram | awk '$1 == "Total" {print int($3 / 1024); found = 1} END {exit !found}'
}

m_memory() {
  local path=$1 pass=$2 port=${PORT[hold|$1]} pids before after before_anon after_anon base base_anon cpid deadline
  local ready=$WORK/raw/idle-ready-$1-$2
  [[ $path != direct ]] || return 0
  pids=$(proxy_pids "$path")
  wait_hold_count 0 30 || { problem "memory via $path pass $pass: the origin still holds $(hold_count) connections"; return 1; }
  rm -f "$ready" "$ready.go"
  local HARGV
  helper_argv IdleConnections
  # a plain command, not a function, in the background: $! is then the JVM itself
  "${HARGV[@]}" client 127.0.0.1 "$port" "$CONNECTIONS" "$ready" >"$WORK/raw/idle-client-$path-$pass.log" 2>&1 &
  cpid=$!
  track "$cpid" "idle-client"
  # "before" is read once the client's JVM runs (it shares pages with a JVM proxy), before it connects
  deadline=$((SECONDS + 60))
  until [[ $(cat "$ready" 2>/dev/null) == started ]]; do
    if ! kill -0 "$cpid" 2>/dev/null || ((SECONDS > deadline)); then
      problem "memory via $path pass $pass: the client did not start: $(tail -c 300 "$WORK/raw/idle-client-$path-$pass.log")"
      return 1
    fi
    sleep 0.1
  done
  sleep 1
  local heap_before=0 heap_after=0
  [[ $path != gatehouse && $path != lever ]] || heap_before=$(live_heap_kb "$path") || { problem "memory: jcmd GC.class_histogram failed"; return 1; }
  read -r before before_anon < <(pss_kb $pids)
  touch "$ready.go"
  deadline=$((SECONDS + 120))
  until [[ $(cat "$ready" 2>/dev/null) != started ]]; do
    if ! kill -0 "$cpid" 2>/dev/null || ((SECONDS > deadline)); then
      problem "memory via $path pass $pass: the client did not open its connections: $(cat "$ready" 2>/dev/null) $(tail -c 300 "$WORK/raw/idle-client-$path-$pass.log")"
      return 1
    fi
    sleep 0.1
  done
  if [[ $(<"$ready") != "$CONNECTIONS" ]]; then
    problem "memory via $path pass $pass: client: $(<"$ready")"
    return 1
  fi
  if ! wait_hold_count "$CONNECTIONS" 60; then
    problem "memory via $path pass $pass: the origin holds $(hold_count) of $CONNECTIONS backend connections"
    return 1
  fi
  sleep 2
  [[ $path != gatehouse && $path != lever ]] || heap_after=$(live_heap_kb "$path") || { problem "memory: jcmd GC.class_histogram failed"; return 1; }
  read -r after after_anon < <(pss_kb $pids)
  kill "$cpid" 2>/dev/null || true
  wait "$cpid" 2>/dev/null || true
  wait_hold_count 0 60 || problem "memory via $path pass $pass: $(hold_count) backend connections still open 60 s after the clients closed"
  # Allocators keep what they freed (HAProxy's pools, malloc arenas, the JVM heap), so pass 2 would mostly
  # reuse pass 1's memory. Both passes are therefore measured against the footprint before the first pass:
  # the memory held with CONNECTIONS open, above what the proxy used before it ever held them.
  [[ -f $WORK/mem-baseline-$path ]] || echo "$before $before_anon" >"$WORK/mem-baseline-$path"
  read -r base base_anon <"$WORK/mem-baseline-$path"
  record mem_pss_before_kb "$path" "$pass" "$before"
  record mem_pss_after_kb "$path" "$pass" "$after"
  record mem_anon_before_kb "$path" "$pass" "$before_anon"
  record mem_anon_after_kb "$path" "$pass" "$after_anon"
  # Gatehouse: its heap is touched before the measurement (-XX:+AlwaysPreTouch), so Java objects do not show in
  # PSS; their share is the live heap after a full GC (GC.class_histogram), added to the PSS growth.
  record mem_heap_kb "$path" "$pass" "$(per_conn_kb "$heap_before" "$heap_after")"
  record mem_pss_kb "$path" "$pass" "$(per_conn_kb "$base" "$((after + heap_after - heap_before))")"
  record mem_kb "$path" "$pass" "$(per_conn_kb "$base_anon" "$((after_anon + heap_after - heap_before))")"
}

# Allocation by Gatehouse's event loops while they relay (JFR; Gatehouse only): bytes allocated per MB moved by
# iperf3 -P 1 and per new connection of ab, from jdk.ThreadAllocationStatistics (exact per-thread counters, read
# when the recording starts and stops), plus the top allocation sites from jdk.ObjectAllocationSample.
m_alloc() {
  local path=$1 pass=$2 f bytes pid
  [[ $path == gatehouse || $path == lever ]] || return 0
  pid=$(gh_pid "$path")
  for what in iperf ab; do
    f=$WORK/raw/alloc-$what-$path-$pass
    jcmd "$pid" JFR.start name=bench-alloc settings=profile >"$f.jcmd" 2>&1 ||
      { problem "alloc: JFR.start failed: $(tail -c 300 "$f.jcmd")"; return 1; }
    if [[ $what == iperf ]]; then
      iperf3 -c 127.0.0.1 -p "${PORT[iperf|$path]}" -t "$DURATION" -P 1 -J >"$f.json" 2>&1 ||
        { problem "alloc: iperf3 failed: $(head -c 300 "$f.json")"; jcmd "$pid" JFR.stop name=bench-alloc >/dev/null 2>&1; return 1; }
      bytes=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"])' "$f.json")
    else
      ab -q -r -s 10 -n "$AB_REQUESTS" -c "$AB_CONCURRENCY" "http://127.0.0.1:${PORT[http|$path]}/" >"$f.txt" 2>&1 ||
        { problem "alloc: ab failed: $(tail -c 300 "$f.txt")"; jcmd "$pid" JFR.stop name=bench-alloc >/dev/null 2>&1; return 1; }
      bytes=$AB_REQUESTS
    fi
    jcmd "$pid" JFR.stop name=bench-alloc filename="$f.jfr" >>"$f.jcmd" 2>&1 ||
      { problem "alloc: JFR.stop failed: $(tail -c 300 "$f.jcmd")"; return 1; }
    jfr print --json --events jdk.ThreadAllocationStatistics,jdk.ObjectAllocationSample "$f.jfr" >"$f.events.json"
    python3 - "$f.events.json" "$what" "$bytes" "$f.top.txt" >"$f.result" <<'PY'
import json, sys
from collections import defaultdict
events = json.load(open(sys.argv[1]))["recording"]["events"]
what, units, top_file = sys.argv[2], float(sys.argv[3]), sys.argv[4]
def loop(name):
    return "EventLoop" in name or "eventLoop" in name
per_thread = defaultdict(list)
sites = defaultdict(float)
for e in events:
    v = e["values"]
    if e["type"] == "jdk.ThreadAllocationStatistics":
        t = v.get("thread") or {}
        name = t.get("javaName") or t.get("osName") or ""
        if loop(name):
            per_thread[name].append(v["allocated"])
    elif e["type"] == "jdk.ObjectAllocationSample":
        t = v.get("eventThread") or {}
        if loop(t.get("javaName") or ""):
            frames = (v.get("stackTrace") or {}).get("frames") or []
            where = " < ".join("%s.%s" % (f["method"]["type"]["name"].split(".")[-1], f["method"]["name"]) for f in frames[:3])
            sites[(v["objectClass"]["name"], where)] += v.get("weight", 0)
total = sum(max(a) - min(a) for a in per_thread.values() if len(a) >= 2)
if not any(len(a) >= 2 for a in per_thread.values()):
    sys.exit("no event-loop thread has two jdk.ThreadAllocationStatistics readings")
with open(top_file, "w") as f:
    for (cls, where), w in sorted(sites.items(), key=lambda kv: -kv[1])[:8]:
        f.write("%12.0f B  %s  %s\n" % (w, cls, where))
if what == "iperf":
    print("%.1f" % (total / (units / 1e6)))   # bytes allocated per MB relayed
else:
    print("%.0f" % (total / units))           # bytes allocated per connection
PY
    if [[ $what == iperf ]]; then record alloc_per_mb "$path" "$pass" "$(<"$f.result")"
    else record alloc_per_conn "$path" "$pass" "$(<"$f.result")"; fi
    log "  top allocation sites on the event loops ($what):"
    sed 's/^/      /' "$f.top.txt" >&2
  done
}

# PROFILE=1: a JFR recording (settings=profile) around each Gatehouse cell; the hottest methods (self time, and
# with their two callers) from jdk.ExecutionSample go to the log and to raw/profile-<cell>.txt.
profile_summary() { # jfr-file out-file
  jfr print --json --events jdk.ExecutionSample "$1" >"$1.json"
  python3 - "$1.json" >"$2" <<'PY'
import json, sys
from collections import Counter
events = json.load(open(sys.argv[1]))["recording"]["events"]
self_, chain, threads = Counter(), Counter(), Counter()
for e in events:
    v = e["values"]
    frames = (v.get("stackTrace") or {}).get("frames") or []
    if not frames:
        continue
    name = lambda f: "%s.%s" % (f["method"]["type"]["name"].split("/")[-1], f["method"]["name"])
    self_[name(frames[0])] += 1
    chain[" < ".join(name(f) for f in frames[:3])] += 1
    threads[((v.get("sampledThread") or {}).get("javaName") or "?").rstrip("0123456789-")] += 1
n = sum(self_.values()) or 1
print("samples: %d; by thread: %s" % (n, ", ".join("%s %d%%" % (t, 100 * c // n) for t, c in threads.most_common(5))))
for m, c in self_.most_common(15):
    print("%5.1f%%  %s" % (100.0 * c / n, m))
print("-- with callers")
for m, c in chain.most_common(15):
    print("%5.1f%%  %s" % (100.0 * c / n, m))
PY
}

run_one() { # function path pass
  local rc profiling=0
  log "$1 via $2 (pass $3)"
  if [[ ${PROFILE:-0} == 1 && ($2 == gatehouse || $2 == lever) && $1 != m_alloc ]] &&
     jcmd "$(gh_pid "$2")" JFR.start name=bench-profile settings=profile >/dev/null 2>&1; then
    profiling=1
  fi
  set +e
  (set -e; "$@")
  rc=$?
  set -e
  if ((profiling)); then
    local pf=$WORK/raw/profile-${1#m_}-$2-$3
    if jcmd "$(gh_pid "$2")" JFR.stop name=bench-profile filename="$pf.jfr" >/dev/null 2>&1; then
      profile_summary "$pf.jfr" "$pf.txt" && sed 's/^/      /' "$pf.txt" >&2
    fi
  fi
  ((rc == 0)) || problem "$1 via $2 pass $3 stopped with status $rc"
  stop_tracked s_time
  stop_tracked idle-client
}

run_measurement() { # function
  local path
  for path in "${PATHS_FORWARD[@]}"; do run_one "$1" "$path" 1; done
  for path in "${PATHS_REVERSE[@]}"; do run_one "$1" "$path" 2; done
}

# ---------------------------------------------------------------------------------------------- setup
install_missing
for t in java javac iperf3 sockperf ab nginx haproxy openssl curl python3 ss; do
  command -v "$t" >/dev/null || die "$t is missing (java/javac: install a JDK 17)"
done
if [[ ! -f $GATEHOUSE_JAR ]]; then
  log "no Gatehouse jar at $GATEHOUSE_JAR: building it (./mvnw -q -DskipTests -Dcodegen.skip=true package)"
  (cd "$REPO" && ./mvnw -q -B -DskipTests -Dcodegen.skip=true package) >&2 || die "the build failed"
fi

WORK=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
mkdir -p "$WORK/raw" "$WORK/nginx-origin-tmp" "$WORK/nginx-l4-prefix" "$WORK/nginx-origin-prefix" "$WORK/classes"
: >"$WORK/pids"
: >"$WORK/raw.tsv"
: >"$WORK/problems.txt"
log "temp dir: $WORK"

# The jar is rebuilt by Maven at any moment: copy it, and check the copy is a whole zip.
for attempt in 1 2 3 4 5 6; do
  cp "$GATEHOUSE_JAR" "$WORK/gatehouse.jar"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).testzip()' "$WORK/gatehouse.jar" 2>/dev/null && break
  ((attempt < 6)) || die "$GATEHOUSE_JAR is not a complete jar (being rebuilt?); try again later"
  log "the jar copy is incomplete (a build is writing it?); retrying in 5 s"
  sleep 5
done
JAR_SHA=$(sha256sum "$WORK/gatehouse.jar" | cut -c1-12)
JAR_MTIME=$(date -u -r "$GATEHOUSE_JAR" +%Y-%m-%dT%H:%M:%SZ)
GIT_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$REPO" diff --quiet HEAD -- src pom.xml 2>/dev/null || GIT_REV="$GIT_REV (+ uncommitted changes)"

if javac -d "$WORK/classes" "$BENCH/TlsBench.java" "$BENCH/IdleConnections.java" 2>"$WORK/javac.log"; then
  HELPER_CP=$WORK/classes
else
  log "javac failed ($(head -c 200 "$WORK/javac.log")); using single-file source launch"
  HELPER_CP=""
fi

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
NOFILE=$(ulimit -n)
((CONNECTIONS * 2 + 500 <= NOFILE)) ||
  die "CONNECTIONS=$CONNECTIONS needs an open-files limit of at least $((CONNECTIONS * 2 + 500)) (ulimit -n is $NOFILE)"
MAXCONN=$(((NOFILE - 200) / 2))
WORKER_CONNECTIONS=$((NOFILE - 200))
CLK_TCK=$(getconf CLK_TCK)

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "open files limit: $NOFILE"
  echo "haproxy: $(haproxy -v 2>&1 | head -1)"
  echo "nginx: $(nginx -v 2>&1 | head -1)"
  echo "java: $(java -version 2>&1 | head -1); $(java -version 2>&1 | sed -n 3p)"
  echo "iperf3: $(iperf3 --version 2>&1 | head -1)"
  echo "sockperf: $(sockperf --version 2>&1 | head -1)"
  echo "ab: $(ab -V 2>&1 | head -1)"
  echo "openssl: $(openssl version)"
  echo "gatehouse: $(basename "$GATEHOUSE_JAR") built $JAR_MTIME, sha256 $JAR_SHA..., repository at $GIT_REV"
} >"$WORK/versions.txt"
cat "$WORK/versions.txt" >&2

# TLS material: ECDSA P-256, self-signed; PEM for HAProxy and nginx, PKCS#12 for Gatehouse and the JDK sink.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=bench.gatehouse.local \
  -addext 'subjectAltName=DNS:bench.gatehouse.local,IP:127.0.0.1' \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>"$WORK/openssl.log"
cat "$WORK/cert.pem" "$WORK/key.pem" >"$WORK/cert-and-key.pem"
openssl pkcs12 -export -inkey "$WORK/key.pem" -in "$WORK/cert.pem" -name bench -passout "pass:$PFX_PASSWORD" \
  -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 -out "$WORK/bench.pfx" 2>>"$WORK/openssl.log"
PFX_B64=$(base64 -w0 "$WORK/bench.pfx")
CERT_PEM=$WORK/cert.pem
KEY_PEM=$WORK/key.pem
CERT_AND_KEY_PEM=$WORK/cert-and-key.pem

# Free ports, from the kernel: all sockets are bound at once, so the ports are distinct.
read -r -a P < <(python3 -c '
import socket
socks = []
for _ in range(29):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))')
API_PORT=${P[0]} O_IPERF=${P[1]} O_SOCK=${P[2]} O_HTTP_PP=${P[3]} O_HTTP_PLAIN=${P[4]} O_SINK=${P[5]}
O_TLS_DIRECT=${P[6]} O_HOLD=${P[7]}
declare -A PORT=(
  [iperf|direct]=$O_IPERF [sockperf|direct]=$O_SOCK [http|direct]=$O_HTTP_PLAIN [tls|direct]=$O_TLS_DIRECT [hold|direct]=$O_HOLD
)
i=8
for path in haproxy nginx gatehouse lever; do
  for route in iperf sockperf http tls hold; do
    PORT[$route|$path]=${P[$i]}
    i=$((i + 1))
  done
done

# ---------------------------------------------------------------------------------------------- origins
log "starting the origins"
if ((EUID == 0)); then USER_DIRECTIVE="user root;"; else USER_DIRECTIVE=""; fi
if nginx -V 2>&1 | grep -q -- '--with-stream=dynamic'; then
  mod=$(stream_module_path)
  [[ -n $mod ]] || die "nginx's stream module is not installed (apt-get install libnginx-mod-stream)"
  LOAD_STREAM_MODULE="load_module $mod;"
elif nginx -V 2>&1 | grep -q -- '--with-stream'; then
  LOAD_STREAM_MODULE=""
else
  die "this nginx has no stream module"
fi

start_bg iperf3-origin "$WORK" iperf3 -s -B 127.0.0.1 -p "$O_IPERF"
start_bg sockperf-origin "$WORK" sockperf sr --tcp -i 127.0.0.1 -p "$O_SOCK"
render "$BENCH/peers/nginx-origin.conf" "$WORK/nginx-origin.conf"
nginx -t -q -p "$WORK/nginx-origin-prefix" -e "$WORK/nginx-origin-error.log" -c "$WORK/nginx-origin.conf" ||
  die "nginx origin config rejected"
start_bg nginx-origin "$WORK" nginx -p "$WORK/nginx-origin-prefix" -e "$WORK/nginx-origin-error.log" -c "$WORK/nginx-origin.conf"
helper_argv TlsBench
start_bg sink-origin "$WORK" "${HARGV[@]}" sink "$O_SINK"
start_bg tls-direct-origin "$WORK" "${HARGV[@]}" tls-sink "$O_TLS_DIRECT" "$WORK/bench.pfx" "$PFX_PASSWORD"
helper_argv IdleConnections
start_bg hold-origin "$WORK" "${HARGV[@]}" server "$O_HOLD" "$WORK/hold-count"
for p in "$O_IPERF" "$O_SOCK" "$O_HTTP_PP" "$O_HTTP_PLAIN" "$O_SINK" "$O_TLS_DIRECT" "$O_HOLD"; do
  wait_listening "$p" 60 || die "an origin did not start listening on port $p (logs in $WORK)"
done

# ---------------------------------------------------------------------------------------------- proxies
log "starting HAProxy, nginx and Gatehouse"
route_ports haproxy
render "$BENCH/peers/haproxy-l4.cfg" "$WORK/haproxy-l4.cfg"
haproxy -c -q -f "$WORK/haproxy-l4.cfg" || die "HAProxy config rejected"
start_bg haproxy "$WORK" haproxy -db -f "$WORK/haproxy-l4.cfg"
HAPROXY_PID=$LAST_PID

route_ports nginx
render "$BENCH/peers/nginx-l4.conf" "$WORK/nginx-l4.conf"
nginx -t -q -p "$WORK/nginx-l4-prefix" -e "$WORK/nginx-l4-error.log" -c "$WORK/nginx-l4.conf" ||
  die "nginx stream config rejected"
start_bg nginx-l4 "$WORK" nginx -p "$WORK/nginx-l4-prefix" -e "$WORK/nginx-l4-error.log" -c "$WORK/nginx-l4.conf"
NGINX_PID=$LAST_PID

start_gatehouse() { # name api-port jar args...: sets LAST_PID
  local name=$1 api=$2 jar=$3 jvm=() app=() word
  shift 3
  for word in "$@"; do
    if [[ $word == -D* || $word == -XX* || $word == -Xss* ]]; then jvm+=("$word"); else app+=("$word"); fi
  done
  start_bg "$name" "$WORK" java "${GATEHOUSE_JVM_FLAGS[@]}" "${jvm[@]}" -jar "$jar" \
    --server.port="$api" --server.address=127.0.0.1 --spring.datasource.url="jdbc:h2:mem:$name" \
    --gatehouse.dataplane.threads=2 --logging.level.root=WARN \
    --logging.level.dev.gatehouse.dataplane.tls.TlsContexts=INFO \
    --logging.level.dev.gatehouse.dataplane.proxy.NettyDataPlane=INFO "${app[@]}"
}

# word splitting on purpose: GATEHOUSE_ARGS and LEVER_ARGS are lists of arguments without spaces inside
# shellcheck disable=SC2086
start_gatehouse gatehouse "$API_PORT" "$WORK/gatehouse.jar" $GATEHOUSE_ARGS
GATEHOUSE_PID=$LAST_PID
LEVER_PID=""
if [[ -n $LEVER_ARGS || -n $LEVER_JAR ]]; then
  lever_jar=$WORK/gatehouse.jar
  if [[ -n $LEVER_JAR ]]; then
    cp "$LEVER_JAR" "$WORK/lever.jar"
    lever_jar=$WORK/lever.jar
    echo "lever jar: $(basename "$LEVER_JAR") built $(date -u -r "$LEVER_JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$lever_jar" | cut -c1-12)..." >>"$WORK/versions.txt"
  fi
  # shellcheck disable=SC2086
  start_gatehouse lever "${P[28]}" "$lever_jar" $GATEHOUSE_ARGS $LEVER_ARGS
  LEVER_PID=$LAST_PID
fi

for route in iperf sockperf http tls hold; do
  wait_listening "${PORT[$route|haproxy]}" 30 "$HAPROXY_PID" || die "HAProxy is not listening (log: $WORK/haproxy.log)"
  wait_listening "${PORT[$route|nginx]}" 30 "$NGINX_PID" || die "nginx is not listening (log: $WORK/nginx-l4-error.log)"
done
sleep 0.5
[[ -n $(ps -o pid= --ppid "$NGINX_PID") ]] || die "nginx has no worker processes"

state() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("properties", {}).get("provisioningState", ""))' "$1" 2>/dev/null || true; }

provision() { # gatehouse|lever api-port: waits for readiness, PUTs the bench gateway, waits until it serves
  local path=$1 api=$2 pid deadline code st route
  pid=$(gh_pid "$path")
  log "waiting for $path to be ready (API on 127.0.0.1:$api)"
  deadline=$((SECONDS + 240))
  until curl -sf "http://127.0.0.1:$api/actuator/health/readiness" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "$path exited: $(tail -n 20 "$WORK/$path.log")"
    ((SECONDS < deadline)) || die "$path not ready after 240 s (log: $WORK/$path.log)"
    sleep 1
  done
  route_ports "$path"
  render "$BENCH/peers/gatehouse-gateway.json" "$WORK/$path-gateway.json"
  local url="http://127.0.0.1:$api$GW_ID?api-version=2025-03-01" out=$WORK/$path-put-response.json
  code=$(curl -s -o "$out" -w '%{http_code}' -X PUT "$url" \
    -H 'Content-Type: application/json' -H 'Prefer: wait=10' --data @"$WORK/$path-gateway.json")
  st=$(state "$out")
  deadline=$((SECONDS + 60))
  while [[ $st == Updating || $st == Creating ]] && ((SECONDS < deadline)); do
    sleep 1
    curl -s -o "$out" "$url"
    st=$(state "$out")
  done
  [[ $st == Succeeded ]] || die "$path: gateway PUT answered HTTP $code, provisioningState '$st': $(head -c 2000 "$out")"
  log "$path: gateway provisioned (HTTP $code, Succeeded)"
  for route in iperf sockperf http tls hold; do
    wait_listening "${PORT[$route|$path]}" 30 "$pid" || die "$path is not listening on its $route port"
  done
  grep -m1 'TLS provider' "$WORK/$path.log" | sed "s/.*TLS provider/$path TLS provider/" >>"$WORK/versions.txt" || true
  grep -m1 'Data plane started' "$WORK/$path.log" | sed "s/.*Data plane started/$path data plane/" >>"$WORK/versions.txt" || true
}

provision gatehouse "$API_PORT"
[[ -z $LEVER_PID ]] || provision lever "${P[28]}"
{
  echo "haproxy: nbthread 2; nginx: worker_processes 2 (+ master); gatehouse: ${GATEHOUSE_JVM_FLAGS[*]}, dataplane.threads=2${GATEHOUSE_ARGS:+, $GATEHOUSE_ARGS}"
  [[ -z $LEVER_PID ]] || echo "lever: Gatehouse as above${LEVER_JAR:+, from the lever jar}${LEVER_ARGS:+, plus $LEVER_ARGS}"
} >>"$WORK/versions.txt"

# ---------------------------------------------------------------------------------------------- warm-up
if [[ $WARMUP == 1 ]]; then
  for path in gatehouse ${LEVER_PID:+lever}; do
    log "warming $path up (untimed)"
    # The per-connection code runs once per connection: C2 compiles it after some 10,000 connections, so the
    # warm-up makes 40,000 (measured: a cold JVM made about a third of the warm rate in its first 5,000).
    iperf3 -c 127.0.0.1 -p "${PORT[iperf|$path]}" -t 3 -P 2 >"$WORK/raw/warmup-$path-iperf.txt" 2>&1 || problem "warm-up iperf3 failed"
    ab -q -r -n 40000 -c "$AB_CONCURRENCY" "http://127.0.0.1:${PORT[http|$path]}/" \
      >"$WORK/raw/warmup-$path-ab.txt" 2>&1 || problem "warm-up ab failed"
    sockperf pp --tcp -m 64 -t 2 -i 127.0.0.1 -p "${PORT[sockperf|$path]}" >"$WORK/raw/warmup-$path-sockperf.txt" 2>&1 ||
      problem "warm-up sockperf failed"
    warm=()
    for i in 1 2; do
      openssl s_time -connect "127.0.0.1:${PORT[tls|$path]}" -new -time 4 -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 \
        >"$WORK/raw/warmup-$path-s_time-$i.txt" 2>&1 &
      warm+=($!)
    done
    for p in "${warm[@]}"; do wait "$p" || problem "warm-up s_time failed"; done
    helper TlsBench bulk 127.0.0.1 "${PORT[tls|$path]}" 2 >"$WORK/raw/warmup-$path-tls-bulk.txt" 2>&1 || problem "warm-up TLS bulk failed"
  done
fi

# ---------------------------------------------------------------------------------------------- measure
for m in $ONLY; do
  case $m in
    iperf | sockperf | ab | tls_handshake | tls_bulk | memory | alloc) run_measurement "m_$m" ;;
    *) die "unknown measurement in ONLY: $m" ;;
  esac
done

# ---------------------------------------------------------------------------------------------- report
mkdir -p "$RESULTS_DIR"
RESULT_FILE=$RESULTS_DIR/$(date -u +%Y-%m-%dT%H%MZ)${LABEL:+-$LABEL}.md
COMMAND="DURATION=$DURATION CONNECTIONS=$CONNECTIONS AB_REQUESTS=$AB_REQUESTS AB_CONCURRENCY=$AB_CONCURRENCY TLS_CLIENTS=$TLS_CLIENTS"
[[ $ONLY == "iperf sockperf ab tls_handshake tls_bulk memory alloc" ]] || COMMAND+=" ONLY=\"$ONLY\""
[[ ${PATHS% lever} == "direct haproxy nginx gatehouse" ]] || COMMAND+=" PATHS=\"${PATHS% lever}\""
[[ -z $GATEHOUSE_ARGS ]] || COMMAND+=" GATEHOUSE_ARGS=\"$GATEHOUSE_ARGS\""
[[ -z $LEVER_ARGS ]] || COMMAND+=" LEVER_ARGS=\"$LEVER_ARGS\""
[[ -z $LEVER_JAR ]] || COMMAND+=" LEVER_JAR=$LEVER_JAR"
[[ -z $LABEL ]] || COMMAND+=" LABEL=$LABEL"
COMMAND+=" bash bench/run.sh"
python3 - "$WORK/raw.tsv" "$WORK/versions.txt" "$WORK/problems.txt" "$RESULT_FILE" "$COMMAND" \
  "$DURATION" "$CONNECTIONS" "$AB_REQUESTS" "$AB_CONCURRENCY" "$TLS_CLIENTS" <<'PY'
import sys
from collections import defaultdict

raw_file, versions_file, problems_file, out_file, command = sys.argv[1:6]
duration, connections, ab_requests, ab_conc, tls_clients = sys.argv[6:11]
paths = ["direct", "haproxy", "nginx", "gatehouse", "lever"]
names = {"direct": "direct", "haproxy": "HAProxy", "nginx": "nginx", "gatehouse": "Gatehouse", "lever": "lever"}
# key, label, better ("higher"/"lower"), decimals, direct is a baseline for Gatehouse ÷ direct
metrics = [
    ("iperf_p1", "iperf3 -P 1, Gbit/s", "higher", 2, True),
    ("iperf_p4", "iperf3 -P 4, Gbit/s", "higher", 2, True),
    ("iperf_r", "iperf3 -R, Gbit/s", "higher", 2, True),
    ("cpu_p1", "proxy CPU s per GB, -P 1", "lower", 2, False),
    ("cpu_p4", "proxy CPU s per GB, -P 4", "lower", 2, False),
    ("cpu_r", "proxy CPU s per GB, -R", "lower", 2, False),
    ("rt_p50", "64 B round trip p50, µs", "lower", 1, True),
    ("rt_p99", "64 B round trip p99, µs", "lower", 1, True),
    ("cps", "new connections/s, PROXY v1 to origin ¹", "higher", 0, True),
    ("cpu_cps", "proxy CPU µs per new connection ¹", "lower", 0, False),
    ("tls_hs", "TLS 1.3 handshakes/s ²", "higher", 0, False),
    ("cpu_hs", "proxy CPU µs per TLS handshake ²", "lower", 0, False),
    ("tls_bulk", "TLS 1.3 bulk, Gbit/s ²", "higher", 2, False),
    ("mem_kb", "anonymous PSS per idle connection, KB ³", "lower", 2, False),
    ("mem_heap_kb", "of which Gatehouse's live Java heap, KB ³", "lower", 2, False),
    ("mem_pss_kb", "total PSS per idle connection, KB ³", "lower", 2, False),
    ("mem_rest_mb", "proxy PSS before the idle connections, MB ³", "lower", 1, False),
    ("alloc_per_mb", "Gatehouse event-loop heap allocation per MB relayed, bytes ⁴", "lower", 1, False),
    ("alloc_per_conn", "Gatehouse event-loop heap allocation per new connection, bytes ⁴", "lower", 0, False),
]
vals = defaultdict(dict)
for line in open(raw_file):
    m, p, ps, v = line.rstrip("\n").split("\t")
    try:
        vals[(m, p)][ps] = float(v)
    except ValueError:
        pass

for (m, p), d in list(vals.items()):
    if m == "mem_pss_before_kb":
        vals[("mem_rest_mb", p)] = {k: v / 1024 for k, v in d.items()}

def mean(m, p):
    d = vals.get((m, p), {})
    if not d:
        return None, 0
    return sum(d.values()) / len(d), len(d)

def fmt(x, dec):
    return "—" if x is None else f"{x:,.{dec}f}"

na_direct = {"cpu_p1", "cpu_p4", "cpu_r", "cpu_cps", "cpu_hs", "mem_kb", "mem_pss_kb", "mem_rest_mb", "alloc_per_mb", "alloc_per_conn", "mem_heap_kb"}
rows = []
shown = [p for p in paths if any(k[1] == p for k in vals) or p in ("direct", "gatehouse")]
lever = "lever" in shown
head = ("| Metric | Better | " + " | ".join(names[p] for p in shown) + " | Gatehouse ÷ direct | Gatehouse ÷ better peer |"
        + (" lever ÷ Gatehouse |" if lever else "") + "\n|---|---|" + "---:|" * (len(shown) + 2 + (1 if lever else 0)))
for key, label, better, dec, direct_ok in metrics:
    if not any(vals.get((key, p)) for p in paths):
        continue
    cells = []
    means = {p: None for p in paths}
    for p in shown:
        if p == "direct" and key in na_direct:
            cells.append("n/a")
            continue
        mval, n = mean(key, p)
        means[p] = mval
        cells.append(fmt(mval, dec) + (" (1 pass)" if n == 1 else ""))
    g = means["gatehouse"]
    d = means["direct"]
    peers = [means[p] for p in ("haproxy", "nginx") if means[p] is not None]
    best = (max(peers) if better == "higher" else min(peers)) if peers else None
    r_direct = f"{g / d:.2f}" if (direct_ok and g is not None and d) else "n/a"
    r_peer = f"{g / best:.2f}" if (g is not None and best) else "—"
    r_lever = ""
    if lever:
        lv = means["lever"]
        r_lever = (f" {lv / g:.2f} |" if (lv is not None and g) else " — |")
    rows.append(f"| {label} | {better} | " + " | ".join(cells) + f" | {r_direct} | {r_peer} |" + r_lever)
table = head + "\n" + "\n".join(rows)

notes = f"""Each cell is the mean of two passes: direct, HAProxy, nginx, Gatehouse, then Gatehouse, nginx, HAProxy, direct.
Ratios are always Gatehouse's value divided by the reference value. "Better" says which direction wins: for a
"higher" row a ratio above 1 means Gatehouse did better, for a "lower" row (round trip, CPU, memory) a ratio
below 1 means Gatehouse did better. "better peer" is the better of HAProxy and nginx on that row.

¹ ab -n {ab_requests} -c {ab_conc}, one new connection per request. The proxies send a PROXY v1 header to an nginx
  origin with `listen ... proxy_protocol`; **direct** goes to a second server block of that nginx **without**
  proxy_protocol (ab cannot send the header), so direct does slightly less work at the origin.
² ECDSA P-256 certificate, TLS 1.3, TLS_AES_128_GCM_SHA256. Handshakes: {tls_clients} parallel
  `openssl s_time -new` for {duration} s, counted over the wall-clock time. Bulk: bench/TlsBench.java (JDK client)
  sends about {duration} s of data. The proxies terminate TLS and forward plaintext to a TCP sink. **direct** is
  the JDK's own TLS server (TlsBench tls-sink), not a like-for-like baseline: no Gatehouse ÷ direct ratio there.
³ (PSS holding {connections} idle connections − PSS before the first pass) / {connections}; PSS from
  /proc/<pid>/smaps_rollup summed over the proxy's processes (nginx: master and workers). Each client connection
  has its backend connection. Both passes subtract the footprint before pass 1, because allocators keep what
  pass 1 freed and pass 2 would mostly reuse it (per-pass before/after values are in the raw numbers).
  "anonymous" is Pss_Anon, the heap/malloc/buffer part of PSS: it leaves out file-backed pages (shared libraries,
  the JDK's CDS archive), whose PSS share moves whenever another process maps the same files, e.g. the client's
  JVM; "total" is plain Pss, affected by that. Kernel memory (socket buffers) is in neither. Gatehouse runs with
  -XX:+AlwaysPreTouch, so its heap pages are resident from the start and Java objects do not move PSS: for
  Gatehouse both rows add the growth of the live heap (jcmd GC.class_histogram, after a full GC), shown on its own row.
⁴ JFR (settings=profile) around one iperf3 -P 1 run and one ab run through Gatehouse: the growth of the
  event-loop threads' allocated-bytes counters (jdk.ThreadAllocationStatistics), divided by the MB (1e6 bytes)
  iperf3 moved or by the connections ab made. The top sites, from jdk.ObjectAllocationSample, are in the log.
CPU rows: utime+stime of the proxy's processes (/proc/<pid>/stat, clock ticks of 1/CLK_TCK s) over the run,
  divided by the GB received by iperf3 (1 GB = 1e9 bytes), by the ab requests, or by the handshakes.
  Memory and CPU rows do not apply to direct (there is no proxy)."""

raw_lines = ["| Metric | Path | Pass 1 | Pass 2 |", "|---|---|---:|---:|"]
for (m, p) in sorted(vals, key=lambda k: (k[0], paths.index(k[1]) if k[1] in paths else 9)):
    d = vals[(m, p)]
    raw_lines.append(f"| {m} | {p} | {d.get('1', '—')} | {d.get('2', '—')} |")
problems = open(problems_file).read().strip()
versions = open(versions_file).read().strip()

print(table)
print()
print(notes)
with open(out_file, "w") as f:
    f.write("# Gatehouse vs HAProxy vs nginx (stream), one run on 127.0.0.1\n\n")
    if lever:
        f.write("**lever**: a second Gatehouse, measured right after the first in each pass: see its arguments below.\n\n")
    f.write(f"Command: `{command}`\n\n")
    f.write("```\n" + versions + "\n```\n\n")
    f.write(table + "\n\n" + notes + "\n\n")
    f.write("## Raw numbers (every pass)\n\n" + "\n".join(raw_lines) + "\n\n")
    f.write("mem_*_before_kb / mem_*_after_kb: Pss / Pss_Anon of the proxy's processes in kB; rt_*: µs; cps and tls_hs: per second.\n\n")
    f.write("## Problems\n\n" + (problems if problems else "None.") + "\n")
print(f"\nwritten to {out_file}", file=sys.stderr)
PY
if [[ -s $WORK/problems.txt ]]; then
  log "there were problems (listed in $RESULT_FILE):"
  cat "$WORK/problems.txt" >&2
fi
