#!/usr/bin/env bash
# Times `bin/image-builder validate` on generated templates of 200 to 50,000 node templates.
# Each size is run as a whole process, JVM start-up included, RUNS times (default 5; sizes of 50,000 nodes and more
# LARGE_RUNS times, by default RUNS when it is set and 3 otherwise, as one such run takes seconds). The median wall
# time is reported, with the cost per node between sizes to show how it grows, and the median peak resident memory of
# the process.
#   SIZES="1000 5000" RUNS=9 bench/validate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${RUNS:-5}
large_runs=${LARGE_RUNS:-${RUNS:-3}}
sizes=${SIZES:-"200 1000 5000 10000 20000 50000"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests


# Runs validate once; prints its wall time in seconds and its peak resident memory in KiB.
# bin/image-builder execs the JVM, so the process measured is the JVM itself.
measure() {
  local start end rss
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$work/rss" bin/image-builder validate "$1" >/dev/null
    end=$(date +%s.%N)
    rss=$(tail -n 1 "$work/rss")
  else
    # no GNU time: the kernel's high-water mark, read until the process is gone (it only grows)
    bin/image-builder validate "$1" >/dev/null &
    local pid=$! hwm
    rss=0
    while hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$hwm" ]; do
      rss=$hwm
      sleep 0.02
    done
    wait "$pid"
    end=$(date +%s.%N)
  fi
  echo "$(echo "$end - $start" | bc -l) $rss"
}

echo "validate: median of $runs runs ($large_runs from 50000 nodes), wall time including JVM start-up"
printf '%-8s %-10s %-12s %-10s\n' nodes seconds "ms/node" "peak MiB"
prev_n=0 prev_t=0
for n in $sizes; do
  python3 bench/gen-topology.py "$n" > "$work/t$n.yaml"
  bin/image-builder validate "$work/t$n.yaml" >/dev/null   # warm the page cache
  count=$runs
  [ "$n" -lt 50000 ] || count=$large_runs
  : > "$work/runs"
  for _ in $(seq "$count"); do
    measure "$work/t$n.yaml" >> "$work/runs"
  done
  t=$(awk '{print $1}' "$work/runs" | median)
  rss=$(awk '{print $2}' "$work/runs" | median)
  if [ "$prev_n" -gt 0 ]; then
    marginal=$(echo "($t - $prev_t) * 1000 / ($n - $prev_n)" | bc -l)
  else
    marginal=$(echo "$t * 1000 / $n" | bc -l)
  fi
  printf '%-8s %-10.3f %-12.4f %-10.0f\n' "$n" "$t" "$marginal" "$(echo "$rss / 1024" | bc -l)"
  prev_n=$n prev_t=$t
done
