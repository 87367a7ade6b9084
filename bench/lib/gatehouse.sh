# Sourced by bench/run.sh: Gatehouse (and the "lever" Gatehouse): start, provision the bench gateway, warm up.

start_gatehouse() { # name api-port jar args...: sets LAST_PID; -D and -X words go to the JVM
  local name=$1 api=$2 jar=$3 jvm=() app=() word
  shift 3
  for word in "$@"; do
    if [[ $word == -D* || $word == -X* ]]; then jvm+=("$word"); else app+=("$word"); fi
  done
  local java_bin=java
  [[ $name != lever || -z ${LEVER_JAVA:-} ]] || java_bin=$LEVER_JAVA
  start_bg "$name" "$WORK" "$java_bin" "${GATEHOUSE_JVM_FLAGS[@]}" "${jvm[@]}" -jar "$jar" \
    --server.port="$api" --server.address=127.0.0.1 --spring.datasource.url="jdbc:h2:mem:$name" \
    --gatehouse.restore.directory="$WORK/$name-last-applied" \
    --gatehouse.dataplane.threads=2 --logging.level.root=WARN \
    --logging.level.dev.gatehouse.dataplane.tls.TlsContexts=INFO \
    --logging.level.dev.gatehouse.dataplane.proxy.NettyDataPlane=INFO "${app[@]}"
}

start_gatehouses() { # sets GATEHOUSE_PID and LEVER_PID (empty without a lever)
  # word splitting on purpose: GATEHOUSE_ARGS and LEVER_ARGS are lists of arguments without spaces inside
  # shellcheck disable=SC2086
  start_gatehouse gatehouse "$API_PORT" "$WORK/gatehouse.jar" $GATEHOUSE_ARGS
  GATEHOUSE_PID=$LAST_PID
  LEVER_PID=""
  if [[ -n $LEVER_ARGS || -n $LEVER_JAR || -n ${LEVER_JAVA:-} ]]; then
    local lever_jar=$WORK/gatehouse.jar
    if [[ -n $LEVER_JAR ]]; then
      copy_jar "$LEVER_JAR" "$WORK/lever.jar"
      lever_jar=$WORK/lever.jar
      echo "lever jar: $(basename "$LEVER_JAR") built $(date -u -r "$LEVER_JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$lever_jar" | cut -c1-12)..." >>"$WORK/versions.txt"
    fi
    # shellcheck disable=SC2086
    [[ -z ${LEVER_JAVA:-} ]] || echo "lever java: $("$LEVER_JAVA" -version 2>&1 | head -n 1)" >>"$WORK/versions.txt"
    start_gatehouse lever "$LEVER_API_PORT" "$lever_jar" $GATEHOUSE_ARGS $LEVER_ARGS
    LEVER_PID=$LAST_PID
  fi
}

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
  st=$(figures json-field "$out" properties.provisioningState || true)
  deadline=$((SECONDS + 60))
  while [[ $st == Updating || $st == Creating ]] && ((SECONDS < deadline)); do
    sleep 1
    curl -s -o "$out" "$url"
    st=$(figures json-field "$out" properties.provisioningState || true)
  done
  [[ $st == Succeeded ]] || die "$path: gateway PUT answered HTTP $code, provisioningState '$st': $(head -c 2000 "$out")"
  log "$path: gateway provisioned (HTTP $code, Succeeded)"
  for route in $ROUTES; do
    wait_listening "${PORT[$route|$path]}" 30 "$pid" || die "$path is not listening on its $route port"
  done
  grep -m1 'TLS provider' "$WORK/$path.log" | sed "s/.*TLS provider/$path TLS provider/" >>"$WORK/versions.txt" || true
  grep -m1 'Data plane started' "$WORK/$path.log" | sed "s/.*Data plane started/$path data plane/" >>"$WORK/versions.txt" || true
}

