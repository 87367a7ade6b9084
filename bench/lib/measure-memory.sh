# Sourced by bench/run.sh: memory per idle proxied connection. PSS (/proc/<pid>/smaps_rollup, summed over the
# proxy's processes) while CONNECTIONS idle connections go through the proxy (bench/IdleConnections.java opens
# and holds them; its server mode is the origin), against PSS before the first pass. Not measured for "direct".
# One path, one pass per call, in a subshell (see measure-tcp.sh).

hold_count() { cat "$WORK/hold-count" 2>/dev/null || echo -1; }

wait_hold_count() { # n seconds
  local deadline=$((SECONDS + $2))
  until [[ $(hold_count) == "$1" ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

live_heap_kb() { # gatehouse|lever: the live heap in kB (GC.class_histogram runs a full GC first, then totals)
  local bytes
  bytes=$(jcmd "$(gh_pid "$1")" GC.class_histogram | awk '$1 == "Total" {print $3}')
  [[ $bytes =~ ^[0-9]+$ ]] || return 1
  echo $((bytes / 1024))
}

# Records per pass: PSS and Pss_Anon before and after (kB), the baseline they are measured against (the
# footprint before the first pass), and for Gatehouse its live heap before and after (kB). Report: the growth
# (plus the heap's growth) divided by CONNECTIONS.
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
  record mem_pss_base_kb "$path" "$pass" "$base"
  record mem_anon_base_kb "$path" "$pass" "$base_anon"
  # Gatehouse: its heap is touched before the measurement (-XX:+AlwaysPreTouch), so Java objects do not show in
  # PSS; their share is the live heap after a full GC (GC.class_histogram), added to the PSS growth.
  record mem_heap_before_kb "$path" "$pass" "$heap_before"
  record mem_heap_after_kb "$path" "$pass" "$heap_after"
}
