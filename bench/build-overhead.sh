#!/usr/bin/env bash
# Build overhead: a cached rebuild-and-push of one image on the loopback build host over SSH, three ways in one
# run, median of RUNS runs (default 5):
#   (a) the raw docker CLI over ssh://: login, build, push (one fresh SSH connection per command);
#   (b) bin/image-builder build, which uses the SSH connection the previous run kept;
#   (b0) the same with no connection kept (IMAGE_BUILDER_SSH_PERSIST=0): each run makes its own;
#   (c) the same docker commands as one ansible-runner playbook (the SODALITE route).
# Then the extra cost of each added variant: (b) with 8 variants of the image, each with its base image
# overridden (so each is a build of its own, not a copy of the same build under another tag), against (b) with 1,
# beside the same for (a): a build and a push per variant, after one login; and beside (d), the docker CLI on the
# engine's own socket (no SSH), whose added time per variant is the engine's own work for that variant.
# The routes take turns within each round, so that a change in the machine's load falls on all of them alike.
# Needs the loopback environment: scripts/testenv.sh up.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${RUNS:-5}
testenv=${TESTENV_DIR:-/var/lib/image-builder-testenv}
host=ssh://root@127.0.0.1:2221
registry=127.0.0.1:5000
client=/usr/bin/docker
[ -f executor/target/image-builder.jar ] || mvn -q -B package -DskipTests

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/context" "$work/docker-config" "$work/project" "$work/inventory" "$work/env"
chmod 700 "$work"
printf 'FROM %s/library/busybox:latest\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt > /copy\n' "$registry" \
  > "$work/context/Dockerfile"
echo "bench" > "$work/context/hello.txt"
password_file="$testenv/registry/password"
ref="$registry/bench/overhead:latest"
export PATH="$testenv/bin:$PATH"   # ssh wrapper with the environment's key and known_hosts

# (a) raw docker CLI
raw() {
  DOCKER_HOST=$host DOCKER_CONFIG="$work/docker-config" DOCKER_BUILDKIT=1 \
    "$client" login --username builder --password-stdin "$registry" < "$password_file" >/dev/null 2>&1
  DOCKER_HOST=$host DOCKER_CONFIG="$work/docker-config" DOCKER_BUILDKIT=1 \
    "$client" build --network none -t "$ref" "$work/context" >/dev/null 2>&1
  DOCKER_HOST=$host DOCKER_CONFIG="$work/docker-config" "$client" push "$ref" >/dev/null 2>&1
}

# (a) with 8 variants: one login, then a build and a push per variant, as typed
raw8() {
  local i
  DOCKER_HOST=$host DOCKER_CONFIG="$work/docker-config" \
    "$client" login --username builder --password-stdin "$registry" < "$password_file" >/dev/null 2>&1
  for i in $(seq 1 8); do
    DOCKER_HOST=$host DOCKER_CONFIG="$work/docker-config" DOCKER_BUILDKIT=1 \
      "$client" build --network none -t "$registry/bench/overhead:raw$i" "$work/context" >/dev/null 2>&1
    DOCKER_HOST=$host DOCKER_CONFIG="$work/docker-config" "$client" push "$registry/bench/overhead:raw$i" >/dev/null 2>&1
  done
}

# (d) the docker CLI on the engine's own socket, on the engine's machine: the engine's own time for N variants
engine() {
  local n=$1 i
  DOCKER_HOST=unix://$testenv/host1/docker.sock DOCKER_CONFIG="$work/docker-config" \
    "$client" login --username builder --password-stdin "$registry" < "$password_file" >/dev/null 2>&1
  for i in $(seq 1 "$n"); do
    DOCKER_HOST=unix://$testenv/host1/docker.sock DOCKER_CONFIG="$work/docker-config" DOCKER_BUILDKIT=1 \
      "$client" build --network none -t "$registry/bench/overhead:engine$i" "$work/context" >/dev/null 2>&1
    DOCKER_HOST=unix://$testenv/host1/docker.sock DOCKER_CONFIG="$work/docker-config" \
      "$client" push "$registry/bench/overhead:engine$i" >/dev/null 2>&1
  done
}