warm_up() { # gatehouse|lever: untimed traffic of every kind, then all kinds at once until the JIT has settled
  local path=$1 i p warm=() pid round quiet=0 before spent
  pid=$(gh_pid "$path")
  log "warming $path up (untimed)"
  # The per-connection code runs once per connection: C2 compiles it after some 10,000 connections, so the
  # warm-up makes 40,000 (measured: a cold JVM made about a third of the warm rate in its first 5,000).
  iperf3 -c 127.0.0.1 -p "${PORT[iperf|$path]}" -t 3 -P 2 >"$WORK/raw/warmup-$path-iperf.txt" 2>&1 || problem "warm-up iperf3 failed"
  ab -q -r -n 40000 -c "$AB_CONCURRENCY" "http://127.0.0.1:${PORT[http|$path]}/" \
    >"$WORK/raw/warmup-$path-ab.txt" 2>&1 || problem "warm-up ab failed"
  # the v2 header's own code (the rest is the same as above), when ab_pp is measured
  if [[ " $ONLY " == *" ab_pp "* ]]; then
    ab -q -r -n 10000 -c "$AB_CONCURRENCY" "http://127.0.0.1:${PORT[http_v2|$path]}/" \
      >"$WORK/raw/warmup-$path-ab-v2.txt" 2>&1 || problem "warm-up ab (PROXY v2) failed"
  fi
  sockperf pp --tcp -m 64 -t 2 -i 127.0.0.1 -p "${PORT[sockperf|$path]}" >"$WORK/raw/warmup-$path-sockperf.txt" 2>&1 ||
    problem "warm-up sockperf failed"
  # The handshake path runs a few times per handshake: C2 compiled its largest methods (SslHandler.wrap, the
  # engine's unwrap) after some 20,000 handshakes, so 2 clients for 20 s (-Xlog:jit+compilation, 2026-12-04).
  for i in 1 2; do
    openssl s_time -connect "127.0.0.1:${PORT[tls|$path]}" -new -time 20 -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 \
      >"$WORK/raw/warmup-$path-s_time-$i.txt" 2>&1 &
    warm+=($!)
  done
  for p in "${warm[@]}"; do wait "$p" || problem "warm-up s_time failed"; done
  helper TlsBench bulk 127.0.0.1 "${PORT[tls|$path]}" 2 >"$WORK/raw/warmup-$path-tls-bulk.txt" 2>&1 || problem "warm-up TLS bulk failed"
  # Last, every kind at once in rounds of 3 s: the profile the JIT holds when measuring starts is the mix, not
  # whichever kind ran last alone (code shared by all, compiled while only TLS bulk ran, would be recompiled in the
  # next cell). Rounds go on until the JIT has settled: two rounds in a row in which the compiler threads used under
  # 5 % of a core (150 ms of CPU in 3 s), at most 12 rounds; a cell measured while C2 still compiles the path it
  # measures pays for the compilation (a first TLS pass ran at 0.73x the rate of the passes after it).
  for ((round = 1; round <= 12 && quiet < 2; round++)); do
    before=$(compiler_ticks "$pid")
    mixed_round "$path"
    spent=$(( ($(compiler_ticks "$pid") - before) * 1000 / CLK_TCK ))
    if ((spent < 150)); then quiet=$((quiet + 1)); else quiet=0; fi
    log "  warm-up round $round: the JIT used $spent ms of CPU"
  done
  echo "$path warm-up: $((round - 1)) mixed rounds of 3 s, the JIT's CPU in the last $spent ms" >>"$WORK/versions.txt"
}

compiler_ticks() { # pid: CPU ticks (utime+stime) of the JVM's JIT compiler threads so far
  local t stat f sum=0
  for t in /proc/"$1"/task/*; do
    read -r stat 2>/dev/null <"$t/stat" || continue # a thread that ended meanwhile
    [[ $stat == *"(C1 CompilerThre)"* || $stat == *"(C2 CompilerThre)"* ]] || continue
    read -ra f <<<"${stat##*) }" # after the name, which has a space: f[11] is utime, f[12] stime
    sum=$((sum + f[11] + f[12]))
  done
  echo "$sum"
}

mixed_round() { # gatehouse|lever: every kind of traffic at once for 3 s
  local path=$1 p warm=()
  iperf3 -c 127.0.0.1 -p "${PORT[iperf|$path]}" -t 3 -P 1 >"$WORK/raw/warmup-$path-mixed-iperf.txt" 2>&1 &
  warm+=($!)
  sockperf pp --tcp -m 64 -t 3 -i 127.0.0.1 -p "${PORT[sockperf|$path]}" >"$WORK/raw/warmup-$path-mixed-sockperf.txt" 2>&1 &
  warm+=($!)
  ab -q -r -t 3 -n 1000000 -c "$AB_CONCURRENCY" "http://127.0.0.1:${PORT[http|$path]}/" \
    >"$WORK/raw/warmup-$path-mixed-ab.txt" 2>&1 &
  warm+=($!)
  if [[ " $ONLY " == *" ab_pp "* ]]; then
    ab -q -r -t 3 -n 1000000 -c 4 "http://127.0.0.1:${PORT[http_v2|$path]}/" >"$WORK/raw/warmup-$path-mixed-ab-v2.txt" 2>&1 &
    warm+=($!)
  fi
  openssl s_time -connect "127.0.0.1:${PORT[tls|$path]}" -new -time 3 -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 \
    >"$WORK/raw/warmup-$path-mixed-s_time.txt" 2>&1 &
  warm+=($!)
  for p in "${warm[@]}"; do wait "$p" || problem "warm-up mixed traffic: a client failed"; done
}
