# Sourced by bench/run.sh: what JFR sees inside Gatehouse (Gatehouse and lever only).

# Allocation by Gatehouse's event loops while they relay: bytes allocated during iperf3 -P 1 and during one ab
# run, from jdk.ThreadAllocationStatistics (exact per-thread counters, read when the recording starts and
# stops), with the bytes iperf3 moved (Report: bytes per MB relayed and per new connection); the top allocation
# sites from jdk.ObjectAllocationSample go to the log. One path, one pass per call, in a subshell.
m_alloc() {
  local path=$1 pass=$2 f bytes pid allocated what
  [[ $path == gatehouse || $path == lever ]] || return 0
  pid=$(gh_pid "$path")
  for what in iperf ab; do
    f=$WORK/raw/alloc-$what-$path-$pass
    jcmd "$pid" JFR.start name=bench-alloc settings=profile >"$f.jcmd" 2>&1 ||
      { problem "alloc: JFR.start failed: $(tail -c 300 "$f.jcmd")"; return 1; }
    if [[ $what == iperf ]]; then
      iperf3 -c 127.0.0.1 -p "${PORT[iperf|$path]}" -t "$DURATION" -P 1 -J >"$f.json" 2>&1 ||
        { problem "alloc: iperf3 failed: $(head -c 300 "$f.json")"; jcmd "$pid" JFR.stop name=bench-alloc >/dev/null 2>&1; return 1; }
    else
      ab -q -r -s 10 -n "$AB_REQUESTS" -c "$AB_CONCURRENCY" "http://127.0.0.1:${PORT[http|$path]}/" >"$f.txt" 2>&1 ||
        { problem "alloc: ab failed: $(tail -c 300 "$f.txt")"; jcmd "$pid" JFR.stop name=bench-alloc >/dev/null 2>&1; return 1; }
    fi
    jcmd "$pid" JFR.stop name=bench-alloc filename="$f.jfr" >>"$f.jcmd" 2>&1 ||
      { problem "alloc: JFR.stop failed: $(tail -c 300 "$f.jcmd")"; return 1; }
    allocated=$(figures alloc "$f.jfr" "$f.top.txt" 2>"$f.err") ||
      { problem "alloc ($what) via $path pass $pass: $(tail -c 300 "$f.err")"; return 1; }
    if [[ $what == iperf ]]; then
      read -r _ bytes <<<"$(figures iperf3 "$f.json")"
      [[ -n $bytes ]] || { problem "alloc: no figures in iperf3's output $f.json"; return 1; }
      record alloc_iperf_allocated "$path" "$pass" "$allocated"
      record alloc_iperf_bytes "$path" "$pass" "$bytes"
    else
      record alloc_ab_allocated "$path" "$pass" "$allocated"
    fi
    log "  top allocation sites on the event loops ($what):"
    sed 's/^/      /' "$f.top.txt" >&2
  done
}

# PROFILE=1: a JFR recording (settings=profile) around each Gatehouse cell; the hottest methods (self time, and
# with their two callers) from jdk.ExecutionSample go to the log and to raw/profile-<cell>.txt.
profile_start() { # path: 0 when a recording started
  [[ ${PROFILE:-0} == 1 && ($1 == gatehouse || $1 == lever) ]] &&
    jcmd "$(gh_pid "$1")" JFR.start name=bench-profile settings=profile >/dev/null 2>&1
}

profile_stop() { # path file-prefix
  if jcmd "$(gh_pid "$1")" JFR.stop name=bench-profile filename="$2.jfr" >/dev/null 2>&1; then
    figures profile "$2.jfr" "$2.txt" && sed 's/^/      /' "$2.txt" >&2
  fi
}