# (b) image-builder, with a build_params file naming N variants of the image
write_params() {
  local n=$1 i
  {
    echo "build_params:"
    echo "  source: {path: $work/context}"
    echo "  target:"
    echo "    registry: {url: $registry, username: builder}"
    echo "    images:"
    if [ "$n" -eq 1 ]; then
      echo "      - {image: bench/overhead, tag: v1}"
    else
      for i in $(seq 1 "$n"); do echo "      - {image: bench/overhead, tag: v$i, base: $registry/library/busybox:latest}"; done
    fi
    echo "docker_host: $host"
    echo "ssh_private_key: $testenv/client_key"
    echo "known_hosts: $testenv/known_hosts"
    echo "build_network: none"
    echo "max_concurrent_builds: 1"
  } > "$work/params-$n.yaml"
}
write_params 1
write_params 8
ours0() { IMAGE_BUILDER_SSH_PERSIST=0 ours "$@"; }
ours() { bin/image-builder build --lock-file "$work/image-builder.lock.json" --registry-password-stdin "$work/params-$1.yaml" < "$password_file" >/dev/null 2>&1; }

# (c) one ansible-runner playbook running the same commands
cat > "$work/project/build.yml" <<YAML
- hosts: localhost
  gather_facts: false
  environment:
    DOCKER_HOST: "$host"
    DOCKER_CONFIG: "$work/docker-config"
    DOCKER_BUILDKIT: "1"
    PATH: "$PATH"
  tasks:
    - ansible.builtin.command: "$client login --username builder --password-stdin $registry"
      args: {stdin: "{{ lookup('file', '$password_file') }}"}
      no_log: true
    - ansible.builtin.command: "$client build --network none -t $ref $work/context"
    - ansible.builtin.command: "$client push $ref"
YAML
echo 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3' > "$work/inventory/hosts"
ansible() { ansible-runner run "$work" -p build.yml --rotate-artifacts 1 >/dev/null 2>&1; }


raw; raw8; ours 1; ours 8; ansible; engine 1; engine 8   # warm every cache first: cached rebuilds are compared
ta=(); tb=(); tb0=(); tc=(); ta8=(); t8=(); td=(); td8=()
for round in $(seq "$runs"); do
  ta+=("$(timed raw)"); tb+=("$(timed ours 1)"); tb0+=("$(timed ours0 1)"); tc+=("$(timed ansible)")
  ta8+=("$(timed raw8)"); t8+=("$(timed ours 8)"); td+=("$(timed engine 1)"); td8+=("$(timed engine 8)")
done
ta=$(median_of "${ta[@]}"); tb=$(median_of "${tb[@]}"); tb0=$(median_of "${tb0[@]}"); tc=$(median_of "${tc[@]}")
ta8=$(median_of "${ta8[@]}"); t8=$(median_of "${t8[@]}"); td=$(median_of "${td[@]}"); td8=$(median_of "${td8[@]}")
per() { echo "($1 - $2) / 7" | bc -l; }
printf 'cached rebuild and push of one image over SSH, median of %d rounds\n' "$runs"
printf '  %-48s %6.2f s\n' "(a) docker CLI over ssh:// (login, build, push)" "$ta"
printf '  %-48s %6.2f s   (b)/(a) = %.2f\n' "(b) image-builder build" "$tb" "$(echo "$tb / $ta" | bc -l)"
printf '  %-48s %6.2f s   (b0)/(a) = %.2f\n' "(b0) image-builder build, its own connection" "$tb0" \
  "$(echo "$tb0 / $ta" | bc -l)"
printf '  %-48s %6.2f s   (b)/(c) = %.2f\n' "(c) ansible-runner playbook" "$tc" "$(echo "$tb / $tc" | bc -l)"
printf '  %-48s %6.2f s   %.2f s per added variant\n' "(a) with 8 variants" "$ta8" "$(per "$ta8" "$ta")"
printf '  %-48s %6.2f s\n' "(d) docker CLI on the engine's socket, 1 image" "$td"
printf '  %-48s %6.2f s   %.2f s per added variant\n' "(d) with 8 variants" "$td8" "$(per "$td8" "$td")"
printf '  %-48s %6.2f s   %.2f s per added variant: %+.2f s beyond (d)'"'"'s, %+.2f s beyond (a)'"'"'s\n' \
  "(b) with 8 variants" "$t8" "$(per "$t8" "$tb")" "$(echo "$(per "$t8" "$tb") - $(per "$td8" "$td")" | bc -l)" \
  "$(echo "$(per "$t8" "$tb") - $(per "$ta8" "$ta")" | bc -l)"
