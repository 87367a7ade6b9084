# Sourced by bench/run.sh: start-up and resident memory, each proxy started as it ships. One path, one pass per
# call, in a subshell (see measure-tcp.sh).
#
# Per path (not direct): a second instance of the proxy, with the bench's routes on ports of its own, is started
# STARTUP_RUNS times. Each start records the ms from just before the process starts until the listener of the
# http route accepts a TCP connection, for Gatehouse also the ms until /actuator/health/readiness answers 200,
# and VmRSS (/proc/<pid>/status; nginx: master plus workers) after STARTUP_CONNECTIONS connections (ab) and a
# DURATION s bulk transfer (iperf3 -P 1) through it; on H2 (and for the peers) also the rate of those first
# connections and the CPU they cost (cold). Report: the median of every start of both passes.
#
# Gatehouse runs as bin/gatehouse runs the server (its JVM flags; GATEHOUSE_ARGS and the lever's arguments on
# top; a cache directory of its own per path and database, so the archive a PostgreSQL start maps was recorded by a
# PostgreSQL start, not by the H2 one), with its default H2 file database (./data under its working directory)
# holding the bench gateway, which a first, unmeasured start stored with a PUT. Then the same on PostgreSQL when
# prepare_postgres found one.

# Called once by run.sh before the measurements: a database per Gatehouse path on the local PostgreSQL cluster
# (started with pg_ctlcluster when it is down, and stopped again by stop_postgres). Sets PG_JDBC_URL (the URL
# without the database name), empty when there is no PostgreSQL to use: that is said in the log and the report.
prepare_postgres() {
  PG_JDBC_URL="" PG_STARTED_VERSION=""
  local why="" version port path
  if ! command -v pg_ctlcluster >/dev/null || ! command -v pg_lsclusters >/dev/null; then
    why="no PostgreSQL server (pg_ctlcluster)"
  elif ((EUID != 0)); then
    why="not root: cannot create the bench databases as the postgres user"
  fi
  if [[ -z $why ]]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    if ! pg_lsclusters -h | grep -q " online"; then
      if pg_ctlcluster "$version" main start >"$WORK/postgres-start.log" 2>&1; then
        PG_STARTED_VERSION=$version
      else
        why="pg_ctlcluster $version main start failed: $(tail -c 200 "$WORK/postgres-start.log")"
      fi
    fi
  fi
  if [[ -z $why ]]; then
    port=$(pg_lsclusters -h | awk '$4 == "online" {print $3; exit}')
    {
      echo "DROP DATABASE IF EXISTS gatehouse_bench_gatehouse;"
      echo "DROP DATABASE IF EXISTS gatehouse_bench_lever;"
      echo "DROP ROLE IF EXISTS gatehouse_bench;"
      echo "CREATE ROLE gatehouse_bench LOGIN PASSWORD 'gatehouse_bench';"
      for path in gatehouse lever; do echo "CREATE DATABASE gatehouse_bench_$path OWNER gatehouse_bench;"; done
    } | su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >"$WORK/postgres-setup.log" 2>&1 ||
      why="creating the bench databases failed: $(tail -c 200 "$WORK/postgres-setup.log")"
  fi
  if [[ -n $why ]]; then
    log "WARNING: start-up on PostgreSQL is NOT measured: $why"
    echo "postgresql: start-up on PostgreSQL not measured: $why" >>"$WORK/versions.txt"
    return 0
  fi
  PG_JDBC_URL=jdbc:postgresql://127.0.0.1:$port/
  echo "postgresql: $(su postgres -c "psql -p $port -tAc 'select version()'" | cut -d, -f1) (start-up only)" >>"$WORK/versions.txt"
}

stop_postgres() { # the cluster, when prepare_postgres started it
  [[ -z ${PG_STARTED_VERSION:-} ]] || pg_ctlcluster "$PG_STARTED_VERSION" main stop >/dev/null 2>&1 || true
}

m_startup() {
  local path=$1 pass=$2 db run dbs=(h2)
  [[ $path != direct ]] || return 0
  startup_ports "$path"
  if [[ $path == gatehouse || $path == lever ]]; then
    [[ -z $PG_JDBC_URL ]] || dbs+=(pg)
  else
    startup_peer_config "$path"
  fi
  for db in "${dbs[@]}"; do
    [[ $path != gatehouse && $path != lever ]] || startup_store_gateway "$path" "$db"
    for run in $(seq 1 "$STARTUP_RUNS"); do startup_once "$path" "$pass" "$db" "$run"; done
  done
}

