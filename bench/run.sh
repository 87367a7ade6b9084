#!/usr/bin/env bash
# Gatehouse data plane side by side with HAProxy and nginx (stream module), in one run on 127.0.0.1.
#
# Run it (from anywhere):
#
#     bash bench/run.sh
#     SMOKE=1 bash bench/run.sh      # every measurement once, tiny, through every path: do the commands work?
#
# Four paths: direct (client straight to the origin), HAProxy, nginx, Gatehouse. Every measurement runs the
# paths in the order direct, HAProxy, nginx, Gatehouse, then once more in reverse order (Gatehouse, nginx,
# HAProxy, direct); a cell of the table is the mean of those two passes. Ratios compare Gatehouse with the
# same run's direct path and with the better of HAProxy and nginx.
#
# This script orchestrates: it reads the variables below, starts and stops the processes, runs the
# measurements and records their raw figures (bytes, bits/s, CPU clock ticks, kB, ... into raw.tsv);
# bench/Report.java does the arithmetic and writes the report. The pieces:
#   lib/common.sh          logging, record/problem, the JDK-only helpers (TlsBench, IdleConnections, Figures, Report)
#   lib/processes.sh       processes tracked by PID and stopped by PID, ports, CPU time and PSS from /proc
#   lib/setup.sh           apt-get, the jar, versions, TLS material
#   lib/peers.sh           bench/peers/ templates, the origins, HAProxy, nginx
#   lib/gatehouse.sh       Gatehouse and the lever: start, provision the bench gateway, warm-up
#   lib/measure-*.sh       the measurements (m_* functions), one path and one pass per call
#   Figures.java           figures from the tools' outputs (iperf3 JSON, JFR recordings), free ports
#   Report.java            raw.tsv -> bench/results/<date>.md
#
# Measurements (one function each, see the m_* functions in lib/measure-*.sh). "Proxy CPU" is utime+stime from
# /proc/<pid>/stat (fields 14 and 15), summed over the proxy's processes, read before and after the tool ran.
#   1. m_iperf: iperf3 bulk throughput, -P 1, -P 4 and -R, DURATION s each, to an `iperf3 -s` origin; plus the
#      proxy CPU seconds per GB moved.
#   2. m_sockperf: sockperf ping-pong, 64-byte messages over TCP, to `sockperf sr`: round trip p50 and p99, in
#      three CPU layouts (taskset): as the scheduler places the processes, all on one CPU, the proxy on a CPU of
#      its own.
#   3. m_ab: ab, new connections per second (no keep-alive, AB_REQUESTS requests, AB_CONCURRENCY at once), with
#      a PROXY protocol v1 header on every backend connection; plus proxy CPU µs per connection and the proxy's
#      kernel counters over the run (stime share, context switches of all threads, syscr+syscw of /proc/<pid>/io:
#      kernel_counters in lib/processes.sh). The origin is
#      nginx http with `listen ... proxy_protocol`; "direct" uses a second server block of that nginx without
#      proxy_protocol (ab cannot send the header).
#   3b. m_ab_pp: the cost of the header, as m_ab, through two more routes of each proxy: one sending a PROXY
#      v2 header (HAProxy `send-proxy-v2`, Gatehouse `"gatehouseProxyProtocol": {"version": "V2"}`) to the
#      same proxy_protocol origin, one sending no header to the origin's block without proxy_protocol. nginx's
#      stream module sends only v1, so it has no v2 route ("n/a"); "direct" has only the no-header run. Run
#      with m_ab (ONLY="ab ab_pp") for v2, v1 and no header in one run.
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
#   6. m_alloc: Gatehouse's event-loop heap allocation per MB relayed and per new connection (JFR).
#   7. m_startup: start-up and resident memory of each proxy as it ships, from a second instance of it on ports of
#      its own, started STARTUP_RUNS times per pass: ms from the process's start until its listener accepts a TCP
#      connection, for Gatehouse also until /actuator/health/readiness answers 200, and VmRSS after
#      STARTUP_CONNECTIONS connections (ab) and a DURATION s iperf3 -P 1 through it. Gatehouse is started by
#      bin/gatehouse (the server's JVM flags as shipped; GATEHOUSE_ARGS and LEVER_ARGS on top) on its default H2
#      file database holding the bench gateway (stored by a first, unmeasured start; a second one records
#      bin/gatehouse's archive), then on PostgreSQL when a cluster is there (pg_ctlcluster, as root; started for
#      the run if it is down, and stopped again): without one, the log and the report say that PostgreSQL was not
#      measured. The table shows the median of all starts.
#
# Environment variables (defaults in brackets):
#   DURATION [5]          seconds per iperf3, sockperf and s_time run; the TLS bulk transfer is sized to it
#   CONNECTIONS [5000]    idle connections of the memory measurement
#   AB_REQUESTS [20000]   requests (= connections) per ab run
#   AB_CONCURRENCY [16]   ab -c
#   TLS_CLIENTS [2]       parallel `openssl s_time` processes
#   WARMUP [1]            1: warm Gatehouse's JVM up before measuring (iperf3 3 s, 40,000 connections with ab,
#                         10,000 more with PROXY v2 when ONLY has ab_pp, sockperf 2 s, 2 x s_time 20 s, TLS bulk
#                         2 s, then rounds of 3 s of iperf3, sockperf, ab and s_time at once until the JIT has
#                         settled, at most 12; about 1-2 minutes); 0: don't
#   ONLY [all]            a subset of: iperf sockperf ab ab_pp tls_handshake tls_bulk memory alloc startup
#                         (space separated); a measurement named again runs again ("sockperf sockperf sockperf":
#                         three round-trip cells of two passes each), and the report averages every pass of them
#   STARTUP_RUNS [3]      starts per path and pass of m_startup (per database for Gatehouse)
#   STARTUP_CONNECTIONS [3000]  connections (ab) through each started proxy before its VmRSS is read: the cold rows
#                         (their rate and CPU per connection)
#   GATEHOUSE_JAR [target/gatehouse-0.1.0-SNAPSHOT.jar]  copied to a temp dir first, then run from there
#   RESULTS_DIR [bench/results]
#   PORT_BASE []          the first of consecutive ports to use (about 40, on 127.0.0.1) instead of free ports from
#                         the kernel: for a machine whose users share out port ranges
#   KEEP_WORK [0]         1: keep the temp dir (configs, logs, raw tool output); it is always kept on failure
#   PATHS [direct haproxy nginx gatehouse]  the paths to measure (a lever run: PATHS="direct gatehouse"); the
#                         order stays direct, HAProxy, nginx, Gatehouse, then reversed
#   GATEHOUSE_ARGS []     extra arguments for Gatehouse's JVM and application, e.g.
#                         "-Dio.netty.allocator.type=pooled --gatehouse.dataplane.native-transport=true";
#                         words starting with -D or -X go to the JVM, the others to the application
#   PROFILE [0]           1: record a JFR CPU profile of Gatehouse during each of its cells and log the hot methods
#   LEVER_ARGS []         a second Gatehouse, path "lever", started with GATEHOUSE_ARGS plus these arguments and
#                         measured in the same run (after Gatehouse in each pass): a lever compared on equal terms
#   LEVER_JAR []          the jar the "lever" Gatehouse runs (copied like GATEHOUSE_JAR): a code change against the
#                         jar before it, in one run (LEVER_ARGS may then be empty)
#   LEVER_JAVA []         the java command the "lever" Gatehouse runs with (e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java):
#                         another JDK against the default one, in one run; a JDK's bin/java (not a wrapper script):
#                         the start-up cell runs bin/gatehouse with that JDK as JAVA_HOME
#   LABEL []              a word that names the run in the result file's name and title (e.g. the lever)
#   SMOKE [0]             1: a check that the bench works, not a measurement: the defaults become DURATION=1
#                         CONNECTIONS=200 AB_REQUESTS=500 TLS_CLIENTS=1 WARMUP=0 LABEL=smoke STARTUP_RUNS=1
#                         STARTUP_CONNECTIONS=300
#                         RESULTS_DIR=target/bench-smoke (each can still be set), every measurement through every
#                         path of PATHS; exits with status 3 when a cell has no figure. About 5 minutes.
#   MAVEN_LOCK [/tmp/gatehouse-maven.lock]  the lock (flock) the jar is built under, when it is built
#
# What it installs with apt-get (only what is missing; needs root or sudo): iperf3 sockperf apache2-utils nginx
# libnginx-mod-stream haproxy openssl curl iproute2. A JDK 17 (java, javac, jcmd) must be there already. The jar
# is built when there is none (./mvnw -Dmaven.test.skip=true -Dcodegen.skip=true package: tests are neither
# compiled nor run), and the default jar is built again when pom.xml or a file under src/main is newer than it; a
# GATEHOUSE_JAR given is used as it is.
#
# Gatehouse is started as
#     java -Xms256m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch -jar <copy of the jar> --server.port=<api> --server.address=127.0.0.1
#          --spring.datasource.url=jdbc:h2:mem:bench --gatehouse.dataplane.threads=2 --logging.level.root=WARN
#          --logging.level.dev.gatehouse.dataplane.tls.TlsContexts=INFO
# i.e. a fixed 256-512 MB heap with the throughput collector, 2 event-loop threads, the default transport (io_uring,
# NIO where the kernel refuses it), access log off (the default), WARN logging except the one start-up line naming the
# TLS provider. It gets one gateway (bench/peers/gatehouse-gateway.json) with seven listeners, created with a PUT (Prefer: wait=10).
# HAProxy (bench/peers/haproxy-l4.cfg) runs with nbthread 2, nginx (bench/peers/nginx-l4.conf) with
# worker_processes 2; neither logs. The configs are templates: @NAME@ is replaced by this script. (The start-up
# measurement, 7., starts instances of its own, as they ship.)
#
# Everything this script starts is recorded by PID (with its start time) and stopped by PID on exit.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$REPO/bench
for lib in common processes setup peers gatehouse measure-tcp measure-tls measure-memory measure-jfr measure-startup; do
  # shellcheck source=/dev/null
  source "$BENCH/lib/$lib.sh"
