#!/usr/bin/env bash
# Records the Docker image's AOT cache (JEP 483/514/515) from a start that serves traffic, as an installation's
# own recording start does (bin/gatehouse, decision (bj)); docs/operations.md, "Docker"; decision (bm).
#   deploy/docker/train-aot.sh <jar> <cache>
# <jar> is the extracted jar (java -Djarmode=tools ... extract --layers, its lib/ beside it), <cache> the file the
# cache is written to. Runs the java on PATH (JAVA: another) with the caller's JAVA_TOOL_OPTIONS, which must be the
# ones the cache will be used with (a JVM with other options ignores it). Needs only bash and the JDK's keytool:
# the image's JRE has both, no curl, no client tools.
#  1. A first start on a scratch database migrates it and is not recorded: an ordinary restart does not build Flyway
#     (decision (bc)), so its classes have no place in the cache.
#  2. The recorded start applies a training gateway on loopback whose listeners chain into the start's own API:
#     a PROXY v1 header sent by one listener and read by another ("in front"), and a TLS handshake made by the
#     backend side of one listener and answered by a Tls listener; TRAIN_CONNECTIONS (2,000) HTTP/1.0 requests go
#     through each chain, from bash's /dev/tcp. SIGTERM then stops it as docker stop would, and the JVM writes the
#     cache as it exits, with the data plane's classes and their profiles.
#  3. A check start maps the cache with -XX:AOTMode=on (a cache it cannot use is an error, not a silent cold start)
#     and sends one connection through each chain: the data plane's relay, PROXY and TLS classes must come from the
#     cache, and at most 200 classes from the jars or the JDK's modules.
# Ports on 127.0.0.1: TRAIN_PORTS, five numbers (the API, then the listeners pp, inbound, tls and tls-client),
# 18080 to 18084 unless set.
set -euo pipefail
jar=${1:?usage: train-aot.sh <jar> <cache>}
cache=${2:?usage: train-aot.sh <jar> <cache>}
java=${JAVA:-java}
keytool=$(dirname "$(command -v "$java")")/keytool
connections=${TRAIN_CONNECTIONS:-2000}
read -r api pp inbound tls tls_client <<<"${TRAIN_PORTS:-18080 18081 18082 18083 18084}"
work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-training.XXXXXX")
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
say() { echo "train-aot: $*" >&2; }
args=(--server.port="$api" --server.address=127.0.0.1
  --spring.datasource.url="jdbc:h2:file:$work/db/gatehouse;DB_CLOSE_ON_EXIT=FALSE"
  --gatehouse.restore.directory="$work/last-applied")

# One HTTP/1.0 exchange with 127.0.0.1:<port>; prints the whole answer. bash's /dev/tcp, no process per call.
http() { # port method path [body]
  local answer=""
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  if [ $# -ge 4 ]; then
    printf '%s %s HTTP/1.0\r\nHost: training\r\nContent-Type: application/json\r\nContent-Length: %s\r\n\r\n%s' \
      "$2" "$3" "${#4}" "$4" >&3
  else
    printf '%s %s HTTP/1.0\r\nHost: training\r\n\r\n' "$2" "$3" >&3
  fi
  IFS= read -r -d '' -u 3 answer || true
  exec 3<&-
  printf '%s' "$answer"
}
# Through a listener to the API's liveness: the answer must be the API's, relayed whole.
through() { # port
  case "$(http "$1" GET /actuator/health/liveness)" in
    *'"status":"UP"'*) ;;
    *) say "no answer through 127.0.0.1:$1"; return 1 ;;
  esac
}
ready() { # seconds: until the API answers readiness
  local i
  for ((i = 0; i < $1 * 10; i++)); do
    case "$(http "$api" GET /actuator/health/readiness 2>/dev/null || true)" in *'"status":"UP"'*) return 0 ;; esac
    kill -0 "$server" 2>/dev/null || { say "the server exited before it was ready"; return 1; }
    sleep 0.1
  done
  say "the API was not ready within $1 s"
  return 1
}
stop() { # SIGTERM, as docker stop; waits for the exit (and the cache written on it)
  kill -TERM "$server"
  wait "$server" || true
  server=""
}

# The training certificate: EC P-256, for the name the backend side verifies.
"$keytool" -genkeypair -alias training -keyalg EC -groupname secp256r1 -dname CN=training -ext SAN=dns:training \
  -validity 2 -storetype PKCS12 -keystore "$work/training.p12" -storepass training -keypass training 2>/dev/null
"$keytool" -exportcert -alias training -keystore "$work/training.p12" -storepass training -rfc \
  -file "$work/training.pem" 2>/dev/null