startup_ports() { # path: PORT[<route>|start-<path>] and START_API, chosen on the first call and kept in a file
  local f=$WORK/startup/$1.ports P route i=1 routes=($ROUTES)
  mkdir -p "$WORK/startup"
  [[ -s $f ]] || figures free-ports $((${#routes[@]} + 1)) >"$f"
  read -r -a P <"$f"
  START_API=${P[0]}
  for route in $ROUTES; do
    PORT[$route|start-$1]=${P[$i]}
    i=$((i + 1))
  done
  route_ports "start-$1"
}

startup_peer_config() { # haproxy|nginx: its bench config on the start-up ports, in a directory of its own
  local dir=$WORK/startup/$1
  [[ ! -d $dir ]] || return 0
  mkdir -p "$dir/prefix"
  if [[ $1 == haproxy ]]; then
    render "$BENCH/peers/haproxy-l4.cfg" "$dir/haproxy.cfg"
  else
    (WORK=$dir && render "$BENCH/peers/nginx-l4.conf" "$dir/nginx.conf")
  fi
}

startup_argv() { # path db: sets SARGV to the command that starts the proxy in its directory
  local dir=$WORK/startup/$1 word jvm=() app=() jar=$WORK/gatehouse.jar java_home
  case $1 in
    haproxy) SARGV=(haproxy -db -f "$dir/haproxy.cfg") ;;
    nginx) SARGV=(nginx -p "$dir/prefix" -e "$dir/nginx-l4-error.log" -c "$dir/nginx.conf") ;;
    *)
      [[ $1 != lever || ! -f $WORK/lever.jar ]] || jar=$WORK/lever.jar
      # word splitting on purpose, as in start_gatehouses
      # shellcheck disable=SC2086
      for word in $GATEHOUSE_ARGS $([[ $1 != lever ]] || echo "$LEVER_ARGS"); do
        if [[ $word == -D* || $word == -X* ]]; then jvm+=("$word"); else app+=("$word"); fi
      done
      [[ $2 != pg ]] || app+=(--spring.datasource.url="${PG_JDBC_URL}gatehouse_bench_$1"
        --spring.datasource.username=gatehouse_bench --spring.datasource.password=gatehouse_bench)
      # bin/gatehouse runs JAVA_HOME's java: the java of the other cells (the first on PATH), or LEVER_JAVA's
      java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
      [[ $1 != lever || -z ${LEVER_JAVA:-} ]] || java_home=$(dirname "$(dirname "$(readlink -f "$LEVER_JAVA")")")
      # A LEVER_JAVA that is a wrapper script has no JDK around it: this cell would run another java without a word.
      [[ -f $java_home/release ]] ||
        die "start-up via $1: $java_home is not a JDK (no release file); LEVER_JAVA must be a JDK's bin/java"
      # Each installation (path and database) has bin/gatehouse's cache of its own, as a host running one would: the
      # class-data archive is recorded by that installation's own start, with its database driver's classes.
      SARGV=(env JAVA_HOME="$java_home" GATEHOUSE_JAR="$jar" GATEHOUSE_JAVA_OPTS="${jvm[*]}"
        GATEHOUSE_CACHE_DIR="$WORK/startup/cache-$1-$2" "$REPO/bin/gatehouse"
        --server.port="$START_API" --server.address=127.0.0.1 "${app[@]}")
      ;;
  esac
}

# Gatehouse: the first start on an empty database stores the bench gateway (PUT, Prefer: wait=10), and a second
# start records bin/gatehouse's class-data archive (it records on a cache's second start, operations.md); neither is
# measured.
startup_store_gateway() { # path db
  local path=$1 db=$2 dir=$WORK/startup/$1-$2 SARGV out code st
  [[ ! -f $dir/stored ]] || return 0
  mkdir -p "$dir"
  render "$BENCH/peers/gatehouse-gateway.json" "$dir/gateway.json"
  startup_argv "$path" "$db"
  startup_until_ready "$path" "$db" "$dir" first || return 1
  out=$dir/put-response.json
  code=$(curl -s -o "$out" -w '%{http_code}' -X PUT "http://127.0.0.1:$START_API$GW_ID?api-version=2025-03-01" \
    -H 'Content-Type: application/json' -H 'Prefer: wait=10' --data @"$dir/gateway.json")
  st=$(figures json-field "$out" properties.provisioningState || true)
  stop_tracked "startup-$path" 90
  [[ $st == Succeeded ]] ||
    { problem "start-up ($db) via $path: storing the gateway answered HTTP $code, provisioningState '$st'"; return 1; }
  startup_until_ready "$path" "$db" "$dir" second || return 1
  # The start that records is a run like the measured ones, as the second start of an installation would be in
  # production: the same connections and bulk transfer go through it, so the archive (and on JDK 25 the AOT cache's
  # method profiles, JEP 515) holds the data plane's classes and profiles, not the control plane's alone.
  startup_ab "$path" "$db" "$dir/recording" "(recording start)"
  startup_iperf "$path" "$db" "$dir/recording" "(recording start)"
  # Up to 90 s: the start that records writes bin/gatehouse's class-data archive when it exits.
  stop_tracked "startup-$path" 90
  touch "$dir/stored"
}

