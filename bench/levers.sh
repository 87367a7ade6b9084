#!/usr/bin/env bash
# The data-plane levers of docs/benchmarks.md. Each lever is a second Gatehouse ("lever") measured in the same
# run as the default one, right after it in each pass, with direct as the reference: on a shared machine
# figures move between runs by more than most levers do, so a lever is only compared within one run.
#
#     bash bench/levers.sh                 # every lever below
#     bash bench/levers.sh epoll adaptive  # some of them
#
# Each run writes bench/results/<date>-<lever>.md; its "lever ÷ Gatehouse" column is the lever's effect.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A ARGS=(
  [epoll]="--gatehouse.dataplane.native-transport=true"
  [nio]="--gatehouse.dataplane.io-uring=false"
  [adaptive]="--gatehouse.dataplane.pooled-allocator=false"
  [acceptperloop]="--gatehouse.dataplane.accept-per-event-loop=true"
  [watermark256k]="--gatehouse.dataplane.write-buffer-high-water-mark=256KB"
  [jdktls]="--gatehouse.dataplane.open-ssl=false"
  # the server's JVM options as shipped (bin/gatehouse) instead of the bench's fixed, pre-touched 256-512 MB
  # heap with the parallel collector: what the bounded heap costs the data plane
  [shippedjvm]="-XX:-UseParallelGC -XX:+UseSerialGC -XX:-AlwaysPreTouch -Xms32m -Xmx256m -XX:MaxDirectMemorySize=128m"
)
declare -A ONLY_FOR=(
  [jdktls]="tls_handshake tls_bulk"
  [shippedjvm]="iperf sockperf ab"
)
ORDER=(epoll nio adaptive acceptperloop watermark256k jdktls shippedjvm)
levers=("$@")
((${#levers[@]})) || levers=("${ORDER[@]}")
for lever in "${levers[@]}"; do
  [[ -v ARGS[$lever] ]] || { echo "unknown lever '$lever' (known: ${ORDER[*]})" >&2; exit 2; }
done
for lever in "${levers[@]}"; do
  echo "=== lever $lever: ${ARGS[$lever]}" >&2
  PATHS="direct gatehouse" ONLY="${ONLY_FOR[$lever]:-iperf sockperf ab alloc}" LEVER_ARGS="${ARGS[$lever]}" LABEL="$lever" \
    bash bench/run.sh
done
