#!/usr/bin/env bash
# Registry cache: how much a build on host B gains from the cache host A pushed, in one run, median of RUNS runs
# (default 3). The Dockerfile's slow step (SLOW seconds of work, default 5) is new in every measurement, so host B
# has never built it itself:
#   cold  image-builder build on B, no cache;
#   (a)   the raw docker CLI over ssh:// on B: build --cache-from the image A pushed with BUILDKIT_INLINE_CACHE=1, push;
#   (b)   image-builder build on B with cache.from, after image-builder built on A with cache.to;
#   (c)   the same docker commands as (a) as one ansible-runner playbook.
# Needs the loopback environment: scripts/testenv.sh up.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${RUNS:-3}
slow=${SLOW:-5}
testenv=${TESTENV_DIR:-/var/lib/image-builder-testenv}
host_a=ssh://root@127.0.0.1:2221
host_b=ssh://root@127.0.0.1:2222
registry=127.0.0.1:5000
client=/usr/bin/docker
[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
mkdir -p "$work/docker-config" "$work/project" "$work/inventory" "$work/env"
password_file="$testenv/registry/password"
export PATH="$testenv/bin:$PATH"   # ssh wrapper with the environment's key and known_hosts
export DOCKER_CONFIG="$work/docker-config" DOCKER_BUILDKIT=1
for h in "$host_a" "$host_b"; do
  DOCKER_HOST=$h "$client" login --username builder --password-stdin "$registry" < "$password_file" >/dev/null 2>&1
done

# a context whose slow step no host has built: $1 names it
context() {
  mkdir -p "$work/$1"
  printf 'FROM %s/library/busybox:latest\nRUN echo %s-%s > /id && sleep %s\n' "$registry" "$1" "$(date +%s%N)" "$slow" \
    > "$work/$1/Dockerfile"
}
# build_params for context $1 on host $2, with the cache lines $3
params() {
  {
    echo "build_params:"
    echo "  source: {path: $work/$1}"
    echo "  target:"
    echo "    registry: {url: $registry, username: builder}"
    echo "    images: [{image: bench/cache, tag: $1}]"
    printf '%b' "$3"
    echo "docker_host: $2"
    echo "ssh_private_key: $testenv/client_key"
    echo "known_hosts: $testenv/known_hosts"
    echo "build_network: none"
  } > "$work/$1.yaml"
}
ours() { bin/image-builder build --lock-file "$work/image-builder.lock.json" --registry-password-stdin "$work/$1.yaml" < "$password_file" >/dev/null 2>&1; }
raw_a() {
  DOCKER_HOST=$host_a "$client" build --network none --build-arg BUILDKIT_INLINE_CACHE=1 -t "$registry/bench/cache:$1" \
    "$work/$1" >/dev/null 2>&1
  DOCKER_HOST=$host_a "$client" push "$registry/bench/cache:$1" >/dev/null 2>&1
}
raw_b() {
  DOCKER_HOST=$host_b "$client" build --network none --cache-from "$registry/bench/cache:$1" \
    -t "$registry/bench/cache:$1-b" "$work/$1" >/dev/null 2>&1
  DOCKER_HOST=$host_b "$client" push "$registry/bench/cache:$1-b" >/dev/null 2>&1
}
echo 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3' > "$work/inventory/hosts"
ansible_b() {
  cat > "$work/project/build.yml" <<YAML
- hosts: localhost
  gather_facts: false
  environment: {DOCKER_HOST: "$host_b", DOCKER_CONFIG: "$work/docker-config", DOCKER_BUILDKIT: "1", PATH: "$PATH"}
  tasks:
    - ansible.builtin.command: "$client build --network none --cache-from $registry/bench/cache:$1 -t $registry/bench/cache:$1-b $work/$1"
    - ansible.builtin.command: "$client push $registry/bench/cache:$1-b"
YAML
  ansible-runner run "$work" -p build.yml --rotate-artifacts 1 >/dev/null 2>&1
}


cold=() ta=() tb=() tc=()
for i in $(seq "$runs"); do
  context "cold$i"; params "cold$i" "$host_b" ""
  cold+=("$(timed ours "cold$i")")
  context "raw$i"; raw_a "raw$i"
  ta+=("$(timed raw_b "raw$i")")
  context "ours$i"; params "ours$i" "$host_a" "  cache: {to: bench/cache-ours$i}\n"; ours "ours$i"
  params "ours$i" "$host_b" "  cache: {from: [bench/cache-ours$i]}\n"
  tb+=("$(timed ours "ours$i")")
  context "ansible$i"; raw_a "ansible$i"
  tc+=("$(timed ansible_b "ansible$i")")
done
tcold=$(median_of "${cold[@]}"); a=$(median_of "${ta[@]}"); b=$(median_of "${tb[@]}"); c=$(median_of "${tc[@]}")
printf 'build and push on host B of a step host A built (%s s of work), median of %d runs\n' "$slow" "$runs"
printf '  %-52s %6.2f s\n' "cold: image-builder build, no cache" "$tcold"
printf '  %-52s %6.2f s\n' "(a) docker CLI over ssh:// --cache-from A's image" "$a"
printf '  %-52s %6.2f s   (b)/(a) = %.2f   (b)/cold = %.2f\n' "(b) image-builder build, cache.from" "$b" \
  "$(echo "$b / $a" | bc -l)" "$(echo "$b / $tcold" | bc -l)"
printf '  %-52s %6.2f s   (b)/(c) = %.2f\n' "(c) ansible-runner playbook of (a)'s commands" "$c" "$(echo "$b / $c" | bc -l)"