done

SMOKE=${SMOKE:-0}
if [[ $SMOKE == 1 ]]; then
  DURATION=${DURATION:-1} CONNECTIONS=${CONNECTIONS:-200} AB_REQUESTS=${AB_REQUESTS:-500}
  TLS_CLIENTS=${TLS_CLIENTS:-1} WARMUP=${WARMUP:-0} LABEL=${LABEL:-smoke}
  STARTUP_RUNS=${STARTUP_RUNS:-1} STARTUP_CONNECTIONS=${STARTUP_CONNECTIONS:-300}
  RESULTS_DIR=${RESULTS_DIR:-$REPO/target/bench-smoke}
fi
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-5000}
AB_REQUESTS=${AB_REQUESTS:-20000}
AB_CONCURRENCY=${AB_CONCURRENCY:-16}
TLS_CLIENTS=${TLS_CLIENTS:-2}
WARMUP=${WARMUP:-1}
STARTUP_RUNS=${STARTUP_RUNS:-3}
STARTUP_CONNECTIONS=${STARTUP_CONNECTIONS:-3000}
ALL_MEASUREMENTS="iperf sockperf ab ab_pp tls_handshake tls_bulk memory alloc startup"
ONLY=${ONLY:-$ALL_MEASUREMENTS}
JAR_GIVEN=${GATEHOUSE_JAR:+1}
GATEHOUSE_JAR=${GATEHOUSE_JAR:-$REPO/target/gatehouse-0.1.0-SNAPSHOT.jar}
RESULTS_DIR=${RESULTS_DIR:-$BENCH/results}
KEEP_WORK=${KEEP_WORK:-0}
MAVEN_LOCK=${MAVEN_LOCK:-/tmp/gatehouse-maven.lock}
GATEHOUSE_JVM_FLAGS=(-Xms256m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch)
PFX_PASSWORD=bench-changeit
SUBSCRIPTION=00000000-0000-0000-0000-000000000000
GW_ID=/subscriptions/$SUBSCRIPTION/resourceGroups/bench/providers/Microsoft.Network/applicationGateways/bench
ROUTES="iperf sockperf http http_v2 http_plain tls hold"
PATHS=${PATHS:-direct haproxy nginx gatehouse}
GATEHOUSE_ARGS=${GATEHOUSE_ARGS:-}
LABEL=${LABEL:-}
LEVER_ARGS=${LEVER_ARGS:-}
LEVER_JAR=${LEVER_JAR:-}
LEVER_JAVA=${LEVER_JAVA:-}
[[ -z $LEVER_ARGS && -z $LEVER_JAR && -z $LEVER_JAVA || " $PATHS " == *" lever "* ]] || PATHS+=" lever"
PATHS_FORWARD=()
for path in direct haproxy nginx gatehouse lever; do
  if [[ " $PATHS " == *" $path "* ]]; then PATHS_FORWARD+=("$path"); fi
