# Sourced by bench/run.sh: TLS termination, ECDSA P-256 certificate, TLS 1.3 with TLS_AES_128_GCM_SHA256, a
# plaintext TCP sink behind. "direct" TLS is terminated by the JDK (TlsBench tls-sink). One path, one pass per
# call, in a subshell (see measure-tcp.sh).

# New handshakes: TLS_CLIENTS parallel `openssl s_time -new` for DURATION s; records the handshakes, the
# wall-clock nanoseconds and the proxy's CPU clock ticks (Report: handshakes/s, µs per handshake).
m_tls_handshake() {
  local path=$1 pass=$2 port=${PORT[tls|$1]} i pids=() t0 t1 total=0 n ok=1 ppids c0 c1
  ppids=$(proxy_pids "$path")
  c0=$(cpu_ticks $ppids)
  t0=$(now_ns)
  for i in $(seq 1 "$TLS_CLIENTS"); do
    openssl s_time -connect "127.0.0.1:$port" -new -time "$DURATION" -tls1_3 \
      -ciphersuites TLS_AES_128_GCM_SHA256 >"$WORK/raw/s_time-$path-$pass-$i.txt" 2>&1 &
    pids+=($!)
    track "$!" "s_time"
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || ok=0; done
  t1=$(now_ns)
  c1=$(cpu_ticks $ppids)
  for i in $(seq 1 "$TLS_CLIENTS"); do
    n=$(awk '/connections in .* real seconds/ {print $1}' "$WORK/raw/s_time-$path-$pass-$i.txt")
    [[ -n $n ]] || { problem "s_time $i via $path pass $pass: $(tail -c 300 "$WORK/raw/s_time-$path-$pass-$i.txt")"; return 1; }
    total=$((total + n))
  done
  ((ok)) || problem "s_time via $path pass $pass exited non-zero (see raw/s_time-$path-$pass-*.txt)"
  record tls_hs_count "$path" "$pass" "$total"
  record tls_hs_ns "$path" "$pass" "$((t1 - t0))"
  [[ $path == direct ]] || record cpu_hs_ticks "$path" "$pass" "$((c1 - c0))"
}

# Bulk: bench/TlsBench.java sends about DURATION s of data; it prints Gbit/s.
m_tls_bulk() {
  local path=$1 pass=$2 port=${PORT[tls|$1]} f=$WORK/raw/tls-bulk-$1-$2.txt gbps
  helper TlsBench bulk 127.0.0.1 "$port" "$DURATION" >"$f" 2>&1 ||
    { problem "TLS bulk via $path pass $pass failed: $(tail -c 300 "$f")"; return 1; }
  gbps=$(sed -n 's/.*gbps=\([0-9.]*\).*/\1/p' "$f")
  [[ -n $gbps ]] || { problem "TLS bulk via $path pass $pass: no result in its output"; return 1; }
  record tls_bulk "$path" "$pass" "$gbps"
}
