# Sourced by bench/run.sh: the processes it starts (tracked by PID and start time, stopped by PID), ports,
# and what is read from /proc about them (CPU time, PSS).

# Every background process is recorded as "pid starttime name" in $WORK/pids, so that it is stopped by PID
# and a recycled PID is never hit. Subshells (the measurements) append to the same file.
proc_stat() { # pid: sets STAT to the fields of /proc/<pid>/stat after "pid (comm) " (STAT[0] is field 3, the state)
  local s
  { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
  read -r -a STAT <<<"${s##*) }"
}

start_time() { # pid: field 22 of /proc/<pid>/stat, or the given default
  local STAT
  if proc_stat "$1" 2>/dev/null; then echo "${STAT[19]}"; else echo "$2"; fi
}

track() { # pid name
  echo "$1 $(start_time "$1" 0) $2" >>"$WORK/pids"
}

alive() { # pid starttime
  local STAT
  proc_stat "$1" 2>/dev/null || return 1
  [[ ${STAT[19]} == "$2" && ${STAT[0]} != Z ]]
}

stop_tracked() { # [name-prefix [seconds]]: stop what is recorded (all when no prefix), newest first; KILL after 10 s
  [[ -n $WORK && -f $WORK/pids ]] || return 0
  local prefix=${1:-} patience=${2:-10} pid st name left=()
  while read -r pid st name; do
    [[ -z $prefix || $name == "$prefix"* ]] || continue
    if alive "$pid" "$st"; then
      kill -TERM "$pid" 2>/dev/null || true
      left+=("$pid:$st")
    fi
  done < <(tac "$WORK/pids")
  local i p
  for i in $(seq 1 $((patience * 10))); do
    local still=()
    for p in "${left[@]}"; do alive "${p%%:*}" "${p##*:}" && still+=("$p"); done
    ((${#still[@]})) || break
    left=("${still[@]}")
    sleep 0.1
  done
  for p in "${left[@]}"; do
    if alive "${p%%:*}" "${p##*:}"; then
      log "process ${p%%:*} did not stop on TERM within $patience s: KILL"
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

cleanup() { # the EXIT trap: stops everything, removes the temp dir unless it failed or KEEP_WORK=1
  local rc=$?
  trap - EXIT INT TERM
  set +e # stop everything, whatever fails on the way
  if [[ -n $WORK ]]; then
    stop_tracked
    stop_postgres
    if ((rc != 0)) || [[ $KEEP_WORK == 1 ]]; then
      log "temp dir kept (logs, configs, raw tool output): $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$rc"
}

wait_listening() { # port seconds [pid]: waits until something listens on 127.0.0.1:port (without connecting)
  local port=$1 deadline=$((SECONDS + $2)) pid=${3:-}
  until [[ -n $(ss -Hltn "sport = :$port" 2>/dev/null) ]]; do
    ((SECONDS < deadline)) || return 1
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
}

allocate_ports() { # Free ports, from the kernel (PORT_BASE: consecutive ones from there): sets API_PORT, LEVER_API_PORT, the origins' O_* and PORT[route|path]
  local P i path route
  local routes=($ROUTES) n
  n=$((9 + 4 * ${#routes[@]})) # the API, 7 origins, each proxy's routes, the lever's API
  if [[ -n ${PORT_BASE:-} ]]; then
    read -r -a P <<<"$(seq -s ' ' "$PORT_BASE" $((PORT_BASE + n - 1)))"
  else
    read -r -a P <<<"$(figures free-ports "$n")"
  fi
  ((${#P[@]} == n)) || die "could not get $n free ports"
  API_PORT=${P[0]} O_IPERF=${P[1]} O_SOCK=${P[2]} O_HTTP_PP=${P[3]} O_HTTP_PLAIN=${P[4]} O_SINK=${P[5]}
  O_TLS_DIRECT=${P[6]} O_HOLD=${P[7]} LEVER_API_PORT=${P[n - 1]}
  # direct has no http_v2 route (ab cannot send a header); its http and http_plain are the origin without it
  declare -gA PORT=(
    [iperf|direct]=$O_IPERF [sockperf|direct]=$O_SOCK [http|direct]=$O_HTTP_PLAIN [http_plain|direct]=$O_HTTP_PLAIN
    [tls|direct]=$O_TLS_DIRECT [hold|direct]=$O_HOLD
  )
  i=8
  for path in haproxy nginx gatehouse lever; do
    for route in $ROUTES; do
      PORT[$route|$path]=${P[$i]}
      i=$((i + 1))
    done
  done
}

# utime+stime in clock ticks, summed over the given PIDs (fields 14 and 15 of /proc/<pid>/stat)
cpu_ticks() {
  local sum=0 p STAT
  for p in "$@"; do
    proc_stat "$p"
    sum=$((sum + STAT[11] + STAT[12]))
  done
  echo "$sum"
}

# "<stime ticks> <syscr+syscw> <voluntary> <involuntary context switches>", summed over the given PIDs and, for
# the switches, over every thread. syscr/syscw (/proc/<pid>/io) count read(2)/readv(2) and write(2)/writev(2)
# only, not recv/send/recvfrom/sendto/sendmsg (which HAProxy and nginx use): comparable between Gatehouse runs,
# not across proxies.
kernel_counters() {
  local st=0 rw=0 vol=0 invol=0 p STAT a
  for p in "$@"; do
    proc_stat "$p"
    st=$((st + STAT[12]))
    a=$(awk '/^syscr:|^syscw:/ {n += $2} END {print n + 0}' "/proc/$p/io" 2>/dev/null || echo 0)
    rw=$((rw + a))
    read -r a b < <(cat /proc/"$p"/task/*/status 2>/dev/null |
      awk '/^voluntary_ctxt_switches:/ {v += $2} /^nonvoluntary_ctxt_switches:/ {n += $2} END {print v + 0, n + 0}')
    vol=$((vol + a))
    invol=$((invol + b))
  done
  echo "$st $rw $vol $invol"
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

pin() { # cpus pid...: every thread of each process onto those CPUs (taskset -a)
  local cpus=$1 p
  shift
  for p in "$@"; do taskset -a -p -c "$cpus" "$p" >/dev/null || return 1; done
}

proxy_pids() { # path: the proxy's processes (nginx: master and workers)
  case $1 in
    haproxy) echo "$HAPROXY_PID" ;;
    nginx) echo "$NGINX_PID" $(ps -o pid= --ppid "$NGINX_PID") ;;
    gatehouse | lever) gh_pid "$1" ;;
    *) echo "" ;;
  esac
}
