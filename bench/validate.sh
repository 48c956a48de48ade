#!/usr/bin/env bash
# Times `bin/image-builder validate` on generated templates of 200, 1000 and 5000 node templates.
# Each size is run RUNS times (default 5) as a whole process, JVM start-up included; the median is reported,
# with the cost per node between sizes to show how it grows.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
sizes=${SIZES:-"200 1000 5000"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "validate: median of $runs runs, wall time including JVM start-up"
printf '%-8s %-10s %-12s\n' nodes seconds "ms/node"
prev_n=0 prev_t=0
for n in $sizes; do
  python3 bench/gen-topology.py "$n" > "$work/t$n.yaml"
  bin/image-builder validate "$work/t$n.yaml" >/dev/null   # warm the page cache
  times=()
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    bin/image-builder validate "$work/t$n.yaml" >/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  t=$(printf '%s\n' "${times[@]}" | median)
  if [ "$prev_n" -gt 0 ]; then
    marginal=$(echo "($t - $prev_t) * 1000 / ($n - $prev_n)" | bc -l)
  else
    marginal=$(echo "$t * 1000 / $n" | bc -l)
  fi
  printf '%-8s %-10.3f %-12.4f\n' "$n" "$t" "$marginal"
  prev_n=$n prev_t=$t
done
