# Sourced by bench/run.sh: the plain TCP measurements. Each m_* function measures one path in one pass; it runs
# in a subshell with set -e, so a failure costs that cell only (it is listed under "Problems"). It records raw
# figures (see record); bench/Report.java derives the table's figures from them.

# iperf3 bulk throughput, -P 1, -P 4 and -R, DURATION s each: bits/s and bytes received (end.sum_received of
# iperf3 -J), and the proxy's CPU clock ticks over the run (Report: Gbit/s, proxy CPU s per GB).
m_iperf() {
  local path=$1 pass=$2 port=${PORT[iperf|$1]} mode args f pids t0 t1 attempt done_modes=()
  for mode in p1 p4 r; do
    case $mode in p1) args=(-P 1) ;; p4) args=(-P 4) ;; r) args=(-P 1 -R) ;; esac
    f=$WORK/raw/iperf-$mode-$path-$pass.json
    pids=$(proxy_pids "$path")
    for attempt in 1 2; do
      t0=$(cpu_ticks $pids)
      if iperf3 -c 127.0.0.1 -p "$port" -t "$DURATION" "${args[@]}" -J >"$f" 2>&1; then break; fi
      if ((attempt == 2)); then
        problem "iperf3 $mode via $path pass $pass failed: $(head -c 300 "$f")"
        record_iperf "$path" "$pass" "${done_modes[@]}"
        return 1
      fi
      sleep 1
    done
    t1=$(cpu_ticks $pids)
    done_modes+=("$mode:$((t1 - t0))")
  done
  record_iperf "$path" "$pass" "${done_modes[@]}"
}

record_iperf() { # path pass mode:ticks...: the figures of the iperf3 runs that completed
  local path=$1 pass=$2 out i mode bps bytes
  shift 2
  (($#)) || return 0
  local files=() modes=()
  for i in "$@"; do
    modes+=("$i")
    files+=("$WORK/raw/iperf-${i%%:*}-$path-$pass.json")
  done
  out=$(figures iperf3 "${files[@]}") || { problem "iperf3 via $path pass $pass: no figures in its JSON output"; return 1; }
  i=0
  while read -r bps bytes; do
    mode=${modes[$i]%%:*}
    record "iperf_${mode}_bps" "$path" "$pass" "$bps"
    record "iperf_${mode}_bytes" "$path" "$pass" "$bytes"
    [[ $path == direct ]] || record "cpu_${mode}_ticks" "$path" "$pass" "${modes[$i]##*:}"
    i=$((i + 1))
  done <<<"$out"
}

# sockperf ping-pong, 64-byte messages over TCP, to `sockperf sr`: round trip p50 and p99 in µs, in three CPU
# layouts (Report's footnote 8, decision (bn)): as the scheduler places the processes (rt_*); everything on CPU 0
# (rt1_*: the proxy's work per message, no hop waits for another CPU to wake); the proxy alone on CPU 1, sockperf's
# client and server on CPU 0 (rto_*: every hop into and out of the proxy crosses CPUs, as for a proxy with CPUs of
# its own). Pass 2 runs the layouts in the opposite order.
m_sockperf() {
  local path=$1 pass=$2 layout layouts=(free one own) failed=0
  ((pass == 1)) || layouts=(own one free)
  for layout in "${layouts[@]}"; do
    rt_cell "$path" "$pass" "$layout" || failed=1
  done
  return "$failed"
}

rt_cell() { # path pass free|one|own
  local path=$1 pass=$2 layout=$3 port=${PORT[sockperf|$1]} f=$WORK/raw/sockperf-$3-$1-$2.txt metric procs rc=0
  local client=() all="0-$(($(nproc) - 1))"
  procs=$(proxy_pids "$path")
  case $layout in
    free) metric=rt ;;
    one) metric=rt1 client=(taskset -c 0) && pin 0 "$SOCKPERF_PID" $procs ;;
    own) metric=rto client=(taskset -c 0) && pin 0 "$SOCKPERF_PID" && pin 1 $procs ;;
  esac || {
    pin "$all" "$SOCKPERF_PID" $procs
    problem "sockperf ($layout) via $path pass $pass: the processes could not be pinned (taskset)"
    return 1
  }
  "${client[@]}" sockperf pp --tcp -m 64 -t "$DURATION" -i 127.0.0.1 -p "$port" >"$f" 2>&1 || rc=$?
  [[ $layout == free ]] || pin "$all" "$SOCKPERF_PID" $procs
  ((rc == 0)) || { problem "sockperf ($layout) via $path pass $pass failed: $(tail -c 300 "$f")"; return 1; }
  local p50 p99
  p50=$(sed 's/\x1b\[[0-9;]*m//g' "$f" | awk '/percentile 50.000 =/ {print $NF}')
  p99=$(sed 's/\x1b\[[0-9;]*m//g' "$f" | awk '/percentile 99.000 =/ {print $NF}')
  [[ -n $p50 && -n $p99 ]] ||
    { problem "sockperf ($layout) via $path pass $pass: no percentiles in its output"; return 1; }
  record "${metric}_p50" "$path" "$pass" "$p50"
  record "${metric}_p99" "$path" "$pass" "$p99"
}