startup_until_ready() { # path db dir which: starts SARGV in dir (unmeasured) and waits until readiness answers 200
  local path=$1 db=$2 dir=$3 which=$4 pid deadline=$((SECONDS + 300))
  start_bg "startup-$path" "$dir" "${SARGV[@]}"
  pid=$LAST_PID
  until curl -sf -o /dev/null "http://127.0.0.1:$START_API/actuator/health/readiness"; do
    kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)) ||
      { problem "start-up ($db) via $path: the $which start did not get ready: $(tail -c 300 "$WORK/startup-$path.log")"; return 1; }
    sleep 0.5
  done
}

accepts() { # port: whether a TCP connection to 127.0.0.1:port is accepted (bash's /dev/tcp, no process started)
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  exec 3>&-
}

rss_kb() { # pids...: VmRSS summed
  local sum=0 p kb
  for p in "$@"; do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null) || kb=0
    sum=$((sum + ${kb:-0}))
  done
  echo "$sum"
}

startup_ab() { # path db file-prefix what: STARTUP_CONNECTIONS connections through the started proxy (ab)
  ab -q -r -s 10 -n "$STARTUP_CONNECTIONS" -c "$AB_CONCURRENCY" "http://127.0.0.1:$P_HTTP/" >"$3-ab.txt" 2>&1 ||
    problem "start-up ($2) via $1 $4: ab failed: $(tail -c 300 "$3-ab.txt")"
}

startup_iperf() { # path db file-prefix what: DURATION s of iperf3 -P 1 through it
  iperf3 -c 127.0.0.1 -p "$P_IPERF" -t "$DURATION" -P 1 >"$3-iperf.txt" 2>&1 ||
    problem "start-up ($2) via $1 $4: iperf3 failed: $(tail -c 300 "$3-iperf.txt")"
}

startup_once() { # path pass db run: one measured start
  local path=$1 pass=$2 db=$3 run=$4 dir=$WORK/startup/$1 SARGV t0 c0 c1 rps pid accept="" api="" started=$SECONDS pids f
  local prefix=start j0 j1
  [[ $path != gatehouse && $path != lever ]] || dir=$WORK/startup/$path-$db
  [[ $db == h2 ]] || prefix=start_$db
  startup_argv "$path" "$db"
  f=$WORK/raw/startup-$path-$db-$pass-$run
  t0=$(now_ns)
  start_bg "startup-$path" "$dir" "${SARGV[@]}"
  pid=$LAST_PID
  while [[ -z $accept || (-z $api && ($path == gatehouse || $path == lever)) ]]; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS - started > 300)); then
      problem "start-up ($db) via $path pass $pass run $run: no listener or no API after $((SECONDS - started)) s: $(tail -c 300 "$WORK/startup-$path.log")"
      stop_tracked "startup-$path" 90
      return 1
    fi
    if [[ -z $accept ]] && accepts "$P_HTTP"; then accept=$((($(now_ns) - t0) / 1000000)); fi
    if [[ -z $api && ($path == gatehouse || $path == lever) ]] &&
       curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$START_API/actuator/health/readiness"; then
      api=$((($(now_ns) - t0) / 1000000))
    fi
    sleep 0.01
  done
  pids=$pid
  [[ $path != nginx ]] || pids="$pid $(ps -o pid= --ppid "$pid")"
  # The first connections after the start are the cold ones (issue #16): their rate and the CPU they cost, on the
  # route of the ab cell (PROXY v1 to the nginx origin), before anything else has gone through the process.
  # For Gatehouse also the part of that CPU its JIT's compiler threads used (bin/gatehouse execs java: pid is the JVM;
  # a peer has no such threads, so its count stays 0 and is not recorded).
  # shellcheck disable=SC2086
  c0=$(cpu_ticks $pids)
  j0=$(compiler_ticks "$pid")
  startup_ab "$path" "$db" "$f" "pass $pass run $run"
  # shellcheck disable=SC2086
  c1=$(cpu_ticks $pids)
  j1=$(compiler_ticks "$pid")
  rps=$(awk '/^Requests per second:/ {print $4}' "$f-ab.txt")
  if [[ $db == h2 && -n $rps ]]; then
    record "start_cps_run" "$path" "$pass.$run" "$rps"
    record "start_cpu_cps_run" "$path" "$pass.$run" \
      "$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$STARTUP_CONNECTIONS" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')"
    [[ $path != gatehouse && $path != lever ]] ||
      record "start_jit_cps_run" "$path" "$pass.$run" "$(((j1 - j0) * 100 / (c1 > c0 ? c1 - c0 : 1)))"
  fi
  startup_iperf "$path" "$db" "$f" "pass $pass run $run"
  sleep 1
  # shellcheck disable=SC2086
  record "${prefix}_rss_kb_run" "$path" "$pass.$run" "$(rss_kb $pids)"
  record "${prefix}_accept_ms_run" "$path" "$pass.$run" "$accept"
  [[ -z $api ]] || record "${prefix}_api_ms_run" "$path" "$pass.$run" "$api"
  stop_tracked "startup-$path" 90
}