pfx=$(base64 -w0 <"$work/training.p12")
root=$(base64 -w0 <"$work/training.pem")
id=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/training/providers/Microsoft.Network/applicationGateways/training
ref() { printf '{"id":"%s/%s"}' "$id" "$1"; }
port() { printf '{"name":"%s","properties":{"port":%s}}' "$1" "$2"; }
listener() { # name protocol extra-properties
  printf '{"name":"%s","properties":{"protocol":"%s","frontendIPConfiguration":%s,"frontendPort":%s%s}}' \
    "$1" "$2" "$(ref frontendIPConfigurations/loopback)" "$(ref "frontendPorts/$1")" "$3"
}
pool() { printf '{"name":"%s","properties":{"backendAddresses":[{"ipAddress":"127.0.0.1"}]}}' "$1"; }
rule() { # name priority listener pool settings
  printf '{"name":"%s","properties":{"ruleType":"Basic","priority":%s,"listener":%s,"backendAddressPool":%s,"backendSettings":%s}}' \
    "$1" "$2" "$(ref "listeners/$3")" "$(ref "backendAddressPools/$4")" "$(ref "backendSettingsCollection/$5")"
}
# pp (Tcp) sends a PROXY v1 header to inbound (Tcp, reads it) -> the API; tls-client (Tcp) speaks TLS to tls
# (Tls, terminates) -> the API.
gateway=$(
  cat <<EOF
{"location":"training","properties":{
 "sslCertificates":[{"name":"training","properties":{"data":"$pfx","password":"training"}}],
 "trustedRootCertificates":[{"name":"training","properties":{"data":"$root"}}],
 "frontendIPConfigurations":[{"name":"loopback","properties":{"privateIPAddress":"127.0.0.1"}}],
 "frontendPorts":[$(port pp $pp),$(port inbound $inbound),$(port tls $tls),$(port tls-client $tls_client)],
 "listeners":[$(listener pp Tcp ''),
  $(listener inbound Tcp ',"gatehouseProxyProtocol":{"trustedSources":["127.0.0.1/32"]}'),
  $(listener tls Tls ",\"sslCertificate\":$(ref sslCertificates/training)"),
  $(listener tls-client Tcp '')],
 "backendAddressPools":[$(pool loopback)],
 "backendSettingsCollection":[
  {"name":"to-inbound","properties":{"protocol":"Tcp","port":$inbound,"enableL4ClientIpPreservation":true}},
  {"name":"to-api","properties":{"protocol":"Tcp","port":$api}},
  {"name":"to-tls","properties":{"protocol":"Tls","port":$tls,"hostName":"training","trustedRootCertificates":[$(ref trustedRootCertificates/training)]}}],
 "routingRules":[$(rule pp 100 pp loopback to-inbound),$(rule inbound 110 inbound loopback to-api),
  $(rule tls 120 tls loopback to-api),$(rule tls-client 130 tls-client loopback to-tls)]}}
EOF
)

say "1/3 a start that migrates the scratch database (not recorded)"
"$java" -Dspring.context.exit=onRefresh -jar "$jar" "${args[@]}" >"$work/migrate.log" 2>&1 ||
  { cat "$work/migrate.log" >&2; exit 1; }

say "2/3 the recorded start: a training gateway and $connections connections through each of its two chains"
"$java" -XX:AOTCacheOutput="$cache" -jar "$jar" "${args[@]}" >"$work/train.log" 2>&1 &
server=$!
ready 120 || { cat "$work/train.log" >&2; exit 1; }
answer=$(http "$api" PUT "$id?api-version=2025-03-01" "$gateway")
state=""
for ((i = 0; i < 300; i++)); do
  state=$(http "$api" GET "$id?api-version=2025-03-01" | grep -o '"provisioningState" *: *"[A-Za-z]*"' | head -1 || true)
  case "$state" in *Succeeded*) break ;; *Failed*) break ;; esac
  sleep 0.1
done
case "$state" in
  *Succeeded*) ;;
  *) say "the training gateway was not applied ($state): ${answer:0:2000}"; exit 1 ;;
esac
for ((i = 0; i < connections; i++)); do
  through "$pp"
  through "$tls_client"
done
stop
[ -s "$cache" ] || { cat "$work/train.log" >&2; say "no cache was written to $cache"; exit 1; }

say "3/3 a start that must map the cache and relay from it"
"$java" -XX:AOTCache="$cache" -XX:AOTMode=on -Xlog:class+load=info:file="$work/classes.log" -jar "$jar" "${args[@]}" \
  >"$work/check.log" 2>&1 &
server=$!
ready 120 || { cat "$work/check.log" >&2; exit 1; }
through "$pp"
through "$tls_client"
stop
for class in dev.gatehouse.dataplane.proxy.RelayHandler dev.gatehouse.dataplane.proxy.InboundProxyHandler \
  io.netty.handler.ssl.SslHandler; do
  grep -q "^.*$class source: shared objects file" "$work/classes.log" ||
    { say "$class did not come from the cache"; exit 1; }
done
# Classes read from the jars or the JDK's modules, not from the cache: about 35 with this cache, about 960 with one
# recorded up to the end of Spring's refresh (decision (bm)). Generated classes (lambdas, proxies) are never in it.
outside=$(grep -Ec 'source: (file|jar|jrt):' "$work/classes.log" || true)
((outside <= 200)) || { say "the check start read $outside classes from the jars (at most 200)"; exit 1; }
say "done: $cache ($(($(stat -c %s "$cache") / 1048576)) MB); the check start read $outside classes from the jars"
