# Sourced by bench/run.sh: the tools, the jar, the environment written into the report, the TLS material.

install_missing() { # with apt-get, only what is missing
  local pkgs=()
  command -v iperf3 >/dev/null || pkgs+=(iperf3)
  command -v sockperf >/dev/null || pkgs+=(sockperf)
  command -v ab >/dev/null || pkgs+=(apache2-utils)
  command -v haproxy >/dev/null || pkgs+=(haproxy)
  command -v openssl >/dev/null || pkgs+=(openssl)
  command -v curl >/dev/null || pkgs+=(curl)
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

check_tools() {
  local t
  for t in java javac jcmd iperf3 sockperf ab nginx haproxy openssl curl ss taskset; do
    command -v "$t" >/dev/null || die "$t is missing (java/javac/jcmd: install a JDK 17)"
  done
  (($(nproc) >= 2)) || die "the round-trip cell's layouts need two CPUs, this machine has $(nproc)"
}

stream_module_path() {
  local f
  for f in /usr/lib/nginx/modules/ngx_stream_module.so /usr/lib64/nginx/modules/ngx_stream_module.so \
           /usr/share/nginx/modules/ngx_stream_module.so /etc/nginx/modules/ngx_stream_module.so; do
    [[ -f $f ]] && { echo "$f"; return 0; }
  done
  return 0
}

# The jar, when there is none or the sources are newer ($1 says which): tests are neither compiled nor run (-Dmaven.test.skip=true), and the client the
# tests use is not generated (-Dcodegen.skip=true). Under the shared Maven lock when flock is there.
build_jar() {
  local cmd=(./mvnw -q -B -Dmaven.test.skip=true -Dcodegen.skip=true package) lock=()
  command -v flock >/dev/null && lock=(flock "$MAVEN_LOCK")
  log "$1: building it (${lock[*]}${lock:+ }${cmd[*]})"
  (cd "$REPO" && "${lock[@]}" "${cmd[@]}") >&2 || die "the build failed"
}

copy_jar() { # jar copy: the jar is rebuilt by Maven at any moment, so copy it and check the copy is a whole zip
  local attempt
  for attempt in 1 2 3 4 5 6; do
    cp "$1" "$2"
    figures jar-ok "$2" 2>/dev/null && return 0
    ((attempt < 6)) || die "$1 is not a complete jar (being rebuilt?); try again later"
    log "the jar copy is incomplete (a build is writing it?); retrying in 5 s"
    sleep 5
  done
}

open_files_limit() { # sets NOFILE, MAXCONN, WORKER_CONNECTIONS
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  NOFILE=$(ulimit -n)
  ((CONNECTIONS * 2 + 500 <= NOFILE)) ||
    die "CONNECTIONS=$CONNECTIONS needs an open-files limit of at least $((CONNECTIONS * 2 + 500)) (ulimit -n is $NOFILE)"
  MAXCONN=$(((NOFILE - 200) / 2))
  WORKER_CONNECTIONS=$((NOFILE - 200))
}

write_versions() { # the machine and the versions, at the top of the report
  local jar_sha jar_mtime git_rev
  jar_sha=$(sha256sum "$WORK/gatehouse.jar" | cut -c1-12)
  jar_mtime=$(date -u -r "$GATEHOUSE_JAR" +%Y-%m-%dT%H:%M:%SZ)
  git_rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$REPO" diff --quiet HEAD -- src pom.xml 2>/dev/null || git_rev="$git_rev (+ uncommitted changes)"
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
    echo "gatehouse: $(basename "$GATEHOUSE_JAR") built $jar_mtime, sha256 $jar_sha..., repository at $git_rev"
  } >"$WORK/versions.txt"
  cat "$WORK/versions.txt" >&2
}

tls_material() { # ECDSA P-256, self-signed; PEM for HAProxy and nginx, PKCS#12 for Gatehouse and the JDK sink
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
}