done
PATHS_REVERSE=()
for ((i = ${#PATHS_FORWARD[@]} - 1; i >= 0; i--)); do PATHS_REVERSE+=("${PATHS_FORWARD[$i]}"); done
[[ " ${PATHS_FORWARD[*]} " == *" gatehouse "* ]] || die "PATHS must include gatehouse"
for v in DURATION CONNECTIONS AB_REQUESTS AB_CONCURRENCY TLS_CLIENTS STARTUP_RUNS STARTUP_CONNECTIONS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"
done
for m in $ONLY; do
  [[ " $ALL_MEASUREMENTS " == *" $m "* ]] || die "unknown measurement in ONLY: $m"
done

WORK=""
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------- measuring
run_one() { # function path pass: one cell; a failure is a problem of that cell only
  local rc profiling=0
  log "$1 via $2 (pass $3)"
  if [[ $1 != m_alloc ]] && profile_start "$2"; then profiling=1; fi
  set +e
  (set -e; "$@")
  rc=$?
  set -e
  ((profiling == 0)) || profile_stop "$2" "$WORK/raw/profile-${1#m_}-$2-$3"
  ((rc == 0)) || problem "$1 via $2 pass $3 stopped with status $rc"
  stop_tracked s_time
  stop_tracked idle-client
}

run_measurement() { # function: every path forward (pass 1), then in reverse (pass 2)
  local path
  for path in "${PATHS_FORWARD[@]}"; do run_one "$1" "$path" 1; done
  for path in "${PATHS_REVERSE[@]}"; do run_one "$1" "$path" 2; done
}

# ---------------------------------------------------------------------------------------------- setup
install_missing
check_tools
if [[ ! -f $GATEHOUSE_JAR ]]; then
  build_jar "no Gatehouse jar at $GATEHOUSE_JAR"
elif [[ -z $JAR_GIVEN && -n $(cd "$REPO" && find pom.xml src/main -newer "$GATEHOUSE_JAR" -print -quit) ]]; then
  build_jar "the sources are newer than $GATEHOUSE_JAR"
fi

WORK=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
mkdir -p "$WORK/raw" "$WORK/nginx-origin-tmp" "$WORK/nginx-l4-prefix" "$WORK/nginx-origin-prefix" "$WORK/classes"
: >"$WORK/pids"
: >"$WORK/raw.tsv"
: >"$WORK/problems.txt"
log "temp dir: $WORK"
compile_helpers
copy_jar "$GATEHOUSE_JAR" "$WORK/gatehouse.jar"
open_files_limit
CLK_TCK=$(getconf CLK_TCK)
write_versions
tls_material
allocate_ports

# ---------------------------------------------------------------------------------------------- processes
nginx_directives
start_origins
log "starting HAProxy, nginx and Gatehouse"
start_haproxy
start_nginx
start_gatehouses
wait_peers
provision gatehouse "$API_PORT"
[[ -z $LEVER_PID ]] || provision lever "$LEVER_API_PORT"
{
  echo "haproxy: nbthread 2; nginx: worker_processes 2 (+ master); gatehouse: ${GATEHOUSE_JVM_FLAGS[*]}, dataplane.threads=2${GATEHOUSE_ARGS:+, $GATEHOUSE_ARGS}"
  [[ -z $LEVER_PID ]] || echo "lever: Gatehouse as above${LEVER_JAR:+, from the lever jar}${LEVER_JAVA:+, on $LEVER_JAVA}${LEVER_ARGS:+, plus $LEVER_ARGS}"
} >>"$WORK/versions.txt"

PG_JDBC_URL=""
[[ " $ONLY " != *" startup "* ]] || prepare_postgres

if [[ $WARMUP == 1 ]]; then
  for path in gatehouse ${LEVER_PID:+lever}; do warm_up "$path"; done
fi

# ---------------------------------------------------------------------------------------------- measure
for m in $ONLY; do run_measurement "m_$m"; done

# ---------------------------------------------------------------------------------------------- report
mkdir -p "$RESULTS_DIR"
RESULT_FILE=$RESULTS_DIR/$(date -u +%Y-%m-%dT%H%MZ)${LABEL:+-$LABEL}.md
COMMAND="DURATION=$DURATION CONNECTIONS=$CONNECTIONS AB_REQUESTS=$AB_REQUESTS AB_CONCURRENCY=$AB_CONCURRENCY TLS_CLIENTS=$TLS_CLIENTS STARTUP_RUNS=$STARTUP_RUNS STARTUP_CONNECTIONS=$STARTUP_CONNECTIONS"
[[ $SMOKE != 1 ]] || COMMAND="SMOKE=1 $COMMAND"
[[ $ONLY == "$ALL_MEASUREMENTS" ]] || COMMAND+=" ONLY=\"$ONLY\""
[[ ${PATHS% lever} == "direct haproxy nginx gatehouse" ]] || COMMAND+=" PATHS=\"${PATHS% lever}\""
[[ -z $GATEHOUSE_ARGS ]] || COMMAND+=" GATEHOUSE_ARGS=\"$GATEHOUSE_ARGS\""
[[ -z $LEVER_ARGS ]] || COMMAND+=" LEVER_ARGS=\"$LEVER_ARGS\""
[[ -z $LEVER_JAR ]] || COMMAND+=" LEVER_JAR=$LEVER_JAR"
[[ -z $LEVER_JAVA ]] || COMMAND+=" LEVER_JAVA=$LEVER_JAVA"
[[ -z $LABEL ]] || COMMAND+=" LABEL=$LABEL"
COMMAND+=" bash bench/run.sh"
report_args=(--raw="$WORK/raw.tsv" --versions="$WORK/versions.txt" --problems="$WORK/problems.txt"
  --out="$RESULT_FILE" --command="$COMMAND" --duration="$DURATION" --connections="$CONNECTIONS"
  --ab-requests="$AB_REQUESTS" --ab-concurrency="$AB_CONCURRENCY" --tls-clients="$TLS_CLIENTS" --clk-tck="$CLK_TCK"
  --startup-runs="$STARTUP_RUNS" --startup-connections="$STARTUP_CONNECTIONS")
# the smoke run checks that every cell has its figures (Report exits with status 3 otherwise)
[[ $SMOKE != 1 ]] || report_args+=(--expect-only="$ONLY" --expect-paths="${PATHS_FORWARD[*]}")
report_rc=0
helper Report "${report_args[@]}" || report_rc=$?
if [[ -s $WORK/problems.txt ]]; then
  log "there were problems (listed in $RESULT_FILE):"
  cat "$WORK/problems.txt" >&2
fi
exit "$report_rc"
