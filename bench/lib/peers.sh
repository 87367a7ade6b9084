# Sourced by bench/run.sh: the configurations of bench/peers/ (templates) and the processes behind them: the
# origins every path ends at, HAProxy and nginx.

render() { # template output: replaces @NAME@ by the value of shell variable NAME
  local text name
  text=$(<"$1")
  for name in $(grep -o '@[A-Z][A-Z0-9_]*@' "$1" | sort -u | tr -d @); do
    [[ -v $name ]] || die "template $1 uses @$name@, which has no value"
    text=${text//@$name@/${!name}}
  done
  printf '%s\n' "$text" >"$2"
}

route_ports() { # path: sets P_IPERF, P_SOCK, P_HTTP, P_TLS, P_HOLD to that path's ports, for render
  local route up
  for route in $ROUTES; do
    up=$(tr a-z A-Z <<<"$route"); [[ $up != SOCKPERF ]] || up=SOCK
    declare -g "P_$up=${PORT[$route|$1]}"
  done
}

nginx_directives() { # sets USER_DIRECTIVE and LOAD_STREAM_MODULE for the nginx templates
  if ((EUID == 0)); then USER_DIRECTIVE="user root;"; else USER_DIRECTIVE=""; fi
  if nginx -V 2>&1 | grep -q -- '--with-stream=dynamic'; then
    local mod
    mod=$(stream_module_path)
    [[ -n $mod ]] || die "nginx's stream module is not installed (apt-get install libnginx-mod-stream)"
    LOAD_STREAM_MODULE="load_module $mod;"
  elif nginx -V 2>&1 | grep -q -- '--with-stream'; then
    LOAD_STREAM_MODULE=""
  else
    die "this nginx has no stream module"
  fi
}

start_origins() { # iperf3 and sockperf servers, the nginx HTTP origin, the TCP and TLS sinks, the idle-connection holder
  log "starting the origins"
  local HARGV p
  start_bg iperf3-origin "$WORK" iperf3 -s -B 127.0.0.1 -p "$O_IPERF"
  start_bg sockperf-origin "$WORK" sockperf sr --tcp -i 127.0.0.1 -p "$O_SOCK"
  SOCKPERF_PID=$LAST_PID
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
}

start_haproxy() { # sets HAPROXY_PID
  route_ports haproxy
  render "$BENCH/peers/haproxy-l4.cfg" "$WORK/haproxy-l4.cfg"
  haproxy -c -q -f "$WORK/haproxy-l4.cfg" || die "HAProxy config rejected"
  start_bg haproxy "$WORK" haproxy -db -f "$WORK/haproxy-l4.cfg"
  HAPROXY_PID=$LAST_PID
}

start_nginx() { # sets NGINX_PID (the master)
  route_ports nginx
  render "$BENCH/peers/nginx-l4.conf" "$WORK/nginx-l4.conf"
  nginx -t -q -p "$WORK/nginx-l4-prefix" -e "$WORK/nginx-l4-error.log" -c "$WORK/nginx-l4.conf" ||
    die "nginx stream config rejected"
  start_bg nginx-l4 "$WORK" nginx -p "$WORK/nginx-l4-prefix" -e "$WORK/nginx-l4-error.log" -c "$WORK/nginx-l4.conf"
  NGINX_PID=$LAST_PID
}

wait_peers() { # until HAProxy and nginx listen on every route (nginx has no http_v2), and nginx has its workers
  local route
  for route in $ROUTES; do
    wait_listening "${PORT[$route|haproxy]}" 30 "$HAPROXY_PID" || die "HAProxy is not listening (log: $WORK/haproxy.log)"
    [[ $route != http_v2 ]] || continue # nginx's stream module sends PROXY v1 only
    wait_listening "${PORT[$route|nginx]}" 30 "$NGINX_PID" || die "nginx is not listening (log: $WORK/nginx-l4-error.log)"
  done
  sleep 0.5
  [[ -n $(ps -o pid= --ppid "$NGINX_PID") ]] || die "nginx has no worker processes"
}