# ab, new connections per second (no keep-alive, AB_REQUESTS requests, AB_CONCURRENCY at once), with a PROXY v1
# header on every backend connection; and the proxy's CPU clock ticks (Report: µs per connection).
m_ab() {
  ab_cell "$1" "$2" "${PORT[http|$1]}" "$1" cps
}

# The cost of the header: as m_ab, through the route sending a PROXY v2 header (to the same proxy_protocol
# origin) and through the route sending none (to the origin's block without proxy_protocol). nginx's stream
# module sends v1 only, and ab cannot send a header: nginx and direct have the no-header run only. Pass 2 runs
# the two in the opposite order.
m_ab_pp() {
  local path=$1 pass=$2 kind kinds=(v2 none)
  ((pass == 1)) || kinds=(none v2)
  for kind in "${kinds[@]}"; do
    case $kind in
      v2) [[ $path == direct || $path == nginx ]] || ab_cell "$path" "$pass" "${PORT[http_v2|$path]}" "v2-$path" cps_v2 ;;
      none) ab_cell "$path" "$pass" "${PORT[http_plain|$path]}" "none-$path" cps_none ;;
    esac
  done
}

ab_cell() { # path pass port file-name metric: one ab run; records <metric> and, for a proxy, <metric>_cpu_ticks
  local path=$1 pass=$2 port=$3 f=$WORK/raw/ab-$4-$2.txt metric=$5 pids t0 t1 k0 k1
  pids=$(proxy_pids "$path")
  t0=$(cpu_ticks $pids)
  k0=($(kernel_counters $pids))
  ab -q -r -s 10 -n "$AB_REQUESTS" -c "$AB_CONCURRENCY" "http://127.0.0.1:$port/" >"$f" 2>&1 ||
    { problem "ab ($metric) via $path pass $pass failed: $(tail -c 300 "$f")"; return 1; }
  t1=$(cpu_ticks $pids)
  k1=($(kernel_counters $pids))
  local rps failed non2xx
  rps=$(awk '/^Requests per second:/ {print $4}' "$f")
  failed=$(awk '/^Failed requests:/ {print $3}' "$f")
  non2xx=$(awk '/^Non-2xx responses:/ {print $3}' "$f")
  [[ -n $rps ]] || { problem "ab ($metric) via $path pass $pass: no 'Requests per second' in its output"; return 1; }
  if [[ ${failed:-0} != 0 || -n $non2xx ]]; then
    problem "ab ($metric) via $path pass $pass: Failed requests: ${failed:-?}, Non-2xx responses: ${non2xx:-0}"
  fi
  record "$metric" "$path" "$pass" "$rps"
  [[ $path == direct ]] || {
    record "cpu_${metric}_ticks" "$path" "$pass" "$((t1 - t0))"
    record "stime_${metric}_ticks" "$path" "$pass" "$((k1[0] - k0[0]))"
    record "rw_${metric}_calls" "$path" "$pass" "$((k1[1] - k0[1]))"
    record "vcs_${metric}_count" "$path" "$pass" "$((k1[2] - k0[2]))"
    record "ics_${metric}_count" "$path" "$pass" "$((k1[3] - k0[3]))"
  }
}
