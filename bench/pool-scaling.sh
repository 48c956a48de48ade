#!/usr/bin/env bash
# Build host pool scaling, in one run:
#   8 image variants whose RUN step waits 2 s (a stand-in for real work; on one machine the loopback hosts share
#   its cores), built and pushed
#     (r) by the raw docker CLI over ssh://, one after another on one host;
#     (1) by bin/image-builder build on one host allowing one build at a time;
#     (2) by bin/image-builder build on two hosts, each allowing one build at a time;
#   then the scheduler's own cost (time spent choosing hosts, as the executor reports it) with 8, 16, 32 and 64
#   cached units on two hosts.
# Every variant has a base of its own and every run a new build argument, so no RUN step comes from a cache.
# Needs the loopback environment: scripts/testenv.sh up.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${RUNS:-3}
testenv=${TESTENV_DIR:-/var/lib/image-builder-testenv}
host1=ssh://root@127.0.0.1:2221
host2=ssh://root@127.0.0.1:2222
registry=127.0.0.1:5000
client=/usr/bin/docker
password_file="$testenv/registry/password"
[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
mkdir -p "$work/context" "$work/docker-config"
export PATH="$testenv/bin:$PATH"   # ssh wrapper with the environment's key and known_hosts
stamp=$(date +%s%N)
docker_on() { DOCKER_HOST=$1 DOCKER_CONFIG="$work/docker-config" DOCKER_BUILDKIT=1 "$client" "${@:2}"; }
docker_on "$host1" login --username builder --password-stdin "$registry" < "$password_file" >/dev/null 2>&1

# bases of their own for up to 64 variants
max_units=64
for i in $(seq 1 "$max_units"); do
  mkdir -p "$work/base-$i"
  # a layer of its own: the cache of a RUN step is keyed by the layers beneath it, not by labels
  printf 'FROM %s/library/busybox:latest\nRUN echo %s-%s > /pool-base\n' "$registry" "$i" "$stamp" > "$work/base-$i/Dockerfile"
  docker_on "$host1" build -q --network none -t "$registry/bench/pool-base:$i" "$work/base-$i" >/dev/null
  docker_on "$host1" push "$registry/bench/pool-base:$i" >/dev/null
done
printf 'ARG BASE=%s/library/busybox:latest\nFROM $BASE\nARG NONCE\nARG SLEEP=2\nRUN echo "$NONCE" > /nonce && sleep "$SLEEP"\n' \
  "$registry" > "$work/context/Dockerfile"

# params FILE N SLEEP NONCE HOSTS...: N variants, each on its own base
write_params() {
  local file=$1 n=$2 sleep=$3 nonce=$4 i
  shift 4
  {
    echo "build_params:"
    echo "  source: {path: $work/context}"
    echo "  build_args: {NONCE: \"$nonce\", SLEEP: \"$sleep\"}"
    echo "  target:"
    echo "    registry: {url: $registry, username: builder}"
    echo "    images:"
    for i in $(seq 1 "$n"); do
      echo "      - {image: bench/pool, tag: v$i, base: $registry/bench/pool-base:$i}"
    done
    echo "docker_host: $1"
    echo "ssh_private_key: $testenv/client_key"
    echo "known_hosts: $testenv/known_hosts"
    echo "build_network: none"
    echo "max_concurrent_builds: 1"
    if [ $# -gt 1 ]; then
      echo "build_hosts:"
      echo "  - {docker_host: $2, ssh_private_key: $testenv/client_key, known_hosts: $testenv/known_hosts, build_network: none, max_concurrent_builds: 1}"
    fi
  } > "$file"
}
ours() { bin/image-builder build --lock-file "$work/image-builder.lock.json" --registry-password-stdin "$1" < "$password_file" 2>&1; }

raw_eight() {
  local nonce=$1 i
  for i in $(seq 1 8); do
    docker_on "$host1" build -q --network none --build-arg "BASE=$registry/bench/pool-base:$i" \
      --build-arg "NONCE=$nonce" -t "$registry/bench/pool:raw$i" "$work/context" >/dev/null
    docker_on "$host1" push "$registry/bench/pool:raw$i" >/dev/null
  done
}

now() { date +%s.%N; }
measure_sleeping() { # KIND -> seconds
  local s e n
  n="run-$(date +%s%N)"   # a build argument no earlier run used, so that every RUN step really runs
  case $1 in
    raw) s=$(now); raw_eight "$n"; e=$(now) ;;
    one) write_params "$work/p.yaml" 8 2 "$n" "$host1"; s=$(now); ours "$work/p.yaml" >/dev/null; e=$(now) ;;
    two) write_params "$work/p.yaml" 8 2 "$n" "$host1" "$host2"; s=$(now); ours "$work/p.yaml" >/dev/null; e=$(now) ;;
  esac
  echo "$e - $s" | bc -l
}
series() { local out=() i; for i in $(seq "$runs"); do out+=("$(measure_sleeping "$1")"); done; printf '%s\n' "${out[@]}" | median; }

# warm up: bases pulled on both hosts, the launcher's class data archive written
write_params "$work/p.yaml" 8 0 "warm-$stamp" "$host1" "$host2"; ours "$work/p.yaml" >/dev/null
traw=$(series raw)
tone=$(series one)
ttwo=$(series two)

printf '8 variants whose RUN step waits 2 s, built and pushed, median of %d runs\n' "$runs"
printf '  %-52s %6.2f s\n' "(r) docker CLI over ssh://, one after another" "$traw"
printf '  %-52s %6.2f s   (1)/(r) = %.2f\n' "(1) image-builder build, one host" "$tone" "$(echo "$tone / $traw" | bc -l)"
printf '  %-52s %6.2f s   speed-up (1)/(2) = %.2fx\n' "(2) image-builder build, two hosts" "$ttwo" \
  "$(echo "$tone / $ttwo" | bc -l)"

printf 'scheduler cost with cached units on two hosts (one build at a time each)\n'
printf '  %-6s %10s %14s %16s\n' units "wall s" "choosing ms" "ms per unit"
for n in 8 16 32 64; do
  write_params "$work/p.yaml" "$n" 0 "cached-$stamp" "$host1" "$host2"
  ours "$work/p.yaml" >/dev/null   # first run fills the caches
  s=$(now); out=$(ours "$work/p.yaml"); e=$(now)
  ms=$(printf '%s\n' "$out" | sed -n 's/.*choosing hosts took \([0-9.]*\) ms.*/\1/p' | tail -1)
  printf '  %-6s %10.2f %14.2f %16.3f\n' "$n" "$(echo "$e - $s" | bc -l)" "$ms" "$(echo "$ms / $n" | bc -l)"
done
